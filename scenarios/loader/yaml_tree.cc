#include "scenarios/loader/yaml_tree.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <deque>
#include <istream>
#include <limits>
#include <streambuf>

#include "engine/core/limits.h"

namespace cascade::scenario {
namespace {

/// The scanner stops after reading this many bytes past the start of the last value the parser
/// completed: no value of a scenario comes near it (CSV lines have the same cap).
constexpr std::size_t kMaxBytesAhead = std::size_t{1} << 20;
/// ... or after this many '[' and '{' there. yaml-cpp keeps every token it reads ahead, and
/// keeps reading while a flow collection might still turn out to be a mapping key, so
/// `[[[[...` (or `[a, [a, ...`) would cost about 250 bytes of memory per byte of input before
/// the parser sees its first value.
constexpr std::size_t kMaxFlowStartsAhead = 4096;
/// Bytes handed to the scanner at a time: the granularity of the two counts above.
constexpr std::size_t kMeterChunkBytes = 512;

struct ParseStop {
  SourceLocation where;
  std::string message;
};

/// Line and column (1-based) of byte `offset` of `text`.
SourceLocation location_of_offset(std::string_view text, const std::string& file, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const std::size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  const auto lines = std::count(before.begin(), before.end(), '\n');
  return {file, static_cast<int>(lines) + 1, static_cast<int>(offset - line_start) + 1};
}

}  // namespace

std::optional<TextProblem> text_problem(std::string_view text) {
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF") ||
      text.starts_with(std::string_view("\0\0\xFE\xFF", 4)))
    return TextProblem{0, "the text is UTF-16 or UTF-32; scenario and sweep files are UTF-8"};
  std::size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte >= 0x20 && byte < 0x7F) || byte == '\t' || byte == '\n' || byte == '\r') {
      ++i;
      continue;
    }
    const std::size_t length = byte >= 0x80 ? utf8_sequence_length(text.substr(i)) : 0;
    if (length > 0) {
      i += length;
      continue;
    }
    return TextProblem{
        i, byte >= 0x80 ? "not UTF-8 text: byte " + excerpt(text.substr(i, 1)) + " does not start a UTF-8 character"
                        : "control character " + excerpt(text.substr(i, 1)) +
                              " (YAML text may hold tab, line feed and carriage return only)"};
  }
  return std::nullopt;
}

namespace {

/// A scalar's text (escapes decoded) holding a control character other than tab and line breaks,
/// a C1 control or a bidirectional override (starts_with_format_control): what to say. Written
/// as an escape in a quoted string ("\e[31m") or as the character itself, it would reach
/// terminals, logs, files and the report verbatim, and an override reorders what follows it.
std::optional<std::string> control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const bool c0 = (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F;
    const bool format = !c0 && starts_with_format_control(text.substr(i));
    if (c0 || format) {
      const std::size_t length = c0 ? 1 : utf8_sequence_length(text.substr(i));
      return "control character " + excerpt(text.substr(i, length)) +
             " in a text value (text may hold tab and line breaks, no other control character)";
    }
  }
  return std::nullopt;
}

/// The text as yaml-cpp's scanner reads it: a little at a time, with the scan stopped (by
/// throwing ParseStop) once it runs kMaxBytesAhead bytes or kMaxFlowStartsAhead flow
/// collections ahead of the last value the parser completed.
class MeteredText final : public std::streambuf {
 public:
  MeteredText(std::string_view text, const std::string& file) : text_(text), file_(file) {
    char* begin = const_cast<char*>(text_.data());  // the get area is only read
    setg(begin, begin, begin);
  }

  /// The parser completed a value that starts at byte `offset`.
  void value_at(std::size_t offset) {
    while (!chunks_.empty() && chunks_.front().end <= offset) {
      flow_starts_ahead_ -= chunks_.front().flow_starts;
      chunks_.pop_front();
    }
    last_value_ = std::max(last_value_, offset);
  }

