#include "engine/contagion/interbank_network.h"

#include <cmath>
#include <functional>
#include <limits>
#include <string_view>
#include <utility>

namespace cascade::contagion {
namespace {

constexpr std::size_t kNoEntry = std::numeric_limits<std::size_t>::max();

[[noreturn]] void bad_input(const std::string& what) { throw InternalError("make_interbank_network: " + what); }

/// Fills the two CSR forms and the totals from liabilities in input order, merging pairs.
void build_csr(InterbankNetwork& net, std::span<const Liability> liabilities) {
  const std::size_t n = net.size();
  // Stable counting sort by debtor.
  std::vector<std::size_t> by_debtor_offsets(n + 1, 0);
  for (const Liability& l : liabilities) ++by_debtor_offsets[l.debtor + 1];
  for (std::size_t i = 0; i < n; ++i) by_debtor_offsets[i + 1] += by_debtor_offsets[i];
  std::vector<std::size_t> order(liabilities.size());
  {
    std::vector<std::size_t> cursor(by_debtor_offsets.begin(), by_debtor_offsets.end() - 1);
    for (std::size_t k = 0; k < liabilities.size(); ++k) order[cursor[liabilities[k].debtor]++] = k;
  }
  // Merge each debtor's rows per creditor, keeping the order of first appearance.
  std::vector<std::size_t> entry_of_creditor(n, kNoEntry);
  net.owed_offsets.assign(n + 1, 0);
  net.owed_creditor.clear();
  net.owed_amount.clear();
  net.owed_creditor.reserve(liabilities.size());
  net.owed_amount.reserve(liabilities.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t first = net.owed_creditor.size();
    for (std::size_t r = by_debtor_offsets[i]; r < by_debtor_offsets[i + 1]; ++r) {
      const Liability& l = liabilities[order[r]];
      std::size_t& entry = entry_of_creditor[l.creditor];
      if (entry == kNoEntry || entry < first) {
        entry = net.owed_creditor.size();
        net.owed_creditor.push_back(l.creditor);
        net.owed_amount.push_back(l.amount);
      } else {
        net.owed_amount[entry] += l.amount;
      }
    }
    net.owed_offsets[i + 1] = net.owed_creditor.size();
  }
  // The same entries by creditor (stable: ascending debtor, then owed order).
  const std::size_t pairs = net.owed_creditor.size();
  net.held_offsets.assign(n + 1, 0);
  for (NodeIdx c : net.owed_creditor) ++net.held_offsets[c + 1];
  for (std::size_t i = 0; i < n; ++i) net.held_offsets[i + 1] += net.held_offsets[i];
  net.held_debtor.resize(pairs);
  net.held_amount.resize(pairs);
  std::vector<std::size_t> cursor(net.held_offsets.begin(), net.held_offsets.end() - 1);
  for (NodeIdx i = 0; i < n; ++i)
    for (std::size_t k = net.owed_offsets[i]; k < net.owed_offsets[i + 1]; ++k) {
      const std::size_t e = cursor[net.owed_creditor[k]]++;
      net.held_debtor[e] = i;
      net.held_amount[e] = net.owed_amount[k];
    }
  net.interbank_liabilities.assign(n, 0.0);
  net.interbank_assets.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = net.owed_offsets[i]; k < net.owed_offsets[i + 1]; ++k)
      net.interbank_liabilities[i] += net.owed_amount[k];
    for (std::size_t k = net.held_offsets[i]; k < net.held_offsets[i + 1]; ++k)
      net.interbank_assets[i] += net.held_amount[k];
  }
}

