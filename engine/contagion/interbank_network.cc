#include "engine/contagion/interbank_network.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string_view>
#include <utility>

#include "engine/core/huge_pages.h"
#include "engine/core/parallel_for.h"

namespace cascade::contagion {
namespace {

constexpr std::size_t kNoEntry = std::numeric_limits<std::size_t>::max();

[[noreturn]] void bad_input(const std::string& what) { throw InternalError("make_interbank_network: " + what); }

/// Fills the debtor-ordered CSR form from liabilities already in debtor order, merging pairs:
/// each debtor's rows in their order, each creditor's rows added into its first one.
void merge_rows(InterbankNetwork& net, std::span<const Liability> by_debtor) {
  const std::size_t n = net.size();
  reserve_huge(net.owed_creditor, by_debtor.size());
  reserve_huge(net.owed_amount, by_debtor.size());
  net.owed_offsets.assign(n + 1, 0);
  std::vector<std::size_t> entry_of_creditor(n, kNoEntry);
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t first = net.owed_creditor.size();
    for (; k < by_debtor.size() && by_debtor[k].debtor == i; ++k) {
      const Liability& l = by_debtor[k];
      std::size_t& entry = entry_of_creditor[l.creditor];
      if (entry != kNoEntry && entry >= first) {
        net.owed_amount[entry] += l.amount;
        continue;
      }
      entry = net.owed_creditor.size();
      net.owed_creditor.push_back(l.creditor);
      net.owed_amount.push_back(l.amount);
    }
    net.owed_offsets[i + 1] = net.owed_creditor.size();
  }
}

/// The debtor-ordered form from liabilities in strictly ascending (debtor, creditor) order, in
/// which no pair repeats: their creditors and amounts as they are, each column copied by a thread
/// of its own.
void copy_rows(InterbankNetwork& net, std::span<const Liability> ascending, tbb::task_arena& arena) {
  parallel_for_index(arena, 2, 1, [&](std::size_t column) {
    if (column == 1) {
      reserve_huge(net.owed_amount, ascending.size());
      for (const Liability& l : ascending) net.owed_amount.push_back(l.amount);
      return;
    }
    reserve_huge(net.owed_creditor, ascending.size());
    net.owed_offsets.assign(net.size() + 1, 0);
    for (const Liability& l : ascending) {
      net.owed_creditor.push_back(l.creditor);
      ++net.owed_offsets[l.debtor + 1];
    }
    for (std::size_t i = 1; i < net.owed_offsets.size(); ++i) net.owed_offsets[i] += net.owed_offsets[i - 1];
  });
}

/// The debtor-ordered form from liabilities in input order: as they are when in strictly
/// ascending (debtor, creditor) order (as the generator and data written from a sparse matrix
/// have them), merged when in debtor order, else merged after a stable counting sort by debtor
/// (each debtor's rows keep their file order).
void build_owed(InterbankNetwork& net, std::span<const Liability> liabilities, bool strictly_ascending,
                tbb::task_arena& arena) {
  if (strictly_ascending) {
    copy_rows(net, liabilities, arena);
    return;
  }
  if (std::is_sorted(liabilities.begin(), liabilities.end(),
                     [](const Liability& a, const Liability& b) { return a.debtor < b.debtor; })) {
    merge_rows(net, liabilities);
    return;
  }
  std::vector<std::size_t> cursor(net.size() + 1, 0);  // then each debtor's next slot
  for (const Liability& l : liabilities) ++cursor[l.debtor + 1];
  for (std::size_t i = 1; i < cursor.size(); ++i) cursor[i] += cursor[i - 1];
  std::vector<Liability> sorted(liabilities.size());
  for (const Liability& l : liabilities) sorted[cursor[l.debtor]++] = l;
  merge_rows(net, sorted);
}

/// Most threads that build the creditor-ordered form: each keeps a cursor per node.
constexpr std::size_t kMaxHeldParts = 4;

/// Fills the creditor-ordered form (stable: ascending debtor, then owed order) and the totals.
/// A counting sort by creditor in `parts` ranges of debtors with about as many pairs each: each
/// range counts its pairs per creditor, the ranges' slots in a creditor's row follow in range
/// order, and each range scatters its pairs into its own slots (no two write the same slot).
void build_held(InterbankNetwork& net, int threads) {
  const std::size_t n = net.size();
  const std::size_t pairs = net.owed_creditor.size();
  const std::size_t parts = std::clamp<std::size_t>(static_cast<std::size_t>(threads), 1, kMaxHeldParts);
  std::vector<std::size_t> first_debtor(parts + 1, n);
  first_debtor[0] = 0;
  for (std::size_t p = 1; p < parts; ++p) {
    const auto at = std::lower_bound(net.owed_offsets.begin(), net.owed_offsets.end(), pairs * p / parts);
    first_debtor[p] = std::clamp(static_cast<std::size_t>(at - net.owed_offsets.begin()), first_debtor[p - 1], n);
  }
  tbb::task_arena arena(static_cast<int>(parts));
  const auto for_each_pair = [&](std::size_t p, const auto& body) {
    for (std::size_t i = first_debtor[p]; i < first_debtor[p + 1]; ++i)
      for (std::size_t k = net.owed_offsets[i]; k < net.owed_offsets[i + 1]; ++k) body(static_cast<NodeIdx>(i), k);
  };
  std::vector<std::vector<std::size_t>> cursor(parts);  // per range: its count, then its next slot, per creditor
  parallel_for_index(arena, parts, 1, [&](std::size_t p) {
    cursor[p].assign(n, 0);
    for_each_pair(p, [&](NodeIdx, std::size_t k) { ++cursor[p][net.owed_creditor[k]]; });
  });
  net.held_offsets.assign(n + 1, 0);
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t slot = net.held_offsets[c];
    for (std::size_t p = 0; p < parts; ++p) slot += std::exchange(cursor[p][c], slot);
    net.held_offsets[c + 1] = slot;
  }
  reserve_huge(net.held_debtor, pairs);
  reserve_huge(net.held_amount, pairs);
  net.held_debtor.resize(pairs);
  net.held_amount.resize(pairs);
  parallel_for_index(arena, parts, 1, [&](std::size_t p) {
    for_each_pair(p, [&](NodeIdx i, std::size_t k) {
      const std::size_t e = cursor[p][net.owed_creditor[k]]++;
      net.held_debtor[e] = i;
      net.held_amount[e] = net.owed_amount[k];
    });
  });
  net.interbank_liabilities.assign(n, 0.0);
  net.interbank_assets.assign(n, 0.0);
  constexpr std::size_t kNodesPerTask = 4096;
  parallel_for_index(arena, n, kNodesPerTask, [&](std::size_t i) {  // each node's sums in row order
    for (std::size_t k = net.owed_offsets[i]; k < net.owed_offsets[i + 1]; ++k)
      net.interbank_liabilities[i] += net.owed_amount[k];
    for (std::size_t k = net.held_offsets[i]; k < net.held_offsets[i + 1]; ++k)
      net.interbank_assets[i] += net.held_amount[k];
  });
}