 protected:
  int_type underflow() override {
    const std::size_t end = static_cast<std::size_t>(egptr() - eback());
    if (end >= text_.size()) return traits_type::eof();
    const std::size_t next = std::min(text_.size(), end + kMeterChunkBytes);
    const std::string_view chunk = text_.substr(end, next - end);
    const std::size_t flow_starts = static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '[') +
                                                             std::count(chunk.begin(), chunk.end(), '{'));
    chunks_.push_back({next, flow_starts});
    flow_starts_ahead_ += flow_starts;
    if (next - last_value_ > kMaxBytesAhead)
      throw ParseStop{location_of_offset(text_, file_, last_value_ + kMaxBytesAhead),
                      "a single YAML value (or the text between two values) is longer than " +
                          std::to_string(kMaxBytesAhead) + " bytes"};
    if (flow_starts_ahead_ > kMaxFlowStartsAhead)
      throw ParseStop{location_of_offset(text_, file_, end),
                      "more than " + std::to_string(kMaxFlowStartsAhead) +
                          " '[' and '{' before the parser completes a value: collections nested too deeply"};
    setg(eback(), gptr(), eback() + next);
    return traits_type::to_int_type(*gptr());
  }

 private:
  struct Chunk {
    std::size_t end;          ///< one past its last byte
    std::size_t flow_starts;  ///< '[' and '{' in it
  };
  std::string_view text_;
  const std::string& file_;
  std::deque<Chunk> chunks_;  ///< handed out since the chunk of the last completed value
  std::size_t flow_starts_ahead_ = 0;
  std::size_t last_value_ = 0;
};

/// Walks the events of every document in a text without building anything, counting each
/// value and its scalars' bytes once per place it appears (an alias counts as the whole value it
/// names). Stops the parse, by throwing Stop, at the first value past either limit, at a value nested deeper than
/// kMaxYamlDepth, or at an alias of a value that contains it. Memory: a word per anchor and per
/// open level, so a "billion laughs" file costs microseconds and kilobytes.
class ValueCounter final : public YAML::EventHandler {
 public:
  ValueCounter(std::uint64_t max_values, std::uint64_t max_bytes, MeteredText& text, const std::string& file)
      : max_values_(max_values), max_bytes_(max_bytes), text_(text), file_(file) {}

  std::size_t documents() const { return root_marks_.size(); }
  /// Where the root value of document `i` is written.
  const YAML::Mark& root_mark(std::size_t i) const { return root_marks_[i]; }
  /// The first document's root is empty (or `null`).
  bool first_root_is_null() const { return first_root_is_null_; }

