// A small HTML writer for the report: elements opened and closed in order, text and attribute
// values escaped, and a table helper.
//
//   Html page;
//   page.open("section", {{"id", "defaults"}}).element("h2", "Defaults & losses").close("section");
//   page.str();   // <section id="defaults">\n<h2>Defaults &amp; losses</h2>\n</section>\n
//
// Text is escaped with output::escape_xml (its five entities are valid HTML). The page is well
// formed by construction: closing a tag that is not the innermost open one, or
// taking str() while tags are open, is a bug (InternalError). raw() inserts trusted markup
// (SVG written by Cascade or Graphviz) as is. Thread safety: none; one writer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cascade::report {

class Html {
 public:
  using Attributes = std::vector<std::pair<std::string_view, std::string>>;

  Html& open(std::string_view tag, const Attributes& attributes = {});
  Html& close(std::string_view tag);
  /// <tag ...>text</tag>, text escaped.
  Html& element(std::string_view tag, std::string_view text, const Attributes& attributes = {});
  /// A void element such as <meta ...> (no content, no closing tag).
  Html& void_element(std::string_view tag, const Attributes& attributes);
  Html& text(std::string_view text);
  Html& raw(std::string_view markup);

  std::string str() const;

 private:
  std::string out_;
  std::vector<std::string> open_;
};

/// A cell of a report table; numbers are right-aligned.
struct Cell {
  std::string text;
  bool number = false;
  std::string css_class;  ///< e.g. "changed"; empty for none
  int colspan = 1;
};
Cell text_cell(std::string text);
/// `value` with `decimals` decimals and grouped thousands; "–" when absent.
Cell number_cell(std::optional<double> value, int decimals = 1);

struct Table {
  std::string caption;
  std::vector<std::string> header;  ///< empty: no header row
  std::vector<std::vector<Cell>> rows;
  std::string css_class;  ///< extra class of the <table>
};
void write_table(Html& html, const Table& table);

}  // namespace cascade::report
