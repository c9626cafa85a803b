#include "engine/output/svg_chart.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>

#include "engine/core/diagnostics.h"
#include "engine/output/text_format.h"

namespace cascade::output {
namespace {

// Layout, in pixels. Text widths are estimated at 0.6 em per character, a safe average for
// the generic sans-serif families viewers pick.
constexpr double kCharWidthEm = 0.6;
constexpr double kTitleFontPx = 15.0;
constexpr double kFontPx = 12.0;
constexpr double kSmallFontPx = 11.0;
constexpr double kEdgePx = 10.0;  // empty border around everything
constexpr double kTitleBaselinePx = 24.0;
constexpr double kLegendRowPx = 18.0;
constexpr double kAxisTitleGapPx = 22.0;  // room for an axis title beside its tick labels
constexpr double kTickLabelGapPx = 6.0;
constexpr double kMarkerRadiusPx = 3.5;
constexpr double kLabelOffsetPx = 6.0;
constexpr double kCategoryLabelShare = 0.35;  // labels beside a plot: at most this share of the width
constexpr double kRotatedLabelShare = 0.25;   // labels under a plot, rotated: at most this share of the height

// Series styles, cycled: light fills (with a dark outline and a pattern from the second series
// on), darker line colours with dash patterns, marker shapes. Greyscale keeps them apart.
constexpr std::array<const char*, 6> kFills = {"#9ecae1", "#fdae6b", "#a1d99b", "#d9d9d9", "#bcbddc", "#fcbba1"};
constexpr std::array<const char*, 6> kLineColours = {"#1f77b4", "#e6550d", "#31a354", "#636363", "#756bb1", "#de2d26"};
constexpr std::array<const char*, 6> kDashes = {"", "8 4", "2 3", "10 3 2 3", "4 4", "1 2"};
constexpr const char* kInk = "#222222";
constexpr const char* kGridColour = "#e0e0e0";
constexpr const char* kOutline = "#333333";

struct Box {
  double left = 0, top = 0, width = 0, height = 0;
  double right() const { return left + width; }
  double bottom() const { return top + height; }
  bool overlaps(const Box& o) const {
    return left < o.right() && o.left < right() && top < o.bottom() && o.top < bottom();
  }
  bool inside(const Box& o) const {
    return left >= o.left && right() <= o.right() && top >= o.top && bottom() <= o.bottom();
  }
};

// A linear map from data values [lo, hi] to pixels [from, to].
struct Scale {
  double lo = 0, hi = 1, from = 0, to = 1;
  double operator()(double v) const { return from + (v - lo) / (hi - lo) * (to - from); }
};

std::string num(double value) {
  if (value == 0.0) value = 0.0;  // no "-0.00"
  std::array<char, 64> buffer{};
  const auto [end, error] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed, 2);
  CASCADE_ASSERT(error == std::errc{}, "a chart coordinate must fit in 64 characters");
  std::string text(buffer.data(), end);
  return text == "-0.00" ? "0.00" : text;
}

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

double text_width(std::string_view text, double font_px) {
  return static_cast<double>(code_points(text)) * kCharWidthEm * font_px;
}

// `text`, cut at a character boundary and ended with an ellipsis if wider than max_px.
std::string fit_text(std::string_view text, double max_px, double font_px) {
  if (text_width(text, font_px) <= max_px) return std::string(text);
  const auto keep = static_cast<std::size_t>(std::max(1.0, std::floor(max_px / (kCharWidthEm * font_px)) - 1));
  std::size_t bytes = 0;
  for (std::size_t kept = 0; bytes < text.size(); ++bytes) {
    if ((text[bytes] & 0xC0) != 0x80 && kept++ == keep) break;
  }
  return std::string(text.substr(0, bytes)) + "\u2026";
}

// Heckbert's nice number: 1, 2, 5 or 10 times a power of ten near x (rounded or at least x).
double nice_number(double x, bool round) {
  const double power = std::pow(10.0, std::floor(std::log10(x)));
  const double f = x / power;
  if (round) return (f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0) * power;
  return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * power;
}

// Decimals that show a tick step of 1, 2 or 5 x 10^e exactly: max(0, -e).
int tick_decimals(const std::vector<double>& ticks) {
  if (ticks.size() < 2) return 0;
  const double step = ticks[1] - ticks[0];
  return std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
}

// `value` with 6 significant digits and an exponent where needed (2e-170, 1.5e+160).
std::string general_text(double value) {
  std::array<char, 64> buffer{};
  const auto [end, error] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::general, 6);
  CASCADE_ASSERT(error == std::errc{}, "a number in a chart must fit in 64 characters");
  return std::string(buffer.data(), end);
}

