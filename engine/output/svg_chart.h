// Small, printable SVG charts written as one self-contained string: grouped bars with error
// bars (Sobol' indices with their intervals), stacked bars (defaults by sector per quarter),
// labelled scatter plots (Morris mu* against sigma) and multi-series line charts (a value per
// tick, for reports).
//
//   BarChart chart{.title = "Sobol' indices", .value_axis = {.title = "share of output variance"},
//                  .categories = {"recovery_rate"}, .series = {{.name = "S1", .values = {0.31}}}};
//   std::string svg = to_svg(chart);   // "<svg xmlns=...>...</svg>"
//
// What every chart has: a title, axes whose titles carry the units, "nice" tick values
// (1, 2 or 5 times a power of ten; Heckbert 1990), light grid lines, a legend naming every
// series, and text escaped for XML. It prints well: no script, no external reference, fonts by
// generic family (sans-serif), a white background, fills with a dark outline and a pattern per
// series, lines with a dash pattern per series, so series stay apart in greyscale.
// Text that would collide is handled simply: long category names are rotated and truncated
// with an ellipsis (the full name stays in a <title> tooltip), and a point label that would
// overlap another label, a point or the frame tries the other sides of its point, then is
// dropped (its point keeps a tooltip).
// Non-finite values are skipped (no bar, point or line segment). Output is deterministic: the
// same chart gives the same bytes, with coordinates written to 2 decimals.
//
// Elements carry classes for tools and tests: "bar", "error-bar", "point", "point-label",
// "series-line", "legend-item", "x-tick", "y-tick" (each tick's <text>).
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cascade::output {

struct ChartOptions {
  double width_px = 720.0;
  double height_px = 440.0;
  /// Start of the ids of the chart's patterns and clip path: charts inlined in one HTML page
  /// need different prefixes.
  std::string id_prefix = "chart";
};

struct AxisSpec {
  std::string title;  ///< with units, e.g. "loss (USD bn)"
  /// A fixed range; unset ends follow the data, widened to the nearest nice tick.
  std::optional<double> min;
  std::optional<double> max;
};

struct ErrorBar {
  double low = 0.0;
  double high = 0.0;
};

struct BarSeries {
  std::string name;
  std::vector<double> values;    ///< one per category
  std::vector<ErrorBar> errors;  ///< empty, or one per category
};

enum class BarOrientation : std::uint8_t { horizontal, vertical };

/// Bars grouped by category: one bar per series in each category, from 0 to the value. With
/// `stacked`, one bar per category instead, the series piled in order (positive values up from
/// 0, negative ones down), e.g. defaults per quarter by sector; stacked series have no errors.
struct BarChart {
  std::string title;
  std::string category_title;  ///< e.g. "parameter"
  AxisSpec value_axis;
  std::vector<std::string> categories;
  std::vector<BarSeries> series;
  BarOrientation orientation = BarOrientation::horizontal;
  bool stacked = false;
};

struct ScatterPoint {
  double x = 0.0;
  double y = 0.0;
  std::string label;
};

struct ScatterSeries {
  std::string name;
  std::vector<ScatterPoint> points;
};

struct ScatterChart {
  std::string title;
  AxisSpec x_axis;
  AxisSpec y_axis;
  std::vector<ScatterSeries> series;
};

struct LineSeries {
  std::string name;
  std::vector<double> x;  ///< e.g. ticks
  std::vector<double> y;  ///< same size as x
};

struct LineChart {
  std::string title;
  AxisSpec x_axis;
  AxisSpec y_axis;
  std::vector<LineSeries> series;
};

/// Sizes that do not match (values per category, x and y of a line) are bugs: InternalError.
std::string to_svg(const BarChart& chart, ChartOptions options = {});
std::string to_svg(const ScatterChart& chart, ChartOptions options = {});
std::string to_svg(const LineChart& chart, ChartOptions options = {});

/// Tick values covering [low, high] at a 1-2-5 step, about `target_count` of them, starting
/// and ending on multiples of the step at or beyond the ends (Heckbert's loose labelling).
/// Example: nice_ticks(0, 0.87) = {0, 0.2, 0.4, 0.6, 0.8, 1}.
std::vector<double> nice_ticks(double low, double high, int target_count = 5);

/// markup_text(text) (text_format.h) with &, <, >, " and ' replaced by their XML entities.
std::string escape_xml(std::string_view text);

}  // namespace cascade::output
