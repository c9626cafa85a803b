// The money-flow network as a Graphviz DOT picture.
//
//   const MoneyFlowGraph g = build_money_flow(model);
//   std::string dot = network_dot(g, {.title = model.info.name});
//   // dot -Tsvg network.dot -o network.svg
//
// One node per firm, filled by firm type (or, given states, by state at a tick with the type as
// the outline); one edge per exposure in the direction money moves (payer -> payee). Edge width
// grows with the amount on a log scale; line style and arrowhead tell the kind; arcs on an
// elementary cycle of at most `loop_max_length` firms are red; non-binding and settled
// exposures carry their status as a label. A legend cluster explains colours and styles; its
// node names start with `legend_`. Every node and edge has an `id` and a `tooltip` (shown by
// SVG viewers). docs/circular-financing.md describes the picture.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/analysis/firm_states.h"
#include "engine/analysis/money_flow.h"

namespace cascade::analysis {

struct PictureOptions {
  std::string title;                 ///< graph label (e.g. the scenario name); empty = none
  std::size_t loop_max_length = 6;   ///< highlight arcs on cycles of at most this many firms (0 = any)
  std::optional<FirmStates> states{};  ///< colour firms by state at states->tick
};

/// Colours and styles, exposed for tests and the legend.
std::string_view firm_type_colour(std::optional<FirmType> type);
std::string_view firm_state_colour(FirmState state);
std::string_view edge_style(ExposureKind kind);      ///< solid, dashed or dotted
std::string_view edge_arrowhead(ExposureKind kind);  ///< unique per kind
inline constexpr std::string_view kLoopColour = "#d62728";
inline constexpr std::string_view kFinancingColour = "#4c72b0";
inline constexpr std::string_view kCommercialColour = "#55a868";
/// Edge width for an amount: 0.5 + 1.25 ln(1 + amount), at most 10 (log scale).
double edge_penwidth(double amount);

/// markup_text(text) (text_format.h) as a DOT double-quoted string: `"` and `\` escaped, line
/// breaks as `\n`.
std::string dot_quoted(std::string_view text);

std::string network_dot(const MoneyFlowGraph& g, const PictureOptions& options = {});

}  // namespace cascade::analysis
