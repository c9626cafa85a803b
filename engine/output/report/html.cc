#include "engine/output/report/html.h"

#include "engine/core/diagnostics.h"
#include "engine/output/svg_chart.h"
#include "engine/output/text_format.h"

namespace cascade::report {

namespace {
using output::escape_xml;

std::string start_tag(std::string_view tag, const Html::Attributes& attributes) {
  std::string out = "<" + std::string(tag);
  for (const auto& [name, value] : attributes) out += " " + std::string(name) + "=\"" + escape_xml(value) + "\"";
  return out + ">";
}
}  // namespace

Html& Html::open(std::string_view tag, const Attributes& attributes) {
  out_ += start_tag(tag, attributes) + "\n";
  open_.emplace_back(tag);
  return *this;
}

Html& Html::close(std::string_view tag) {
  CASCADE_ASSERT(!open_.empty() && open_.back() == tag,
                 "closing <" + std::string(tag) + "> while <" + (open_.empty() ? "" : open_.back()) + "> is open");
  open_.pop_back();
  out_ += "</" + std::string(tag) + ">\n";
  return *this;
}

Html& Html::element(std::string_view tag, std::string_view text, const Attributes& attributes) {
  out_ += start_tag(tag, attributes) + escape_xml(text) + "</" + std::string(tag) + ">\n";
  return *this;
}

Html& Html::void_element(std::string_view tag, const Attributes& attributes) {
  out_ += start_tag(tag, attributes) + "\n";
  return *this;
}

Html& Html::text(std::string_view text) {
  out_ += escape_xml(text);
  return *this;
}

Html& Html::raw(std::string_view markup) {
  out_ += markup;
  return *this;
}

std::string Html::str() const {
  CASCADE_ASSERT(open_.empty(), "the page still has <" + (open_.empty() ? "" : open_.back()) + "> open");
  return out_;
}

Cell text_cell(std::string text) { return {std::move(text), false, {}}; }

Cell number_cell(std::optional<double> value, int decimals) {
  return {value ? output::format_grouped(*value, decimals) : "\u2013", true, {}};
}

void write_table(Html& html, const Table& table) {
  html.open("table", {{"class", table.css_class.empty() ? "data" : "data " + table.css_class}});
  if (!table.caption.empty()) html.element("caption", table.caption);
  if (!table.header.empty()) {
    html.open("thead").open("tr");
    for (const std::string& h : table.header) html.element("th", h, {{"scope", "col"}});
    html.close("tr").close("thead");
  }
  html.open("tbody");
  for (const std::vector<Cell>& row : table.rows) {
    html.open("tr");
    for (const Cell& c : row) {
      std::string css = c.number ? "num" : "";
      if (!c.css_class.empty()) css += (css.empty() ? "" : " ") + c.css_class;
      Html::Attributes attributes;
      if (!css.empty()) attributes.emplace_back("class", css);
      if (c.colspan > 1) attributes.emplace_back("colspan", std::to_string(c.colspan));
      html.element("td", c.text, attributes);
    }
    html.close("tr");
  }
  html.close("tbody").close("table");
}

}  // namespace cascade::report
