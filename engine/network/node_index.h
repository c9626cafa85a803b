// The ids of nodes.csv while the plain network reader (engine/network/plain_network.cc) reads
// the files: each id's node index, the ids of rows with errors, and did-you-mean suggestions
// for unknown ids. An implementation part of that reader.
//
// Ownership: holds a reference to the reader's id vector, which must outlive it.
// Thread safety: dense(), size(), find() and first_line() only read, and may run on several
// threads while no id is added; unknown() changes only its own suggestion state.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/network/plain_rows.h"

namespace cascade {

/// The ids of nodes.csv, found by text. Ids of rows with errors are known too (as bad rows).
/// While the ids are 0, 1, ..., n-1 in order, lookups parse integers and no table is kept.
class NodeIndex {
 public:
  /// Above this many ids, unknown ids get no did-you-mean (it would compare against all).
  static constexpr std::size_t kMaxSuggestionCandidates = 100'000;
  /// Unknown ids longer than this get no did-you-mean.
  static constexpr std::size_t kMaxSuggestedIdBytes = 64;
  /// Edit-distance cells computed for did-you-mean per file (about a second), then no more.
  static constexpr std::size_t kSuggestionBudgetPerFile = 1'000'000'000;
  static constexpr std::uint32_t kUnknown = kUnknownNode;
  static constexpr std::uint32_t kBadRow = kBadRowNode;

  explicit NodeIndex(const std::vector<std::string>& ids) : ids_(ids) {}

  /// Whether the ids are 0, 1, ..., n-1 in order, with no row in error.
  bool dense() const { return dense_; }
  /// Records that nodes.csv could not be read to its end (no usable header, over --max-firms):
  /// an id the other files name may be one of its unread rows, not an unknown node (find).
  void mark_incomplete() { complete_ = false; }
  /// Good ids so far (when dense(), the canonical decimals of 0..size()-1).
  std::size_t size() const { return ids_.size(); }

  /// The node index of `id`, kBadRow or kUnknown. While nodes.csv is known to be read only in
  /// part (mark_incomplete), an id not found may be an unread row: kBadRow, never kUnknown.
  std::uint32_t find(std::string_view id) const {
    const std::uint32_t ref = find_ref(id);
    if (ref == kUnknown) return complete_ ? kUnknown : kBadRow;
    return ref & kBadBit ? kBadRow : ref;
  }

  /// The line where `id` first appeared, if it did.
  std::optional<int> first_line(std::string_view id, const std::vector<int>& node_lines) const {
    const std::uint32_t ref = find_ref(id);
    if (ref == kUnknown) return std::nullopt;
    return ref & kBadBit ? bad_lines_[ref & ~kBadBit] : node_lines[ref];
  }

  /// Records that ids_.back() was just added (a good row). A row whose id is the canonical
  /// decimal of its index while dense() leaves the index as it is and needs no call.
  void added_node() {
    const std::size_t i = ids_.size() - 1;
    if (dense_ && canonical_index(ids_[i], i + 1) == i) return;
    go_sparse(i);
    insert(ids_[i], static_cast<std::uint32_t>(i));
  }
  /// Records the id of a row with errors.
  void added_bad_row(std::string_view id, int line) {
    go_sparse(ids_.size());
    bad_ids_.emplace_back(id);
    bad_lines_.push_back(line);
    insert(bad_ids_.back(), static_cast<std::uint32_t>(bad_ids_.size() - 1) | kBadBit);
  }

  /// "unknown node 'x'", with a did-you-mean among the ids when there are not too many and the
  /// file's budget of comparisons allows it.
  std::string unknown(std::string_view id) {
    std::string out = "unknown node '" + excerpt(id) + "'";
    const std::size_t candidates = ids_.size() + bad_ids_.size();
    // Edit distances cost about |id| x |candidate| each; candidates can be at most a third longer.
    const std::size_t cost = candidates * (id.size() + 1) * (id.size() + id.size() / 3 + 2);
    if (candidates > kMaxSuggestionCandidates || id.size() > kMaxSuggestedIdBytes || cost > suggestion_budget_)
      return out;
    suggestion_budget_ -= cost;
    if (candidates_.empty()) {
      candidates_ = ids_;
      candidates_.insert(candidates_.end(), bad_ids_.begin(), bad_ids_.end());
    }
    const std::string suggestion = did_you_mean(std::string(id), candidates_);
    return suggestion.empty() ? out : out + " (did you mean '" + excerpt(suggestion) + "'?)";
  }

 private:
  static constexpr std::uint32_t kBadBit = 0x8000'0000u;
  struct Slot {
    std::size_t hash = 0;
    std::uint32_t ref = kUnknown;  ///< node index, or bad-row index | kBadBit
  };

  std::uint32_t find_ref(std::string_view id) const {
    if (dense_) return canonical_index(id, ids_.size()).value_or(kUnknown);
    if (slots_.empty()) return kUnknown;
    const std::size_t h = std::hash<std::string_view>{}(id);
    for (std::size_t s = h & mask_; slots_[s].ref != kUnknown; s = (s + 1) & mask_) {
      if (slots_[s].hash != h) continue;
      const std::uint32_t ref = slots_[s].ref;
      if ((ref & kBadBit) ? bad_ids_[ref & ~kBadBit] == id : ids_[ref] == id) return ref;
    }
    return kUnknown;
  }

  /// Leaves the dense mode, putting the first `count` ids in the table.
  void go_sparse(std::size_t count) {
    if (!dense_) return;
    dense_ = false;
    for (std::size_t i = 0; i < count; ++i) insert(ids_[i], static_cast<std::uint32_t>(i));
  }

  void insert(std::string_view id, std::uint32_t ref) {
    if (2 * (count_ + 1) > slots_.size()) {
      std::vector<Slot> old = std::move(slots_);
      slots_.assign(std::max<std::size_t>(16, 2 * old.size()), Slot{});
      mask_ = slots_.size() - 1;
      for (const Slot& s : old)
        if (s.ref != kUnknown) place(s);
    }
    place({std::hash<std::string_view>{}(id), ref});
    ++count_;
  }
  void place(const Slot& slot) {
    std::size_t s = slot.hash & mask_;
    while (slots_[s].ref != kUnknown) s = (s + 1) & mask_;
    slots_[s] = slot;
  }

  const std::vector<std::string>& ids_;
  bool dense_ = true;
  bool complete_ = true;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t count_ = 0;
  std::vector<std::string> bad_ids_;
  std::vector<int> bad_lines_;
  std::vector<std::string> candidates_;
  std::size_t suggestion_budget_ = kSuggestionBudgetPerFile;
};

}  // namespace cascade