/// Whether a liability meets the header's preconditions, without a branch (0 < amount <= max is
/// finite and > 0, NaN included).
bool valid_liability(const Liability& l, std::size_t n) {
  return static_cast<bool>(static_cast<int>(l.debtor < n) & static_cast<int>(l.creditor < n) &
                           static_cast<int>(l.debtor != l.creditor) & static_cast<int>(l.amount > 0.0) &
                           static_cast<int>(l.amount <= std::numeric_limits<double>::max()));
}

/// (debtor, creditor) as one number, for comparing pairs without a branch.
std::uint64_t pair_key(const Liability& l) { return (std::uint64_t{l.debtor} << 32) | l.creditor; }

/// Checks the liabilities against the header's preconditions (InternalError naming the first that
/// fails), in parts on the arena's threads; returns whether they are in strictly ascending
/// (debtor, creditor) order.
bool check_liabilities(std::span<const Liability> liabilities, std::size_t n, tbb::task_arena& arena) {
  constexpr std::size_t kRowsPerPart = std::size_t{1} << 16;
  const std::size_t parts = (liabilities.size() + kRowsPerPart - 1) / kRowsPerPart;
  std::vector<std::uint8_t> part_valid(parts, 0), part_ascending(parts, 0);
  parallel_for_index(arena, parts, 1, [&](std::size_t p) {
    const std::size_t begin = p * kRowsPerPart, end = std::min(liabilities.size(), begin + kRowsPerPart);
    bool valid = true, ascends = true;
    for (std::size_t k = begin; k < end; ++k) {
      valid &= valid_liability(liabilities[k], n);
      ascends &= k == 0 || pair_key(liabilities[k - 1]) < pair_key(liabilities[k]);
    }
    part_valid[p] = valid ? 1 : 0;
    part_ascending[p] = ascends ? 1 : 0;
  });
  if (std::find(part_valid.begin(), part_valid.end(), 0) != part_valid.end()) {
    const auto bad = std::find_if(liabilities.begin(), liabilities.end(),
                                  [n](const Liability& l) { return !valid_liability(l, n); });
    const std::string row = "liability " + std::to_string(bad - liabilities.begin());
    if (bad->debtor >= n || bad->creditor >= n) bad_input(row + " names a node out of range");
    if (bad->debtor == bad->creditor) bad_input(row + ": a node owes itself");
    bad_input(row + ": amount must be finite and > 0");
  }
  return std::find(part_ascending.begin(), part_ascending.end(), 0) == part_ascending.end();
}