  void OnDocumentStart(const YAML::Mark&) override {
    sizes_.clear();  // yaml-cpp numbers anchors per document
    at_root_ = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (at_root_ && root_marks_.empty()) first_root_is_null_ = true;
    leaf(mark, anchor, 0);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
    leaf(mark, anchor, value.size());
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    note_root(mark);
    if (anchor >= sizes_.size() || sizes_[anchor].values == kOpen)
      stop(mark, "an alias names a value that contains it, which would make the value infinite");
    add(mark, sizes_[anchor]);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  static constexpr std::uint64_t kOpen = std::numeric_limits<std::uint64_t>::max();
  /// A value's size: its values, and the bytes of its scalars (a long string aliased many
  /// times costs memory the value count does not see).
  struct Size {
    std::uint64_t values = 0;
    std::uint64_t bytes = 0;
  };

  [[noreturn]] void stop(const YAML::Mark& mark, std::string message) const {
    throw ParseStop{{file_, mark.line + 1, mark.column + 1}, std::move(message)};
  }
  /// Every value event passes here first.
  void note_root(const YAML::Mark& mark) {
    text_.value_at(static_cast<std::size_t>(std::max(mark.pos, 0)));
    if (at_root_) root_marks_.push_back(mark);
    at_root_ = false;
  }
  void add(const YAML::Mark& mark, Size size) {
    values_ += size.values;  // size <= the totals so far + one value: no overflow
    bytes_ += size.bytes;
    if (values_ > max_values_)
      stop(mark, limit_message("values once aliases are expanded", max_values_, "--max-yaml-values"));
    if (bytes_ > max_bytes_)
      stop(mark, limit_message("bytes of text once aliases are expanded", max_bytes_, "--max-file-bytes"));
  }
  void set_size(YAML::anchor_t anchor, Size size) {
    if (anchor == YAML::NullAnchor) return;
    if (anchor >= sizes_.size()) sizes_.resize(anchor + 1, Size{kOpen, 0});
    sizes_[anchor] = size;
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, std::uint64_t bytes) {
    note_root(mark);
    add(mark, {1, bytes});
    set_size(anchor, {1, bytes});
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    note_root(mark);
    if (open_.size() >= static_cast<std::size_t>(kMaxYamlDepth))
      stop(mark, "values nested more than " + std::to_string(kMaxYamlDepth) + " levels deep");
    add(mark, {1, 0});
    open_.push_back({anchor, values_ - 1, bytes_});
    set_size(anchor, {kOpen, 0});
  }
  void close() {
    const auto [anchor, values_before, bytes_before] = open_.back();
    open_.pop_back();
    set_size(anchor, {values_ - values_before, bytes_ - bytes_before});
  }

  struct OpenValue {
    YAML::anchor_t anchor;
    std::uint64_t values_before;
    std::uint64_t bytes_before;
  };
  std::uint64_t max_values_;
  std::uint64_t max_bytes_;
  MeteredText& text_;
  const std::string& file_;
  std::uint64_t values_ = 0;
  std::uint64_t bytes_ = 0;
  std::vector<Size> sizes_;  ///< per anchor: its value's size, values kOpen while it is being read
  std::vector<OpenValue> open_;
  std::vector<YAML::Mark> root_marks_;
  bool at_root_ = false;
  bool first_root_is_null_ = false;
};

/// Builds the located tree of the first document from yaml-cpp's parse events while a
/// ValueCounter counts them (and stops the parse at its limits); an alias is copied from the
/// value it names. Documents after the first are only counted. Keys that are not plain names,
/// and duplicate keys, go to `problems` (not from inside a key or a value already discarded).
class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(std::uint64_t max_values, std::uint64_t max_bytes, MeteredText& text, const std::string& file,
              Diagnostics& problems)
      : counter_(max_values, max_bytes, text, file), file_(file), problems_(problems) {}

  const ValueCounter& counter() const { return counter_; }
  /// The first document's root value.
  YNode& root() { return root_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    counter_.OnDocumentStart(mark);
    anchored_.clear();  // yaml-cpp numbers anchors per document
    building_ = documents_started_++ == 0;
  }
  void OnDocumentEnd() override { counter_.OnDocumentEnd(); }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    counter_.OnNull(mark, anchor);
    if (!building_) return;
    const Slot slot = next_slot(mark);
    slot.node.kind = YNode::Kind::null;
    const SourceLocation written = slot.node.where;
    // A missing value (`cash:`) is marked where the next token starts; the key is clearer.
    if (slot.mapping_value) slot.node.where = frames_.back().key_where;
    completed(slot.node, anchor);
    if (anchor != YAML::NullAnchor) anchored_[anchor].where = written;  // an alias is marked as the value
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    counter_.OnScalar(mark, tag, anchor, value);
    if (!building_) return;
    const Slot slot = next_slot(mark);
    slot.node.kind = YNode::Kind::scalar;
    slot.node.text = value;
    // yaml-cpp tags plain scalars "?"; quoted ones "!"; explicitly tagged ones with the tag.
    slot.node.plain = tag == "?";
    const bool key = !frames_.empty() && &slot.node == &frames_.back().key;
    if (const std::optional<std::string> why = control_character(value); why && (!slot.quiet || key))
      problems_.error(slot.node.where, slot.node.path, *why);
    completed(slot.node, anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    counter_.OnAlias(mark, anchor);  // the value it names is complete and within the limit
    if (!building_) return;
    const Slot slot = next_slot(mark);
    std::string path = std::move(slot.node.path);
    slot.node = anchored_[anchor];  // where it is written: an alias is the value it names
    if (slot.mapping_value && slot.node.is_null()) slot.node.where = frames_.back().key_where;
    if (!frames_.empty() && &slot.node == &frames_.back().key) frames_.back().key_where = slot.node.where;
    set_paths(slot.node, std::move(path));
    completed(slot.node, YAML::NullAnchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    counter_.OnSequenceStart(mark, tag, anchor, style);
    open(mark, anchor, YNode::Kind::sequence);
  }
  void OnSequenceEnd() override {
    counter_.OnSequenceEnd();
    close();
  }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    counter_.OnMapStart(mark, tag, anchor, style);
    open(mark, anchor, YNode::Kind::mapping);
  }
  void OnMapEnd() override {
    counter_.OnMapEnd();
    close();
  }

