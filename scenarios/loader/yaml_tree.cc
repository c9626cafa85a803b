#include "scenarios/loader/yaml_tree.h"

#include <yaml-cpp/yaml.h>

namespace cascade::scenario {
namespace {

/// Upper bound on the nodes of one document once aliases are expanded: a guard against
/// "billion laughs" files, far above any real scenario (the baseline has a few thousand).
constexpr std::size_t kMaxNodes = 5'000'000;

class Converter {
 public:
  Converter(std::string file, Diagnostics& diags) : file_(std::move(file)), diags_(diags) {}

  /// Converts `node`; returns false once the document is known to be unusable (too large).
  bool convert(const YAML::Node& node, const SourceLocation& where, std::string path, YNode& out) {
    if (++node_count_ > kMaxNodes) {
      if (node_count_ == kMaxNodes + 1)
        diags_.error(where, path, "document too large: more than " + std::to_string(kMaxNodes) +
                                      " values once aliases are expanded");
      return false;
    }
    out.where = where;
    out.path = std::move(path);
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = YNode::Kind::null;
        return true;
      case YAML::NodeType::Scalar:
        out.kind = YNode::Kind::scalar;
        out.text = node.Scalar();
        // yaml-cpp tags plain scalars "?"; quoted ones "!"; explicitly tagged ones with the tag.
        out.plain = node.Tag() == "?";
        return true;
      case YAML::NodeType::Sequence: {
        out.kind = YNode::Kind::sequence;
        out.items.reserve(node.size());
        std::size_t index = 0;
        for (const YAML::Node& item : node) {
          YNode& converted = out.items.emplace_back();
          if (!convert(item, location_of(item), out.path + "[" + std::to_string(index++) + "]", converted))
            return false;
        }
        return true;
      }
      case YAML::NodeType::Map:
        out.kind = YNode::Kind::mapping;
        for (auto it = node.begin(); it != node.end(); ++it) {
          // Copies: the iterator hands out a temporary pair.
          const YAML::Node key = it->first;
          const YAML::Node value = it->second;
          const SourceLocation key_where = location_of(key);
          if (!key.IsScalar()) {
            diags_.error(key_where, out.path, "mapping keys must be plain names");
            continue;
          }
          if (const YEntry* first = out.find_entry(key.Scalar())) {
            diags_.error(key_where, child_path(out.path, key.Scalar()),
                         "duplicate key '" + key.Scalar() + "' (first at line " +
                             std::to_string(first->key_where.line) + ")");
            continue;
          }
          YEntry& entry = out.entries.emplace_back();
          entry.key = key.Scalar();
          entry.key_where = key_where;
          // A missing value (`cash:`) is marked where the next token starts; the key is clearer.
          const SourceLocation value_where = value.IsNull() ? key_where : location_of(value);
          if (!convert(value, value_where, child_path(out.path, entry.key), entry.value)) return false;
        }
        return true;
    }
    return true;
  }

  SourceLocation location_of(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    return {file_, mark.line + 1, mark.column + 1};  // yaml-cpp counts from 0
  }

 private:
  std::string file_;
  Diagnostics& diags_;
  std::size_t node_count_ = 0;
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
  return plain ? "'" + text + "'" : "the quoted string '" + text + "'";
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::optional<YNode> parse_yaml(const std::string& text, const std::string& file, Diagnostics& diags) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::ParserException& e) {
    diags.error({file, e.mark.line + 1, e.mark.column + 1}, "", "YAML syntax error: " + e.msg);
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    diags.error({file, 0, 0}, "", std::string("YAML error: ") + e.what());
    return std::nullopt;
  }
  if (documents.empty() || (documents.size() == 1 && documents[0].IsNull())) {
    diags.error({file, 0, 0}, "", "empty file");
    return std::nullopt;
  }
  Converter converter(file, diags);
  if (documents.size() > 1) {
    diags.error(converter.location_of(documents[1]), "",
                "a scenario file holds one YAML document, found " + std::to_string(documents.size()));
    return std::nullopt;
  }
  YNode root;
  if (!converter.convert(documents[0], converter.location_of(documents[0]), "", root)) return std::nullopt;
  return root;
}

}  // namespace cascade::scenario
