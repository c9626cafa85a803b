#include "scenarios/loader/document.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <utility>

#include "scenarios/loader/settings_reader.h"
#include "scenarios/loader/yaml_reader.h"

namespace cascade::scenario {
namespace {

namespace fs = std::filesystem;

/// How a top-level section of an included file combines with what came before.
enum class Merge : std::uint8_t {
  main_only,    ///< format, scenario: the main file's
  include,      ///< include: processed, not merged
  concatenate,  ///< list sections
  by_key,       ///< mapping sections, merged `depth` levels deep
};

struct Section {
  std::string_view key;
  Merge merge;
  int depth = 0;  ///< by_key only: 1 = top keys replace; 2 = also merge one level below
};

constexpr std::array<Section, 14> kSections{{
    {"format", Merge::main_only},
    {"scenario", Merge::main_only},
    {"include", Merge::include},
    {"simulation", Merge::by_key, 1},
    {"parameters", Merge::by_key, 1},
    {"channels", Merge::by_key, 1},
    {"agent_defaults", Merge::by_key, 2},  // firm type -> knob
    {"firms", Merge::concatenate},
    {"exposures", Merge::concatenate},
    {"shocks", Merge::concatenate},
    {"networks", Merge::concatenate},
    {"loops", Merge::concatenate},
    {"projects", Merge::concatenate},
    {"facts", Merge::by_key, 2},  // group -> name
}};

const Section* find_section(std::string_view key) {
  for (const Section& s : kSections)
    if (s.key == key) return &s;
  return nullptr;
}

std::vector<std::string> section_names() {
  std::vector<std::string> out;
  for (const Section& s : kSections) out.emplace_back(s.key);
  return out;
}

}  // namespace

bool read_file_bytes(const fs::path& path, std::string& out, std::string& error, std::uint64_t max_bytes) {
  // Opened without blocking and checked on the open descriptor: a FIFO or a device named as a
  // scenario is refused instead of waited on or read forever.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    error = errno == ENOENT ? "no such file" : std::strerror(errno);
    return false;
  }
  struct stat info {};
  const bool stat_ok = ::fstat(fd, &info) == 0;
  const auto fail = [&](std::string why) {
    ::close(fd);
    error = std::move(why);
    return false;
  };
  if (!stat_ok) return fail(std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return fail("is a directory");
  if (!S_ISREG(info.st_mode)) return fail("not a regular file (a device, pipe or socket)");
  const std::string too_large = "the file has " + limit_message("bytes", max_bytes, "--max-file-bytes");
  if (static_cast<std::uint64_t>(info.st_size) > max_bytes) return fail(too_large);
  out.clear();
  out.reserve(static_cast<std::size_t>(info.st_size));
  std::array<char, 1 << 16> buffer{};
  for (;;) {  // to the end, even if the file grew since fstat
    const ssize_t got = ::read(fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return fail(std::string("read error: ") + std::strerror(errno));
    if (got == 0) break;
    out.append(buffer.data(), static_cast<std::size_t>(got));
    if (out.size() > max_bytes) return fail(too_large);
  }
  ::close(fd);
  return true;
}

namespace {

/// Merges mapping `src` into mapping `dst`: `src` wins; at depth > 1, mappings under the
/// same key are merged one level further instead of replaced.
void merge_mapping(YNode& dst, YNode&& src, int depth) {
  for (YEntry& e : src.entries) {
    YEntry* existing = nullptr;
    for (YEntry& d : dst.entries)
      if (d.key == e.key) existing = &d;
    if (!existing) {
      dst.entries.push_back(std::move(e));
    } else if (depth > 1 && existing->value.is_mapping() && e.value.is_mapping()) {
      merge_mapping(existing->value, std::move(e.value), depth - 1);
    } else {
      *existing = std::move(e);
    }
  }
}

/// One item of an `include` list.
struct IncludeEntry {
  const YNode* item = nullptr;       ///< the list item
  const YNode* file_node = nullptr;  ///< where the path is written (the item, or its `file`)
  std::string file;                  ///< the path as written, relative to the including file
  ShockTransform transform;          ///< this entry's own shift and scale
};

/// A file opened while loading, with what its include did to its shocks.
struct LoadedRecord {
  fs::path canonical;
  ShockTransform transform;            ///< effective: composed along the include chain
  SourceLocation included_at;          ///< the include entry that loaded it; unset for the main file
  std::size_t shocks_contributed = 0;  ///< shocks it and its own includes added
};

class DocumentLoader {
 public:
  DocumentLoader(const InputLimits& limits, Diagnostics& diags) : diags_(diags) {
    doc_.root.kind = YNode::Kind::mapping;
    doc_.limits = limits;
  }

  ScenarioDocument take() { return std::move(doc_); }

  /// Loads the file at `path` (shown as `name`) and, first, the files it includes.
  /// `included_by` is the include entry that names it (nullptr for the main file).
  void load(const fs::path& path, const std::string& name, const IncludeEntry* included_by) {
    std::string bytes, error;
    if (!read_file_bytes(path, bytes, error, doc_.limits.max_file_bytes)) {
      if (included_by)
        diags_.error(included_by->file_node->where, included_by->file_node->path,
                     "cannot read included file '" + included_by->file + "' (" + name + "): " + error);
      else
        diags_.error({name, 0, 0}, "", "cannot read scenario file: " + error);
      doc_.complete = false;
      return;
    }
    std::error_code ec;
    const fs::path canonical = fs::canonical(path, ec);
    const std::size_t record = loaded_.size();
    loaded_.push_back({ec ? path : canonical, transform_, included_by ? included_by->item->where : SourceLocation{}});
    const std::size_t shocks_before = shock_count();
    doc_.files.push_back({name, bytes});
    chain_.push_back({loaded_.back().canonical, name});

    std::optional<YNode> root =
        parse_yaml(bytes, name, diags_, doc_.limits.max_yaml_values, doc_.limits.max_file_bytes);
    if (root && !root->is_mapping()) {
      diags_.error(root->where, "", "expected a mapping of sections at the top level, got " + root->describe());
      root.reset();
    }
    if (!root) doc_.complete = false;
    if (root) {
      if (const YNode* includes = root->find("include")) load_includes(*includes, name);
      merge_file(std::move(*root), included_by == nullptr);
    }
    loaded_[record].shocks_contributed = shock_count() - shocks_before;
    chain_.pop_back();
  }

 private:
  void load_includes(const YNode& includes, const std::string& including_name) {
    if (!includes.is_sequence()) {
      diags_.error(includes.where, includes.path, "expected a list of file names, got " + includes.describe());
      return;
    }
    for (const YNode& item : includes.items) {
      const std::optional<IncludeEntry> entry = read_include_entry(item);
      if (!entry) continue;
      const fs::path resolved = (fs::path(including_name).parent_path() / entry->file).lexically_normal();
      const ShockTransform effective = transform_.then_outer(entry->transform);
      std::error_code ec;
      const fs::path canonical = fs::canonical(resolved, ec);
      if (!ec) {
        if (report_cycle(canonical, resolved.string(), item)) continue;
        const LoadedRecord* earlier = nullptr;
        for (const LoadedRecord& r : loaded_)
          if (r.canonical == canonical) earlier = &r;
        if (earlier) {  // included through another path already: loaded once
          check_same_transform(*earlier, effective, *entry, resolved.string());
          continue;
        }
      }
      if (chain_.size() >= doc_.limits.max_include_depth) {
        diags_.error(
            entry->file_node->where, entry->file_node->path,
            "cannot include '" + excerpt(entry->file) + "': " +
                limit_message("files on one include chain", doc_.limits.max_include_depth, "--max-include-depth"));
        doc_.complete = false;
        continue;
      }
      const ShockTransform outer = transform_;
      transform_ = effective;
      load(resolved, resolved.string(), &*entry);
      transform_ = outer;
    }
  }

  /// `PATH` or `{file: PATH, shift_ticks: N, scale: X}`; nullopt (reported) when unreadable.
  std::optional<IncludeEntry> read_include_entry(const YNode& item) {
    IncludeEntry out{.item = &item, .file_node = &item};
    if (!item.is_mapping()) {
      std::optional<std::string> file = read_string(item, diags_);
      if (!file) return std::nullopt;
      out.file = *file;
      return out;
    }
    const MapReader r(item, {"file", "shift_ticks", "scale"}, diags_);
    const YNode* file_node = r.get("file", Need::required);
    std::optional<std::string> file = file_node ? read_string(*file_node, diags_) : std::nullopt;
    bool ok = file.has_value();
    if (r.get("shift_ticks") &&
        !r.integer<std::int64_t>("shift_ticks", -kMaxTicks, kMaxTicks, out.transform.shift_ticks))
      ok = false;
    if (r.get("scale") && !r.number("scale", Range::at_least(0.0), out.transform.scale)) ok = false;
    if (!ok) return std::nullopt;
    out.file = *file;
    out.file_node = file_node;
    if (!out.transform.is_identity()) out.transform.set_at.push_back(item.where);
    return out;
  }

  /// A file whose shocks were already moved or scaled one way cannot be included another way.
  void check_same_transform(const LoadedRecord& earlier, const ShockTransform& here, const IncludeEntry& entry,
                            const std::string& name) {
    if (earlier.shocks_contributed == 0 || same_effect(earlier.transform, here)) return;
    const SourceLocation& at = earlier.included_at;
    diags_.error(entry.item->where, entry.item->path,
                 "'" + entry.file + "' (" + name + ") is included here with " + here.describe() + " and at " +
                     at.file.str() + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + " with " +
                     earlier.transform.describe() +
                     ": a file is loaded once, so its shocks can be shifted and scaled only one way");
  }

  std::size_t shock_count() const {
    const YNode* shocks = doc_.root.find("shocks");
    return shocks ? shocks->items.size() : 0;
  }

  /// True (and reported) when `canonical` is already on the include chain.
  bool report_cycle(const fs::path& canonical, const std::string& name, const YNode& item) {
    for (std::size_t i = 0; i < chain_.size(); ++i) {
      if (chain_[i].canonical != canonical) continue;
      std::string names;
      for (std::size_t j = i; j < chain_.size(); ++j) names += chain_[j].name + " -> ";
      diags_.error(item.where, item.path, "include cycle: " + names + name);
      return true;
    }
    return false;
  }

  /// Moves the sections of one parsed file into the document (the file's tree is not used again).
  void merge_file(YNode&& file_root, bool is_main) {
    const bool format_missing = is_main && !file_root.find("format");
    for (YEntry& e : file_root.entries) {
      const Section* section = find_section(e.key);
      if (!section) {
        diags_.error(e.key_where, "", unknown_name_message("key", e.key, section_names()));
        continue;
      }
      switch (section->merge) {
        case Merge::include:
          break;
        case Merge::main_only:
          if (e.key == "format") check_format(e.value);
          if (is_main)
            doc_.root.entries.push_back(std::move(e));
          else if (e.key == "scenario")
            doc_.included_scenarios.push_back(std::move(e.value));
          break;
        case Merge::concatenate:
          if (!e.value.is_sequence()) {
            diags_.error(e.value.where, e.value.path, "expected a list, got " + e.value.describe());
          } else {
            if (e.key == "shocks" && !transform_.is_identity())
              for (const YNode& shock : e.value.items) doc_.shock_transforms.add(shock.where, transform_);
            if (YNode* existing = doc_.root.find(e.key))
              existing->items.insert(existing->items.end(), std::make_move_iterator(e.value.items.begin()),
                                     std::make_move_iterator(e.value.items.end()));
            else
              doc_.root.entries.push_back(std::move(e));
          }
          break;
        case Merge::by_key:
          if (!e.value.is_mapping()) {
            diags_.error(e.value.where, e.value.path, "expected a mapping, got " + e.value.describe());
          } else if (YNode* existing = doc_.root.find(e.key)) {
            merge_mapping(*existing, std::move(e.value), section->depth);
          } else {
            doc_.root.entries.push_back(std::move(e));
          }
          break;
      }
    }
    if (format_missing)
      diags_.error(file_root.where, "",
                   "missing required key 'format' (the first line of a scenario is `format: " + std::string(kFormatTag) +
                       "`)");
  }

  void check_format(const YNode& format) {
    if (format.is_scalar() && format.text == kFormatTag) return;
    diags_.error(format.where, format.path,
                 "unsupported format " + format.describe() + " (expected '" + std::string(kFormatTag) + "')");
  }

  struct ChainLink {
    fs::path canonical;
    std::string name;
  };

  Diagnostics& diags_;
  ScenarioDocument doc_;
  std::vector<LoadedRecord> loaded_;  ///< every file opened
  ShockTransform transform_;          ///< what the includes leading to the file being read do to its shocks
  std::vector<ChainLink> chain_;  ///< the include chain from the main file to the one being read
};

/// Reports an override problem at the command line.
void override_error(const Override& o, std::string message, Diagnostics& diags) {
  diags.error({std::string(kCommandLine), 0, 0}, "--set " + o.path, std::move(message));
}

/// What one item of a list section is called in messages.
std::string_view item_noun(std::string_view section) {
  if (section == "firms") return "firm";
  if (section == "exposures") return "exposure";
  if (section == "shocks") return "shock";
  if (section == "loops") return "loop";
  if (section == "projects") return "project";
  return "network";
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    out.emplace_back(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

/// Gives `node` and everything under it the location of a `--set` value, `path` being its own.
void locate_at_command_line(YNode& node, const std::string& path) {
  node.where = {std::string(kCommandLine), 0, 0};
  node.path = path;
  for (std::size_t i = 0; i < node.items.size(); ++i) locate_at_command_line(node.items[i], item_path(path, i));
  for (YEntry& e : node.entries) {
    e.key_where = node.where;
    locate_at_command_line(e.value, child_path(path, e.key));
  }
}

/// The value of `o`: a YAML flow list or mapping when it starts with `[` or `{`, else a scalar.
std::optional<YNode> override_value(const Override& o, Diagnostics& diags) {
  YNode value;
  if (o.value.starts_with('[') || o.value.starts_with('{')) {
    Diagnostics syntax;
    std::optional<YNode> parsed = parse_yaml(o.value, std::string(kCommandLine), syntax);
    if (!parsed || syntax.has_errors()) {  // parsed with problems: a key twice, a control character
      for (const Diagnostic& d : syntax.errors())
        override_error(o,
                       "cannot read '" + o.value + "' as a YAML flow " + (o.value[0] == '[' ? "list" : "mapping") +
                           ": " + d.message,
                       diags);
      return std::nullopt;
    }
    value = std::move(*parsed);
  } else {
    value.kind = YNode::Kind::scalar;
    value.text = o.value;
  }
  locate_at_command_line(value, "--set " + o.path);
  return value;
}

/// How to write a new value for the list or mapping `node`, for messages: its current items
/// in flow style when they are a few single values.
std::string flow_example(const YNode& node, const std::string& path) {
  constexpr std::size_t kMaxItemsShown = 8;
  std::string items;
  const bool short_list =
      node.is_sequence() && node.items.size() <= kMaxItemsShown &&
      std::all_of(node.items.begin(), node.items.end(), [](const YNode& i) { return i.is_scalar(); });
  if (short_list)
    for (const YNode& i : node.items) items += (items.empty() ? "" : ",") + i.text;
  if (node.is_sequence()) return "--set " + path + "=[" + (short_list ? items : "a,b") + "]";
  return "--set " + path + "={key: value, ...}";
}

}  // namespace

ScenarioDocument load_document(const fs::path& main, const InputLimits& limits, Diagnostics& diags) {
  DocumentLoader loader(limits, diags);
  loader.load(main, main.string(), nullptr);
  return loader.take();
}

std::string override_path_problem(std::string_view path) {
  if (path.empty()) return "empty path";
  for (const std::string& segment : split_path(path))
    if (segment.empty()) return "empty name in path '" + std::string(path) + "'";
  return {};
}

void apply_override(YNode& root, const Override& o, Diagnostics& diags) {
  const SourceLocation command_line{std::string(kCommandLine), 0, 0};
  if (std::string problem = override_path_problem(o.path); !problem.empty()) {
    override_error(o, std::move(problem), diags);
    return;
  }
  const std::vector<std::string> segments = split_path(o.path);
  const Section* section = find_section(segments.front());
  if (!section || section->merge == Merge::include || segments.front() == "format") {
    std::vector<std::string> names;
    for (const Section& s : kSections)
      if (s.merge != Merge::include && s.key != "format") names.emplace_back(s.key);
    override_error(o, unknown_name_message("section", segments.front(), names), diags);
    return;
  }

  // The value is read before the path is walked: the walk adds the mappings a new path needs,
  // which an unreadable value would leave behind (to be reported again as the wrong kind).
  std::optional<YNode> value = override_value(o, diags);
  if (!value) return;

  YNode* node = &root;
  std::string walked;  // dotted path of `node`, for messages
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    if (node->is_sequence()) {
      // A list item is addressed by its id.
      YNode* match = nullptr;
      std::vector<std::string> ids;
      for (YNode& item : node->items) {
        const YNode* id = item.find("id");
        if (!id || !id->is_scalar()) continue;
        ids.push_back(id->text);
        if (id->text == segment) match = &item;
      }
      if (!match) {
        const std::string noun = i == 1 ? std::string(item_noun(segments.front())) : "list item";
        override_error(o, unknown_name_message(noun, segment, ids), diags);
        return;
      }
      node = match;
    } else if (node->is_mapping()) {
      YNode* child = node->find(segment);
      if (!child) {
        if (section->merge == Merge::concatenate && i == 0) {
          override_error(o, "the scenario has no '" + segment + "'", diags);
          return;
        }
        YEntry& added = node->entries.emplace_back();
        added.key = segment;
        added.key_where = command_line;
        added.value.kind = YNode::Kind::mapping;  // an intermediate; the last one becomes a scalar below
        added.value.where = command_line;
        added.value.path = "--set " + child_path(walked, segment);
        child = &added.value;
      }
      node = child;
    } else {
      override_error(o, "'" + walked + "' is a single value, not a mapping", diags);
      return;
    }
    walked = child_path(walked, segment);
  }

  // A single value replaces a single value, or a figure {value, source, note} as a whole; a
  // list or mapping needs one written out.
  const bool is_figure = node->is_mapping() && node->find("value") != nullptr;
  const bool created = node->is_mapping() && node->entries.empty() && node->where.file == kCommandLine;
  if (value->is_scalar() && !node->is_scalar() && !node->is_null() && !is_figure && !created) {
    override_error(o,
                   "'" + o.path + "' is " + node->describe() + ", not a single value: write the whole " +
                       (node->is_sequence() ? "list" : "mapping") + " in YAML flow style, e.g. " +
                       flow_example(*node, o.path),
                   diags);
    return;
  }
  *node = std::move(*value);
}

}  // namespace cascade::scenario