 private:
  /// An open sequence or mapping of the first document. A mapping reads a key, then its value.
  struct Frame {
    YNode* node = nullptr;
    YAML::anchor_t anchor = YAML::NullAnchor;
    bool quiet = false;          ///< inside a key or a discarded value: its problems are not reported
    bool reading_value = false;  ///< mappings: the key was read, its value comes next
    bool key_usable = false;     ///< the key read is a plain name met for the first time
    YNode key;                   ///< the key read (or being read)
    SourceLocation key_where;
    YNode discarded;  ///< the value of an unusable key
  };
  /// Where the next value goes, with its path and location set.
  struct Slot {
    YNode& node;
    bool mapping_value;
    bool quiet;  ///< a key, a discarded value or inside one
  };

  SourceLocation location(const YAML::Mark& mark) const {
    return {file_, mark.line + 1, mark.column + 1};  // yaml-cpp counts from 0
  }

  Slot next_slot(const YAML::Mark& mark) {
    if (frames_.empty()) {
      root_.where = location(mark);
      return {root_, false, false};
    }
    Frame& top = frames_.back();
    YNode& parent = *top.node;
    if (parent.is_sequence()) {
      YNode& item = parent.items.emplace_back();
      item.path = item_path(parent.path, parent.items.size() - 1);
      item.where = location(mark);
      return {item, false, top.quiet};
    }
    if (!top.reading_value) {
      top.key = YNode();
      top.key.where = top.key_where = location(mark);
      return {top.key, false, true};
    }
    YNode& value = top.key_usable ? parent.entries.back().value : (top.discarded = YNode());
    value.path = top.key_usable ? child_path(parent.path, parent.entries.back().key) : parent.path;
    value.where = location(mark);
    return {value, true, top.quiet || !top.key_usable};
  }

  /// `node` (where next_slot put it) is complete.
  void completed(const YNode& node, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) {
      if (anchor >= anchored_.size()) anchored_.resize(anchor + 1);
      anchored_[anchor] = node;
    }
    if (frames_.empty() || frames_.back().node->is_sequence()) return;
    Frame& top = frames_.back();
    if (top.reading_value) {
      top.reading_value = false;
      return;
    }
    top.reading_value = true;
    top.key_usable = false;
    YNode& parent = *top.node;
    if (!top.key.is_scalar()) {
      if (!top.quiet) problems_.error(top.key_where, parent.path, "mapping keys must be plain names");
    } else if (const YEntry* first = parent.find_entry(top.key.text)) {
      if (!top.quiet)
        problems_.error(top.key_where, child_path(parent.path, top.key.text),
                        "duplicate key '" + excerpt(top.key.text) + "' (first at line " +
                            std::to_string(first->key_where.line) + ")");
    } else {
      YEntry& entry = parent.entries.emplace_back();
      entry.key = std::move(top.key.text);
      entry.key_where = top.key_where;
      top.key_usable = true;
    }
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, YNode::Kind kind) {
    if (!building_) return;
    const Slot slot = next_slot(mark);
    slot.node.kind = kind;
    // A deque: the frames below keep their addresses (an open value may be a frame's key).
    frames_.push_back({.node = &slot.node, .anchor = anchor, .quiet = slot.quiet});
  }
  void close() {
    if (!building_) return;
    YNode& node = *frames_.back().node;
    const YAML::anchor_t anchor = frames_.back().anchor;
    frames_.pop_back();
    completed(node, anchor);
  }

  /// Gives a copied value the paths of the place it is copied to.
  static void set_paths(YNode& node, std::string path) {
    node.path = std::move(path);
    for (std::size_t i = 0; i < node.items.size(); ++i) set_paths(node.items[i], item_path(node.path, i));
    for (YEntry& e : node.entries) set_paths(e.value, child_path(node.path, e.key));
  }

  ValueCounter counter_;
  const FileName file_;  ///< shared by every location of the tree
  Diagnostics& problems_;
  std::vector<YNode> anchored_;  ///< per anchor: its value (first document)
  std::deque<Frame> frames_;
  std::size_t documents_started_ = 0;
  bool building_ = false;
  YNode root_;
};

}  // namespace