// `value` with `decimals` decimals; no minus sign on a value that shows as zero. Beyond 12
// decimals or from 1e15 up, where fixed decimals would run to hundreds of digits, general_text.
std::string tick_text(double value, int decimals) {
  if (decimals > 12 || std::abs(value) >= 1e15) return general_text(value == 0.0 ? 0.0 : value);
  std::array<char, 64> buffer{};
  const auto [end, error] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed, decimals);
  CASCADE_ASSERT(error == std::errc{}, "a tick label must fit in 64 characters");
  std::string text(buffer.data(), end);
  return text.find_first_not_of("-0.") == std::string::npos ? text.substr(text[0] == '-' ? 1 : 0) : text;
}

// A value in a tooltip: 4 decimals, or general_text where they would show 0.0000.
std::string tooltip_number(double value) {
  return value != 0.0 && std::abs(value) < 1e-3 ? general_text(value) : tick_text(value, 4);
}

// The range of the finite values added.
struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
};

// The ticks of an axis over the data's range and the spec's fixed ends.
std::vector<double> axis_ticks(Range range, const AxisSpec& axis) {
  CASCADE_ASSERT(!(axis.min && axis.max && !(*axis.min < *axis.max)), "an axis's fixed min must be below its max");
  if (axis.min) range.lo = *axis.min;
  if (axis.max) range.hi = *axis.max;
  if (!(range.lo <= range.hi)) {  // no data, or data entirely beyond a fixed end: one unit
    range.lo = axis.min.value_or(axis.max ? *axis.max - 1.0 : 0.0);
    range.hi = axis.max.value_or(range.lo + 1.0);
  }
  std::vector<double> ticks = nice_ticks(range.lo, range.hi);
  // A fixed end is the axis end: ticks beyond it go (the step is at most half the range, so
  // some stay).
  const double slack = 1e-9 * (ticks.back() - ticks.front());
  if (axis.min) std::erase_if(ticks, [&](double t) { return t < *axis.min - slack; });
  if (axis.max) std::erase_if(ticks, [&](double t) { return t > *axis.max + slack; });
  CASCADE_ASSERT(!ticks.empty(), "nice ticks inside a fixed axis range");
  return ticks;
}

Scale scale_for(const std::vector<double>& ticks, const AxisSpec& axis, double from, double to) {
  const double lo = axis.min.value_or(ticks.front()), hi = axis.max.value_or(ticks.back());
  return {lo, hi > lo ? hi : lo + 1.0, from, to};
}

std::string attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + escape_xml(value) + "\"";
}

// A <text> element; `extra` holds further attributes (" transform=..."), `tooltip` the full
// text when `text` was shortened.
std::string text_element(std::string_view css_class, double x, double y, std::string_view anchor, std::string_view text,
                         std::string_view extra = "", std::string_view tooltip = "") {
  std::string out = "<text";
  if (!css_class.empty()) out += attr("class", css_class);
  out += attr("x", num(x)) + attr("y", num(y));
  if (anchor != "start") out += attr("text-anchor", anchor);
  out += std::string(extra) + ">" + escape_xml(text);
  if (!tooltip.empty()) out += "<title>" + escape_xml(tooltip) + "</title>";
  return out + "</text>\n";
}