/// The nodes' vectors, checked (InternalError when the preconditions of the header fail), with
/// the debtor-ordered form built from `liabilities`.
InterbankNetwork make_nodes_and_owed(std::vector<std::string> ids, std::vector<double> external_assets,
                                     std::vector<double> external_liabilities, std::vector<double> shock_fraction,
                                     std::span<const Liability> liabilities, int threads) {
  const std::size_t n = ids.size();
  if (n >= std::numeric_limits<NodeIdx>::max()) bad_input("too many nodes: " + std::to_string(n));
  if (external_assets.size() != n || external_liabilities.size() != n || shock_fraction.size() != n)
    bad_input("every node needs external assets, external liabilities and a shock fraction");
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(external_assets[i]) || external_assets[i] < 0.0 || !std::isfinite(external_liabilities[i]) ||
        external_liabilities[i] < 0.0)
      bad_input("node " + std::to_string(i) + ": external amounts must be finite and >= 0");
    if (!(shock_fraction[i] >= 0.0 && shock_fraction[i] <= 1.0))
      bad_input("node " + std::to_string(i) + ": shock fraction must be in [0, 1]");
  }
  tbb::task_arena arena(threads);
  const bool strictly_ascending = check_liabilities(liabilities, n, arena);
  InterbankNetwork net;
  net.ids = std::move(ids);
  net.external_assets = std::move(external_assets);
  net.external_liabilities = std::move(external_liabilities);
  net.shock_fraction = std::move(shock_fraction);
  net.edge_rows = liabilities.size();
  build_owed(net, liabilities, strictly_ascending, arena);
  return net;
}

}  // namespace

InterbankNetwork make_interbank_network(std::vector<std::string> ids, std::vector<double> external_assets,
                                        std::vector<double> external_liabilities, std::vector<double> shock_fraction,
                                        std::span<const Liability> liabilities) {
  InterbankNetwork net =
      make_nodes_and_owed(std::move(ids), std::move(external_assets), std::move(external_liabilities),
                          std::move(shock_fraction), liabilities, 1);
  build_held(net, 1);
  return net;
}

InterbankNetwork make_interbank_network(IndexedPlainNetwork&& plain, Diagnostics& diags, int threads) {
  std::vector<double> shock(plain.size(), 0.0);
  for (const IndexedPlainNetwork::Shock& s : plain.shocks) shock[s.node] = s.fraction;
  InterbankNetwork net =
      make_nodes_and_owed(std::move(plain.ids), std::move(plain.external_assets), std::move(plain.external_liabilities),
                          std::move(shock), plain.edges, threads);
  std::vector<Liability>().swap(plain.edges);  // release before the second form is built
  build_held(net, threads);
  for (NodeIdx i = 0; i < net.size(); ++i) {
    if (std::isfinite(net.equity_before(i))) continue;
    diags.error(
        plain.node_location(i), "",
        "balance sheet of node '" + net.ids[i] + "' is too large: its total assets or liabilities overflow a double");
  }
  return net;
}

InterbankNetwork make_interbank_network(const PlainNetwork& plain, Diagnostics& diags) {
  return make_interbank_network(index_plain_network(plain), diags);
}

}  // namespace cascade::contagion