const YEntry* YNode::find_entry(std::string_view key) const {
  for (const YEntry& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}
const YNode* YNode::find(std::string_view key) const {
  const YEntry* e = find_entry(key);
  return e ? &e->value : nullptr;
}
YNode* YNode::find(std::string_view key) {
  for (YEntry& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

std::string YNode::describe() const {
  switch (kind) {
    case Kind::null: return "nothing";
    case Kind::sequence: return "a list";
    case Kind::mapping: return "a mapping";
    case Kind::scalar: break;
  }
  return plain ? "'" + excerpt(text) + "'" : "the quoted string '" + excerpt(text) + "'";
}

std::string child_path(const std::string& parent, std::string_view key) {
  if (parent.size() >= Diagnostic::kMaxPathBytes) return parent;  // already as long as a message shows
  std::string out = parent.empty() ? std::string() : parent + ".";
  out += key.size() > Diagnostic::kMaxPathBytes ? excerpt(key) : std::string(key);
  return out;
}

std::string item_path(const std::string& parent, std::size_t index) {
  if (parent.size() >= Diagnostic::kMaxPathBytes) return parent;
  return parent + "[" + std::to_string(index) + "]";
}

std::optional<YNode> parse_yaml(const std::string& text, const std::string& file, Diagnostics& diags,
                                std::uint64_t max_values, std::uint64_t max_bytes) {
  const auto location = [&file](const YAML::Mark& mark) {
    return SourceLocation{file, mark.line + 1, mark.column + 1};  // yaml-cpp counts from 0
  };
  if (const std::optional<TextProblem> bad = text_problem(text)) {
    diags.error(location_of_offset(text, file, bad->offset), "", bad->message);
    return std::nullopt;
  }
  Diagnostics problems;  // reported only when the text parses as one document
  std::optional<YNode> root;
  try {
    // Without an alias every value is written out, so the tree is built as the values are
    // counted. With one (or a '*' anywhere), a first pass counts them all without building,
    // so that an alias bomb is refused before it costs memory.
    if (text.find('*') != std::string::npos) {
      MeteredText metered(text, file);
      std::istream stream(&metered);
      ValueCounter counter(max_values, max_bytes, metered, file);
      YAML::Parser parser(stream);
      while (parser.HandleNextDocument(counter)) {
      }
    }
    MeteredText metered(text, file);
    std::istream stream(&metered);
    TreeBuilder builder(max_values, max_bytes, metered, file, problems);
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(builder)) {
    }
    const ValueCounter& counted = builder.counter();
    if (counted.documents() == 0 || (counted.documents() == 1 && counted.first_root_is_null())) {
      diags.error({file, 0, 0}, "", "empty file");
      return std::nullopt;
    }
    if (counted.documents() > 1) {
      diags.error(location(counted.root_mark(1)), "",
                  "a scenario file holds one YAML document, found " + std::to_string(counted.documents()));
      return std::nullopt;
    }
    root = std::move(builder.root());
  } catch (const ParseStop& stop) {
    diags.error(stop.where, "", stop.message);
    return std::nullopt;
  } catch (const YAML::ParserException& e) {
    diags.error(location(e.mark), "", "YAML syntax error: " + e.msg);
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    diags.error({file, 0, 0}, "", std::string("YAML error: ") + e.what());
    return std::nullopt;
  }
  diags.append(problems);
  return root;
}

}  // namespace cascade::scenario
