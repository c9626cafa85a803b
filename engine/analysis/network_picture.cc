#include "engine/analysis/network_picture.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

#include "engine/analysis/loops.h"
#include "engine/core/diagnostics.h"
#include "engine/output/text_format.h"

namespace cascade::analysis {
namespace {

constexpr double kMaxPenwidth = 10.0;

/// Up to 4 significant digits, for labels and tooltips.
std::string short_number(double v) {
  std::ostringstream os;
  os.precision(4);
  os << v;
  return os.str();
}

/// Attribute values are written with fixed text (never locale-dependent).
std::string number(double v) { return output::format_number(std::round(v * 100.0) / 100.0); }

std::string attr(std::string_view name, std::string_view value) {
  return std::string(name) + "=" + dot_quoted(value);
}

void node_line(std::string& out, std::string_view indent, std::string_view name, const std::vector<std::string>& attrs) {
  out += indent;
  out += dot_quoted(name);
  out += " [";
  for (std::size_t i = 0; i < attrs.size(); ++i) out += (i ? ", " : "") + attrs[i];
  out += "];\n";
}

void edge_line(std::string& out, std::string_view indent, std::string_view from, std::string_view to,
               const std::vector<std::string>& attrs) {
  out += indent;
  out += dot_quoted(from) + " -> " + dot_quoted(to) + " [";
  for (std::size_t i = 0; i < attrs.size(); ++i) out += (i ? ", " : "") + attrs[i];
  out += "];\n";
}

constexpr std::size_t kLongLabel = 24;  ///< longer names lose their parenthesis and wrap
constexpr std::size_t kLabelLine = 22;  ///< bytes
constexpr std::size_t kMaxLabelLines = 3;

/// `word` in pieces of at most kLabelLine bytes, cut between UTF-8 characters.
std::vector<std::string> label_pieces(const std::string& word) {
  std::vector<std::string> pieces(1);
  for (std::size_t i = 0; i < word.size();) {
    const auto byte = static_cast<unsigned char>(word[i]);
    const std::size_t length = byte < 0x80 ? 1 : std::max<std::size_t>(1, utf8_sequence_length(word.substr(i)));
    if (pieces.back().size() + length > kLabelLine) pieces.emplace_back();
    pieces.back() += word.substr(i, length);
    i += length;
  }
  return pieces;
}

/// A firm's name for the picture: a long name without its trailing "(...)" part, wrapped at
/// spaces into at most kMaxLabelLines lines of about kLabelLine bytes (a longer word is cut; what
/// does not fit ends in "..."), so that no name widens the picture; the full name stays in the
/// tooltip.
std::string display_label(const std::string& name) {
  std::string text = name;
  if (text.size() > kLongLabel) {
    const std::size_t paren = text.find(" (");
    if (paren != std::string::npos && paren > 0) text.resize(paren);
  }
  if (text.size() <= kLongLabel) return text;
  std::vector<std::string> lines(1);
  std::istringstream words(text);
  for (std::string word; words >> word;)
    for (const std::string& piece : label_pieces(word)) {
      if (!lines.back().empty() && lines.back().size() + 1 + piece.size() > kLabelLine) lines.emplace_back();
      lines.back() += (lines.back().empty() ? "" : " ") + piece;
    }
  if (lines.size() > kMaxLabelLines) {
    lines.resize(kMaxLabelLines);
    lines.back() += "...";
  }
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

std::string unit(FlowBasis basis) { return basis == FlowBasis::usd_bn_per_year ? " USD bn/yr" : " (nominal)"; }

}  // namespace

std::string_view firm_type_colour(std::optional<FirmType> type) {
  if (!type) return "#f0f0f0";
  switch (*type) {
    case FirmType::chipmaker: return "#a6d854";
    case FirmType::memory_maker: return "#d9f0a3";
    case FirmType::hyperscaler: return "#8da0cb";
    case FirmType::neocloud: return "#b3cde3";
    case FirmType::ai_lab: return "#fc8d62";
    case FirmType::spv: return "#e5c494";
    case FirmType::bank: return "#bdbdbd";
    case FirmType::private_credit: return "#e78ac3";
    case FirmType::bond_investor: return "#dadaeb";
    case FirmType::conglomerate: return "#ffd92f";
    case FirmType::miner: return "#66c2a5";
  }
  return "#ffffff";
}

std::string_view firm_state_colour(FirmState state) {
  switch (state) {
    case FirmState::healthy: return "#c7e9c0";
    case FirmState::distressed: return "#fdae6b";
    case FirmState::defaulted: return "#e34a33";
  }
  return "#ffffff";
}

std::string_view edge_style(ExposureKind kind) {
  switch (kind) {
    case ExposureKind::equity_stake:
    case ExposureKind::warrant:
    case ExposureKind::vendor_financing:
      return "dashed";
    case ExposureKind::guarantee:
      return "dotted";
    default:
      return "solid";
  }
}

std::string_view edge_arrowhead(ExposureKind kind) {
  switch (kind) {
    case ExposureKind::loan: return "onormal";
    case ExposureKind::bond: return "vee";
    case ExposureKind::collateralised_loan: return "box";
    case ExposureKind::credit_line: return "lnormal";
    case ExposureKind::lease: return "obox";
    case ExposureKind::purchase_commitment: return "normal";
    case ExposureKind::revenue_share: return "odiamond";
    case ExposureKind::equity_stake: return "dot";
    case ExposureKind::warrant: return "odot";
    case ExposureKind::guarantee: return "tee";
    case ExposureKind::vendor_financing: return "diamond";
  }
  return "normal";
}

double edge_penwidth(double amount) {
  return std::min(kMaxPenwidth, 0.5 + 1.25 * std::log1p(std::max(0.0, amount)));
}

std::string dot_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : output::markup_text(text)) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out + "\"";
}

