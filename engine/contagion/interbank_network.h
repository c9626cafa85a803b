// A plain network (nodes, interbank liabilities, shocks) in the numeric form the reference
// contagion models run on: dense node indices and the liabilities matrix L in compressed sparse
// rows, once by debtor and once by creditor.
//
//   Diagnostics diags;
//   const PlainNetwork plain = read_plain_network("tests/engine/contagion/data/ring", diags);
//   const InterbankNetwork net = make_interbank_network(plain, diags);  // more checks, same diags
//   double e0 = net.equity_before(0);  // book equity before the shock
//
// Rows of edges.csv that name the same (debtor, creditor) pair are one liability, their sum
// (L is a matrix); the CSR entries keep the order in which each pair first appears, so every
// sum runs in a fixed order and results are reproducible.
//
// Balance sheet of node i (money in the network's unit):
//   interbank assets       A_i = sum_j L_ji         interbank liabilities  Lbar_i = sum_j L_ij
//   equity before shock    E0_i = ea_i + A_i - el_i - Lbar_i
//   shock loss             s_i * ea_i,   post-shock external assets e_i = ea_i - s_i * ea_i
//
// Ownership and thread safety: a plain value; concurrent reads are safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/network/plain_network.h"

namespace cascade::contagion {

/// Index of an institution in an InterbankNetwork (dense, 0-based, in nodes.csv order).
using NodeIdx = std::uint32_t;

/// One interbank liability by node index (debtor, creditor, amount > 0), for building networks
/// in code; the reader's edge rows have the same form.
using Liability = IndexedPlainNetwork::Edge;

struct InterbankNetwork {
  std::vector<std::string> ids;
  std::vector<double> external_assets;       ///< ea, before the shock, >= 0
  std::vector<double> external_liabilities;  ///< el, >= 0
  std::vector<double> shock_fraction;        ///< s, in [0, 1]
  std::size_t edge_rows = 0;                 ///< rows of edges.csv (before merging pairs)

  /// By debtor: entries [owed_offsets[i], owed_offsets[i+1]) are what node i owes.
  std::vector<std::size_t> owed_offsets;
  std::vector<NodeIdx> owed_creditor;
  std::vector<double> owed_amount;
  /// By creditor: entries [held_offsets[i], held_offsets[i+1]) are what node i is owed.
  std::vector<std::size_t> held_offsets;
  std::vector<NodeIdx> held_debtor;
  std::vector<double> held_amount;

  std::vector<double> interbank_assets;       ///< A_i, summed in held order
  std::vector<double> interbank_liabilities;  ///< Lbar_i, summed in owed order

  std::size_t size() const { return ids.size(); }
  /// Distinct (debtor, creditor) pairs with a liability.
  std::size_t pair_count() const { return owed_creditor.size(); }
  double shock_loss(NodeIdx i) const { return shock_fraction[i] * external_assets[i]; }
  /// e_i: what is left of the external assets after the shock.
  double shocked_external_assets(NodeIdx i) const { return external_assets[i] - shock_loss(i); }
  /// E0_i, book equity before the shock.
  double equity_before(NodeIdx i) const {
    return (external_assets[i] + interbank_assets[i]) - (external_liabilities[i] + interbank_liabilities[i]);
  }
  /// Sum over node i's claims of claim * recovery[debtor] (held order).
  double claims_value(NodeIdx i, std::span<const double> recovery) const {
    // The arrays' addresses and the row's end in locals: called inside a thread pool's task, the
    // loop otherwise reloaded one of them from the stack on every claim.
    const double* amount = held_amount.data();
    const NodeIdx* debtor = held_debtor.data();
    const double* rate = recovery.data();
    double value = 0.0;
    for (std::size_t k = held_offsets[i], end = held_offsets[i + 1]; k < end; ++k) value += amount[k] * rate[debtor[k]];
    return value;
  }
  /// Face-value equity after the shock when node i's claims are worth `claims`:
  /// e_i - el_i + claims - Lbar_i.
  double equity_from_claims(NodeIdx i, double claims) const {
    return ((shocked_external_assets(i) - external_liabilities[i]) + claims) - interbank_liabilities[i];
  }
  /// Face-value equity after the shock when each debtor j pays recovery[j] of its interbank
  /// liabilities: e_i - el_i + sum_j L_ji * recovery_j - Lbar_i. The one formula every model
  /// reports (and the clearing models test for default).
  double equity_at(NodeIdx i, std::span<const double> recovery) const {
    return equity_from_claims(i, claims_value(i, recovery));
  }
};

/// Builds the network from code. Preconditions (InternalError otherwise): the vectors have one
/// entry per id, amounts are finite and >= 0, fractions in [0, 1], liabilities name existing
/// nodes, amounts > 0, and no node owes itself.
InterbankNetwork make_interbank_network(std::vector<std::string> ids, std::vector<double> external_assets,
                                        std::vector<double> external_liabilities, std::vector<double> shock_fraction,
                                        std::span<const Liability> liabilities);

/// Builds the network from a plain network that `read_indexed_plain_network` accepted without
/// errors, consuming it: its edge rows are released once the debtor-ordered form is built, so
/// memory peaks near 28 bytes per edge row (16 for the row, 12 for the debtor-ordered form's
/// entry). Reports to `diags` (as errors) balance sheets whose totals overflow to infinity.
/// With `threads` > 1 the rows are checked in parts on those threads, rows in strictly ascending
/// (debtor, creditor) order (no pair repeats) are copied into the debtor-ordered form on two, and
/// the creditor-ordered form is built by up to four, each over a range of debtors; the network
/// is the same for any `threads`.
InterbankNetwork make_interbank_network(IndexedPlainNetwork&& plain, Diagnostics& diags, int threads = 1);

/// The same from rows that name nodes by id (read_plain_network's form).
InterbankNetwork make_interbank_network(const PlainNetwork& plain, Diagnostics& diags);

}  // namespace cascade::contagion