std::string rotate_about(double x, double y, int degrees) {
  return " transform=\"rotate(" + std::to_string(degrees) + " " + num(x) + " " + num(y) + ")\"";
}

// What a legend entry and its series look like.
enum class Swatch : std::uint8_t { fill, line, marker };

// Pattern ids are "<id_prefix>-fill-<series>".
std::string fill_of(std::size_t series, const std::string& id_prefix) {
  return series == 0 ? kFills[0] : "url(#" + id_prefix + "-fill-" + std::to_string(series) + ")";
}

// A fill pattern per bar series after the first: its colour under thin dark lines or dots.
std::string pattern_defs(std::size_t series_count, const std::string& id_prefix) {
  static constexpr std::array<const char*, 4> kMarks = {
      R"(<path d="M0 0V6" stroke="#333333" stroke-width="0.8"/>)", R"(<circle cx="3" cy="3" r="1" fill="#333333"/>)",
      R"(<path d="M0 0V6M0 0H6" stroke="#333333" stroke-width="0.6"/>)",
      R"(<path d="M0 3H6" stroke="#333333" stroke-width="0.8"/>)"};
  static constexpr std::array<int, 4> kAngles = {45, 0, 45, -45};
  std::string out;
  for (std::size_t s = 1; s < series_count; ++s) {
    const std::size_t mark = (s - 1) % kMarks.size();
    out += "<pattern" + attr("id", id_prefix + "-fill-" + std::to_string(s)) +
           " patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\"" +
           (kAngles[mark] != 0 ? " patternTransform=\"rotate(" + std::to_string(kAngles[mark]) + ")\"" : "") +
           "><rect width=\"6\" height=\"6\"" + attr("fill", kFills[s % kFills.size()]) + "/>" + kMarks[mark] +
           "</pattern>\n";
  }
  return out.empty() ? out : "<defs>\n" + out + "</defs>\n";
}

// A series' marker: circle, square, triangle or diamond; a tooltip when `tooltip` is not empty.
std::string marker(std::size_t series, double x, double y, std::string_view css_class, std::string_view tooltip) {
  const double r = kMarkerRadiusPx, o = r + 1;  // triangles and diamonds reach a little further
  std::string element = "path", geometry;
  switch (series % 4) {
    case 0:
      element = "circle", geometry = attr("cx", num(x)) + attr("cy", num(y)) + attr("r", num(r));
      break;
    case 1:
      element = "rect";
      geometry = attr("x", num(x - r)) + attr("y", num(y - r)) + attr("width", num(2 * r)) + attr("height", num(2 * r));
      break;
    case 2:
      geometry =
          attr("d", "M" + num(x) + " " + num(y - o) + "L" + num(x + o) + " " + num(y + r) + "H" + num(x - o) + "Z");
      break;
    default:
      geometry = attr("d", "M" + num(x) + " " + num(y - o) + "L" + num(x + o) + " " + num(y) + "L" + num(x) + " " +
                               num(y + o) + "L" + num(x - o) + " " + num(y) + "Z");
  }
  std::string out = "<" + element + attr("class", css_class) + geometry + attr("fill", kFills[series % kFills.size()]) +
                    attr("stroke", kOutline);
  if (tooltip.empty()) return out + "/>";
  return out + "><title>" + escape_xml(tooltip) + "</title></" + element + ">";
}

std::string dash_of(std::size_t series) {
  const char* dash = kDashes[series % kDashes.size()];
  return *dash == '\0' ? std::string() : attr("stroke-dasharray", dash);
}

std::string swatch(Swatch kind, std::size_t series, double x, double y, const std::string& id_prefix) {
  switch (kind) {
    case Swatch::fill:
      return "<rect" + attr("x", num(x)) + attr("y", num(y - 10)) + " width=\"14\" height=\"12\"" +
             attr("fill", fill_of(series, id_prefix)) + attr("stroke", kOutline) + "/>";
    case Swatch::line:
      return "<path" + attr("d", "M" + num(x) + " " + num(y - 4) + "h22") +
             attr("stroke", kLineColours[series % kLineColours.size()]) + " stroke-width=\"2\" fill=\"none\"" +
             dash_of(series) + "/>";
    case Swatch::marker:
      return marker(series, x + 7, y - 4, "swatch", "");
  }
  return {};
}

// The frame every chart shares: size, background, title and legend. `body_top` is where the
// plot may start.
struct Frame {
  std::string svg;
  double body_top = 0.0;
};

Frame open_frame(const std::string& title, ChartOptions options, const std::vector<std::string>& legend_names,
                 Swatch kind, std::size_t pattern_series) {
  Frame f;
  f.svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"" + attr("width", num(options.width_px)) +
          attr("height", num(options.height_px)) +
          attr("viewBox", "0 0 " + num(options.width_px) + " " + num(options.height_px)) +
          " font-family=\"sans-serif\" font-size=\"12\"" + attr("fill", kInk) + ">\n";
  f.svg += "<title>" + escape_xml(title) + "</title>\n";
  f.svg += pattern_defs(pattern_series, options.id_prefix);
  f.svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  f.svg += text_element("chart-title", options.width_px / 2, kTitleBaselinePx, "middle",
                        fit_text(title, options.width_px - 2 * kEdgePx, kTitleFontPx),
                        " font-size=\"15\" font-weight=\"bold\"");
  double x = kEdgePx, y = kTitleBaselinePx + kLegendRowPx;
  bool any = false;
  for (std::size_t s = 0; s < legend_names.size(); ++s) {
    if (legend_names[s].empty()) continue;
    const std::string name = fit_text(legend_names[s], options.width_px / 2, kFontPx);
    const double width = 26 + text_width(name, kFontPx) + 16;
    if (x > kEdgePx && x + width > options.width_px - kEdgePx) {  // wrap
      x = kEdgePx;
      y += kLegendRowPx;
    }
    f.svg += "<g class=\"legend-item\">" + swatch(kind, s, x, y, options.id_prefix) +
             text_element("", x + 26, y, "start", name) + "</g>\n";
    x += width;
    any = true;
  }
  f.body_top = any ? y + kLegendRowPx : kTitleBaselinePx + kLegendRowPx;
  return f;
}

std::string grid_line(double x1, double y1, double x2, double y2) {
  return "<path" + attr("d", "M" + num(x1) + " " + num(y1) + "L" + num(x2) + " " + num(y2)) +
         attr("stroke", kGridColour) + "/>\n";
}

// An axis title: rotated at the left edge (vertical) or under everything (horizontal).
std::string axis_title(const std::string& title, bool vertical, const Box& plot, ChartOptions options) {
  if (title.empty()) return {};
  if (!vertical) {
    return text_element("axis-title", plot.left + plot.width / 2, options.height_px - kEdgePx, "middle",
                        fit_text(title, plot.width, kFontPx));
  }
  const double x = kEdgePx + 12, y = plot.top + plot.height / 2;
  // Centred on the plot; it may reach up to the legend and down to the bottom edge.
  const double half = std::min(plot.height / 2 + 6, options.height_px - kEdgePx - y);
  return text_element("axis-title", x, y, "middle", fit_text(title, 2 * half, kFontPx), rotate_about(x, y, -90));
}

// A value axis along the left (vertical) or bottom (horizontal) of `plot`, with grid lines.
std::string value_axis(const std::vector<double>& ticks, const Scale& scale, const Box& plot, bool vertical,
                       const std::string& title, ChartOptions options) {
  std::string out = "<g class=\"axis\">\n";
  const int decimals = tick_decimals(ticks);
  for (const double t : ticks) {
    const double p = scale(t);
    if (vertical) {
      out += grid_line(plot.left, p, plot.right(), p);
      out += text_element("y-tick", plot.left - kTickLabelGapPx, p + 4, "end", tick_text(t, decimals));
    } else {
      out += grid_line(p, plot.top, p, plot.bottom());
      out += text_element("x-tick", p, plot.bottom() + 16, "middle", tick_text(t, decimals));
    }
  }
  return out + axis_title(title, vertical, plot, options) + "</g>\n";
}

std::string box_attributes(const Box& b) {
  return attr("x", num(b.left)) + attr("y", num(b.top)) + attr("width", num(b.width)) + attr("height", num(b.height));
}

std::string plot_outline(const Box& plot) {
  return "<rect class=\"plot-area\"" + box_attributes(plot) + " fill=\"none\"" + attr("stroke", kOutline) + "/>\n";
}

double widest_tick(const std::vector<double>& ticks) {
  double widest = 0.0;
  for (const double t : ticks) widest = std::max(widest, text_width(tick_text(t, tick_decimals(ticks)), kFontPx));
  return widest;
}

// The plot box between a left margin and a bottom margin (both in pixels).
Box plot_box(const Frame& f, ChartOptions options, double left_margin, double bottom_margin) {
  const double top = f.body_top + 6;
  return {left_margin, top, std::max(10.0, options.width_px - kEdgePx - 8 - left_margin),
          std::max(10.0, options.height_px - bottom_margin - top)};
}

constexpr double kBottomAxisPx = kEdgePx + 16 + kAxisTitleGapPx;  // tick labels and the axis title

// A chart with two numeric axes (scatter, line): frame, axes, plot box and scales.
struct XYPlot {
  Frame frame;
  Box plot;
  Scale x, y;
};

XYPlot open_xy_plot(const std::string& title, ChartOptions options, const std::vector<std::string>& names, Swatch kind,
                    Range x_range, Range y_range, const AxisSpec& x_axis, const AxisSpec& y_axis) {
  XYPlot xy{.frame = open_frame(title, options, names, kind, 0), .plot = {}, .x = {}, .y = {}};
  const std::vector<double> x_ticks = axis_ticks(x_range, x_axis), y_ticks = axis_ticks(y_range, y_axis);
  xy.plot =
      plot_box(xy.frame, options, kEdgePx + kAxisTitleGapPx + widest_tick(y_ticks) + kTickLabelGapPx, kBottomAxisPx);
  xy.x = scale_for(x_ticks, x_axis, xy.plot.left, xy.plot.right());
  xy.y = scale_for(y_ticks, y_axis, xy.plot.bottom(), xy.plot.top);
  xy.frame.svg += value_axis(y_ticks, xy.y, xy.plot, true, y_axis.title, options);
  xy.frame.svg += value_axis(x_ticks, xy.x, xy.plot, false, x_axis.title, options);
  // Data drawn with a fixed axis range stays inside the plot.
  xy.frame.svg += "<clipPath" + attr("id", options.id_prefix + "-plot-area") + "><rect" + box_attributes(xy.plot) +
                  "/></clipPath>\n";
  return xy;
}

bool in_range(const Scale& s, double v) {
  const double slack = 1e-9 * (s.hi - s.lo);
  return std::isfinite(v) && v >= s.lo - slack && v <= s.hi + slack;
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : markup_text(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<double> nice_ticks(double low, double high, int target_count) {
  CASCADE_ASSERT(std::isfinite(low) && std::isfinite(high) && low <= high, "nice_ticks needs a finite range");
  if (high - low <= 1e-12 * std::max(std::abs(low), std::abs(high))) {  // one value: a unit around it
    const double pad = low == 0.0 ? 1.0 : 0.5 * std::abs(low);
    low -= low == 0.0 ? 0.0 : pad;
    high += pad;
  }
  const double step = nice_number(nice_number(high - low, false) / std::max(1, target_count - 1), true);
  const double first = std::floor(low / step), last = std::ceil(high / step);
  std::vector<double> ticks;
  for (double k = first; k <= last + 0.5; k += 1.0) ticks.push_back(k * step);
  return ticks;
}

std::string to_svg(const BarChart& chart, ChartOptions options) {
  const std::size_t n = chart.categories.size(), series_count = chart.series.size();
  Range range;
  range.add(0.0);  // bars start at 0
  std::vector<std::string> names;
  std::vector<double> stack_up(n, 0.0), stack_down(n, 0.0);  // a stacked bar's ends, per category
  for (const BarSeries& s : chart.series) {
    CASCADE_ASSERT(s.values.size() == n, "a bar series needs one value per category");
    CASCADE_ASSERT(s.errors.empty() || (s.errors.size() == n && !chart.stacked),
                   "a bar series needs no error bars or one per category (and none when stacked)");
    for (std::size_t c = 0; c < n; ++c) {
      const double v = s.values[c];
      if (chart.stacked && std::isfinite(v)) (v >= 0 ? stack_up[c] : stack_down[c]) += v;
      range.add(chart.stacked ? (v >= 0 ? stack_up[c] : stack_down[c]) : v);
    }
    for (const ErrorBar& e : s.errors) range.add(e.low), range.add(e.high);
    names.push_back(s.name);
  }
  std::fill(stack_up.begin(), stack_up.end(), 0.0);
  std::fill(stack_down.begin(), stack_down.end(), 0.0);
  Frame f = open_frame(chart.title, options, names, Swatch::fill, series_count);
  const std::vector<double> ticks = axis_ticks(range, chart.value_axis);
  const bool horizontal = chart.orientation == BarOrientation::horizontal;

  double widest_label = 0.0;
  for (const std::string& c : chart.categories) widest_label = std::max(widest_label, text_width(c, kFontPx));
  Box plot;
  bool rotate = false;
  double label_px = 0.0;
  if (horizontal) {
    label_px = std::min(widest_label, kCategoryLabelShare * options.width_px);
    plot = plot_box(f, options, kEdgePx + kAxisTitleGapPx + label_px + kTickLabelGapPx, kBottomAxisPx);
  } else {
    double left = kEdgePx + kAxisTitleGapPx + widest_tick(ticks) + kTickLabelGapPx;
    const double band = (options.width_px - kEdgePx - 8 - left) / static_cast<double>(std::max<std::size_t>(1, n));
    rotate = widest_label > band - 4;
    // A label rotated by 45 degrees reaches label_px / sqrt(2) down and to the left of its band.
    label_px = rotate ? std::min(widest_label, kRotatedLabelShare * options.height_px * std::numbers::sqrt2) : band - 4;
    const double label_depth = rotate ? label_px / std::numbers::sqrt2 + 12 : 16;
    if (rotate) left = std::max(left, kEdgePx + label_depth - band / 2);
    plot = plot_box(f, options, left, kEdgePx + kAxisTitleGapPx + label_depth + kTickLabelGapPx);
  }
  const Scale value = horizontal ? scale_for(ticks, chart.value_axis, plot.left, plot.right())
                                 : scale_for(ticks, chart.value_axis, plot.bottom(), plot.top);
  f.svg += value_axis(ticks, value, plot, !horizontal, chart.value_axis.title, options);

  // Category bands: the first category at the top (horizontal) or the left (vertical).
  const double band = (horizontal ? plot.height : plot.width) / static_cast<double>(std::max<std::size_t>(1, n));
  const double bar = 0.8 * band / static_cast<double>(chart.stacked ? 1 : std::max<std::size_t>(1, series_count));
  const double band_start = horizontal ? plot.top : plot.left;
  std::string bars = "<g class=\"bars\">\n", errors = "<g class=\"error-bars\"" + attr("stroke", kInk) + ">\n",
              labels = "<g class=\"category-labels\">\n";
  for (std::size_t c = 0; c < n; ++c) {
    const double centre = band_start + (static_cast<double>(c) + 0.5) * band;
    const std::string& name = chart.categories[c];
    const std::string label = fit_text(name, label_px, kFontPx);
    const std::string_view tooltip = label == name ? std::string_view() : std::string_view(name);
    if (horizontal) {
      labels += text_element("category", plot.left - kTickLabelGapPx, centre + 4, "end", label, "", tooltip);
    } else if (rotate) {
      const double y = plot.bottom() + 12;
      labels += text_element("category", centre, y, "end", label, rotate_about(centre, y, -45), tooltip);
    } else {
      labels += text_element("category", centre, plot.bottom() + 16, "middle", label, "", tooltip);
    }
    for (std::size_t s = 0; s < series_count; ++s) {
      const double v = chart.series[s].values[c];
      if (!std::isfinite(v) || (chart.stacked && v == 0.0)) continue;  // an empty layer of a stack draws nothing
      const double offset = band_start + static_cast<double>(c) * band + 0.1 * band +
                            (chart.stacked ? 0.0 : static_cast<double>(s) * bar);
      double base_value = 0.0;  // where the bar starts: 0, or the top of the stack below it
      if (chart.stacked) {
        double& stack_end = v >= 0 ? stack_up[c] : stack_down[c];
        base_value = stack_end;
        stack_end += v;
      }
      const double base = value(std::clamp(base_value, value.lo, value.hi));
      const double end = value(std::clamp(base_value + v, value.lo, value.hi));
      const double mid = offset + bar / 2;
      Box box = horizontal ? Box{std::min(base, end), offset, std::abs(end - base), bar}
                           : Box{offset, std::min(base, end), bar, std::abs(end - base)};
      bars += "<rect class=\"bar\"" + box_attributes(box) + attr("fill", fill_of(s, options.id_prefix)) +
              attr("stroke", kOutline) + "><title>" +
              escape_xml(chart.series[s].name + " " + chart.categories[c] + ": ") + tooltip_number(v) +
              "</title></rect>\n";
      if (chart.series[s].errors.empty()) continue;
      const ErrorBar e = chart.series[s].errors[c];
      if (!std::isfinite(e.low) || !std::isfinite(e.high)) continue;
      const double lo = value(std::clamp(e.low, value.lo, value.hi)),
                   hi = value(std::clamp(e.high, value.lo, value.hi));
      const double cap = std::min(4.0, bar / 3);
      const std::string d =
          horizontal ? "M" + num(lo) + " " + num(mid) + "H" + num(hi) + "M" + num(lo) + " " + num(mid - cap) + "V" +
                           num(mid + cap) + "M" + num(hi) + " " + num(mid - cap) + "V" + num(mid + cap)
                     : "M" + num(mid) + " " + num(lo) + "V" + num(hi) + "M" + num(mid - cap) + " " + num(lo) + "H" +
                           num(mid + cap) + "M" + num(mid - cap) + " " + num(hi) + "H" + num(mid + cap);
      errors += "<path class=\"error-bar\"" + attr("d", d) + "/>\n";
    }
  }
  f.svg += bars + "</g>\n" + errors + "</g>\n" + labels + "</g>\n" + plot_outline(plot);
  return f.svg + axis_title(chart.category_title, horizontal, plot, options) + "</svg>\n";
}

std::string to_svg(const ScatterChart& chart, ChartOptions options) {
  Range x_range, y_range;
  std::vector<std::string> names;
  for (const ScatterSeries& s : chart.series) {
    for (const ScatterPoint& p : s.points) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
      x_range.add(p.x);
      y_range.add(p.y);
    }
    names.push_back(s.name);
  }
  XYPlot xy = open_xy_plot(chart.title, options, names, Swatch::marker, x_range, y_range, chart.x_axis, chart.y_axis);

  struct Placed {
    std::size_t series;
    const ScatterPoint* point;
    double x, y;
  };
  std::vector<Placed> placed;
  std::vector<Box> taken;  // markers, then labels as they are placed
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    for (const ScatterPoint& p : chart.series[s].points) {
      if (!in_range(xy.x, p.x) || !in_range(xy.y, p.y)) continue;
      placed.push_back({s, &p, xy.x(p.x), xy.y(p.y)});
      const double r = kMarkerRadiusPx + 1;
      taken.push_back({placed.back().x - r, placed.back().y - r, 2 * r, 2 * r});
    }
  }
  std::string points = "<g class=\"points\">\n", labels = "<g class=\"point-labels\" font-size=\"11\">\n";
  for (const Placed& p : placed) {
    const std::string tooltip =
        p.point->label + " (" + tooltip_number(p.point->x) + ", " + tooltip_number(p.point->y) + ")";
    points += marker(p.series, p.x, p.y, "point", tooltip) + "\n";
    if (p.point->label.empty()) continue;
    const std::string text = fit_text(p.point->label, kCategoryLabelShare * xy.plot.width, kSmallFontPx);
    const double w = text_width(text, kSmallFontPx), h = kSmallFontPx + 2, gap = kLabelOffsetPx;
    // Right, left, above, below the point, then the four diagonals (for points in a corner):
    // the first free place wins; no place, no label.
    const double beside = p.y - h / 2, above = beside - h, below = beside + h;  // rows touch, never overlap
    const std::array<std::pair<Box, std::string_view>, 8> candidates = {{
        {{p.x + gap, beside, w, h}, "start"},
        {{p.x - gap - w, beside, w, h}, "end"},
        {{p.x - w / 2, above, w, h}, "middle"},
        {{p.x - w / 2, below, w, h}, "middle"},
        {{p.x + gap / 2, above, w, h}, "start"},
        {{p.x - gap / 2 - w, above, w, h}, "end"},
        {{p.x + gap / 2, below, w, h}, "start"},
        {{p.x - gap / 2 - w, below, w, h}, "end"},
    }};
    for (const auto& candidate : candidates) {
      const Box& box = candidate.first;  // not a structured binding: Clang 14 cannot capture those
      const std::string_view anchor = candidate.second;
      const bool free = box.inside(xy.plot) &&
                        std::none_of(taken.begin(), taken.end(), [&](const Box& t) { return t.overlaps(box); });
      if (!free) continue;
      const double x = anchor == "start" ? box.left : anchor == "end" ? box.right() : box.left + w / 2;
      labels += text_element("point-label", x, box.bottom() - 3, anchor, text);
      taken.push_back(box);
      break;
    }
  }
  xy.frame.svg += points + "</g>\n" + labels + "</g>\n" + plot_outline(xy.plot);
  return xy.frame.svg + "</svg>\n";
}

std::string to_svg(const LineChart& chart, ChartOptions options) {
  Range x_range, y_range;
  std::vector<std::string> names;
  for (const LineSeries& s : chart.series) {
    CASCADE_ASSERT(s.x.size() == s.y.size(), "a line series needs as many x as y values");
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      x_range.add(s.x[i]);
      y_range.add(s.y[i]);
    }
    names.push_back(s.name);
  }
  XYPlot xy = open_xy_plot(chart.title, options, names, Swatch::line, x_range, y_range, chart.x_axis, chart.y_axis);
  std::string lines = "<g class=\"lines\"" + attr("clip-path", "url(#" + options.id_prefix + "-plot-area)") +
                      " fill=\"none\" stroke-width=\"2\">\n";
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const LineSeries& series = chart.series[s];
    std::string d;
    bool pen_down = false;  // a non-finite value breaks the line
    for (std::size_t i = 0; i < series.x.size(); ++i) {
      if (!std::isfinite(series.x[i]) || !std::isfinite(series.y[i])) {
        pen_down = false;
        continue;
      }
      d += (pen_down ? "L" : "M") + num(xy.x(series.x[i])) + " " + num(xy.y(series.y[i]));
      pen_down = true;
    }
    lines += "<path class=\"series-line\"" + attr("d", d) + attr("stroke", kLineColours[s % kLineColours.size()]) +
             dash_of(s) + "><title>" + escape_xml(series.name) + "</title></path>\n";
  }
  xy.frame.svg += lines + "</g>\n" + plot_outline(xy.plot);
  return xy.frame.svg + "</svg>\n";
}

}  // namespace cascade::output