/// Node ids to indices: open addressing with the hash kept beside the index, so a lookup
/// usually touches one slot and one id (std::unordered_map touches three places; at 10^7 edge
/// rows that was most of the time spent here).
class IdIndex {
 public:
  explicit IdIndex(const std::vector<PlainNetwork::Node>& nodes) : nodes_(nodes) {
    std::size_t capacity = 16;
    while (capacity < 2 * nodes.size()) capacity *= 2;
    mask_ = capacity - 1;
    slots_.assign(capacity, Slot{});
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const std::size_t h = std::hash<std::string_view>{}(nodes[i].id);
      std::size_t s = h & mask_;
      while (slots_[s].index != kEmpty) s = (s + 1) & mask_;
      slots_[s] = {h, static_cast<NodeIdx>(i)};
    }
  }
  NodeIdx find(const std::string& id) const {
    const std::size_t h = std::hash<std::string_view>{}(id);
    for (std::size_t s = h & mask_; slots_[s].index != kEmpty; s = (s + 1) & mask_)
      if (slots_[s].hash == h && nodes_[slots_[s].index].id == id) return slots_[s].index;
    throw InternalError("make_interbank_network: unknown node '" + id + "' (the reader checks ids)");
  }

 private:
  static constexpr NodeIdx kEmpty = std::numeric_limits<NodeIdx>::max();
  struct Slot {
    std::size_t hash = 0;
    NodeIdx index = kEmpty;
  };
  const std::vector<PlainNetwork::Node>& nodes_;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

}  // namespace

InterbankNetwork make_interbank_network(std::vector<std::string> ids, std::vector<double> external_assets,
                                        std::vector<double> external_liabilities, std::vector<double> shock_fraction,
                                        std::span<const Liability> liabilities) {
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
  for (std::size_t k = 0; k < liabilities.size(); ++k) {
    const Liability& l = liabilities[k];
    if (l.debtor >= n || l.creditor >= n) bad_input("liability " + std::to_string(k) + " names a node out of range");
    if (l.debtor == l.creditor) bad_input("liability " + std::to_string(k) + ": a node owes itself");
    if (!std::isfinite(l.amount) || l.amount <= 0.0)
      bad_input("liability " + std::to_string(k) + ": amount must be finite and > 0");
  }
  InterbankNetwork net;
  net.ids = std::move(ids);
  net.external_assets = std::move(external_assets);
  net.external_liabilities = std::move(external_liabilities);
  net.shock_fraction = std::move(shock_fraction);
  net.edge_rows = liabilities.size();
  build_csr(net, liabilities);
  return net;
}

InterbankNetwork make_interbank_network(const PlainNetwork& plain, Diagnostics& diags) {
  const std::size_t n = plain.nodes.size();
  std::vector<std::string> ids(n);
  std::vector<double> ea(n), el(n), shock(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const PlainNetwork::Node& node = plain.nodes[i];
    ids[i] = node.id;
    ea[i] = node.external_assets;
    el[i] = node.external_liabilities;
  }
  const IdIndex index(plain.nodes);
  // Edge lists are often grouped by debtor: the last debtor's index is reused when it repeats.
  const std::string* last_debtor = nullptr;
  NodeIdx last_debtor_index = 0;
  const auto find_debtor = [&](const std::string& id) {
    if (last_debtor == nullptr || *last_debtor != id) {
      last_debtor = &id;
      last_debtor_index = index.find(id);
    }
    return last_debtor_index;
  };
  const auto find = [&index](const std::string& id) { return index.find(id); };
  std::vector<Liability> liabilities;
  liabilities.reserve(plain.edges.size());
  for (const PlainNetwork::Edge& e : plain.edges)
    liabilities.push_back({find_debtor(e.debtor), find(e.creditor), e.amount});
  for (const PlainNetwork::ShockRow& s : plain.shocks) shock[find(s.id)] = s.fraction;
  InterbankNetwork net =
      make_interbank_network(std::move(ids), std::move(ea), std::move(el), std::move(shock), liabilities);
  for (NodeIdx i = 0; i < net.size(); ++i) {
    if (std::isfinite(net.equity_before(i))) continue;
    diags.error(
        plain.nodes[i].where, "",
        "balance sheet of node '" + net.ids[i] + "' is too large: its total assets or liabilities overflow a double");
  }
  return net;
}

}  // namespace cascade::contagion