std::string network_dot(const MoneyFlowGraph& g, const PictureOptions& options) {
  const bool by_state = options.states.has_value() && options.states->states.size() == g.firms.size();
  const std::vector<bool> on_loop = arcs_on_cycles(g, options.loop_max_length);
  std::string out = "digraph cascade {\n";
  std::string title = options.title;
  if (!title.empty()) title += "\n";
  title += "arrows point the way money moves; width ~ log(amount" + unit(g.basis) + "); red: on a loop of <= " +
           (options.loop_max_length ? std::to_string(options.loop_max_length) : std::string("any")) + " firms";
  if (by_state) title += "; firms coloured by state at tick " + std::to_string(options.states->tick);
  out += "  graph [" + attr("label", title) +
         ", labelloc=\"t\", fontname=\"Helvetica\", fontsize=\"16\", rankdir=\"LR\", nodesep=\"0.25\", "
         "ranksep=\"1.1\", splines=\"true\", outputorder=\"edgesfirst\"];\n";
  out += "  node [shape=\"box\", style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=\"11\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=\"8\", arrowsize=\"0.7\"];\n";

  // Firms.
  for (FirmIdx f = 0; f < g.firms.size(); ++f) {
    const MoneyFlowFirm& firm = g.firms[f];
    const std::string type = firm.type ? std::string(to_string(*firm.type)) : std::string("institution");
    std::string label = display_label(firm.name.empty() ? firm.id : firm.name);
    std::string tooltip = firm.id + " (" + type + "): " + (firm.name.empty() ? firm.id : firm.name);
    std::vector<std::string> attrs;
    if (by_state) {
      const FirmState s = options.states->states[f];
      if (s != FirmState::healthy) label += "\n(" + std::string(to_string(s)) + ")";
      tooltip += ", " + std::string(to_string(s)) + " at tick " + std::to_string(options.states->tick);
      attrs = {attr("label", label), attr("fillcolor", firm_state_colour(s)), attr("color", firm_type_colour(firm.type)),
               "penwidth=\"3\""};
    } else {
      attrs = {attr("label", label), attr("fillcolor", firm_type_colour(firm.type))};
    }
    attrs.push_back(attr("id", "firm_" + firm.id));
    attrs.push_back(attr("tooltip", tooltip));
    node_line(out, "  ", firm.id, attrs);
  }

  // Money arcs, one per exposure.
  for (std::size_t i = 0; i < g.arcs.size(); ++i) {
    const MoneyArc& a = g.arcs[i];
    const std::string_view colour = on_loop[i] ? kLoopColour : a.commercial() ? kCommercialColour : kFinancingColour;
    std::string tooltip = a.exposure_id + " " + std::string(to_string(a.kind)) + ": " + g.firms[a.payer].id + " -> " +
                          g.firms[a.payee].id + ", " + short_number(a.usd_bn) + unit(g.basis) + ", " +
                          std::string(to_string(a.status));
    if (on_loop[i]) tooltip += ", on a loop";
    std::vector<std::string> attrs{attr("color", colour), attr("penwidth", number(edge_penwidth(a.usd_bn))),
                                   attr("style", edge_style(a.kind)), attr("arrowhead", edge_arrowhead(a.kind)),
                                   attr("id", "exposure_" + a.exposure_id), attr("tooltip", tooltip)};
    if (!is_binding(a.status)) {
      attrs.push_back(attr("label", to_string(a.status)));
      attrs.push_back(attr("fontcolor", colour));
    }
    edge_line(out, "  ", g.firms[a.payer].id, g.firms[a.payee].id, attrs);
  }

  // Legend: the firm types (or states) present, then one sample edge per kind present. Its node
  // names start with a prefix no firm id starts with (ids may be any text): a firm with the id
  // "legend_type_bank" became the legend's sample node.
  std::string legend = "legend_";
  while (std::any_of(g.firms.begin(), g.firms.end(), [&](const MoneyFlowFirm& f) { return f.id.starts_with(legend); }))
    legend += '_';
  out += "  subgraph cluster_legend {\n";
  out += "    graph [label=\"legend\", fontsize=\"12\", style=\"rounded\", color=\"#999999\"];\n";
  std::vector<bool> type_seen(kFirmTypeCount + 1, false);
  for (const MoneyFlowFirm& firm : g.firms)
    type_seen[firm.type ? static_cast<std::size_t>(*firm.type) : kFirmTypeCount] = true;
  for (std::size_t t = 0; t <= kFirmTypeCount; ++t) {
    if (!type_seen[t]) continue;
    const std::optional<FirmType> type =
        t < kFirmTypeCount ? std::optional<FirmType>(all_firm_types()[t]) : std::nullopt;
    const std::string name = type ? std::string(to_string(*type)) : std::string("institution");
    if (by_state)
      node_line(
          out, "    ", legend + "type_" + name,
          {attr("label", name), "fillcolor=\"#ffffff\"", attr("color", firm_type_colour(type)), "penwidth=\"3\""});
    else
      node_line(out, "    ", legend + "type_" + name, {attr("label", name), attr("fillcolor", firm_type_colour(type))});
  }
  if (by_state)
    for (const FirmState s : {FirmState::healthy, FirmState::distressed, FirmState::defaulted})
      node_line(out, "    ", legend + "state_" + std::string(to_string(s)),
                {attr("label", to_string(s)), attr("fillcolor", firm_state_colour(s))});
  std::vector<bool> kind_seen(kExposureKindCount, false);
  for (const MoneyArc& a : g.arcs) kind_seen[static_cast<std::size_t>(a.kind)] = true;
  const auto sample = [&](const std::string& key, const std::string& label, std::string_view colour,
                          std::string_view style, std::string_view arrowhead) {
    const std::string from = legend + key + "_from", to = legend + key + "_to";
    node_line(out, "    ", from, {"shape=\"point\"", "width=\"0.05\""});
    node_line(out, "    ", to, {"shape=\"point\"", "width=\"0.05\""});
    edge_line(out, "    ", from, to,
              {attr("label", label), attr("color", colour), attr("style", style), attr("arrowhead", arrowhead),
               "penwidth=\"2\""});
  };
  for (const ExposureKind k : all_exposure_kinds()) {
    if (!kind_seen[static_cast<std::size_t>(k)]) continue;
    const bool commercial = is_commercial(k);
    const std::string label = std::string(to_string(k)) + (commercial ? " (payment)" : " (financing)");
    sample("kind_" + std::string(to_string(k)), label, commercial ? kCommercialColour : kFinancingColour,
           edge_style(k), edge_arrowhead(k));
  }
  if (std::find(on_loop.begin(), on_loop.end(), true) != on_loop.end())
    sample("loop", "on a loop", kLoopColour, "solid", "normal");
  out += "  }\n}\n";
  return out;
}

}  // namespace cascade::analysis
