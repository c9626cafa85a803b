// Synthetic interbank networks in the plain network format, for benchmarks and research:
// Erdős–Rényi, scale-free and core-periphery liabilities with balance sheets drawn so that a
// minority of institutions is fragile, and a shock on a share of them.
//
//   const IndexedPlainNetwork net = generate_network({.kind = NetworkKind::erdos_renyi, .nodes = 100'000});
//   write_plain_network(net, "data/er-1e5");  // nodes.csv, edges.csv, shock.csv
//
// Every draw comes from the counter-based generator (engine/core/rng.h) keyed by (seed, node,
// draw index, quantity), so the same spec gives the same bytes on every machine.
//
// Liabilities (debtor -> creditor), mean out-degree D:
//  - erdos-renyi: each ordered pair independently with probability D / (n - 1) (G(n, p),
//    sampled by geometric skips);
//  - scale-free: out-degree Poisson(D), each creditor drawn with probability proportional to
//    (rank + 1)^(-1 / (gamma - 1)), gamma = 2.5: in-degrees follow a power law of exponent 2.5
//    (Chung & Lu 2002's expected-degree model); repeated pairs are separate rows;
//  - core-periphery: the first 5% of the nodes are the core; out-degree Poisson(D); a core
//    node lends to and borrows from core and periphery alike, a periphery node deals with the
//    core only (Craig & von Peter 2014's tiered structure).
// Amounts are log-uniform in [0.1, 10]. Balance sheet of node i: interbank assets A_i are a
// share theta_i ~ U(0.1, 0.3) of total assets T_i unless T_i must be larger (T_i >= 1.2 Lbar_i,
// and >= 1: the share is then smaller, and 0 for a node nobody owes); external
// assets ea_i = T_i - A_i; equity E0_i = c_i T_i with the capital ratio c_i ~ U(0.04, 0.12);
// external liabilities el_i = T_i - Lbar_i - E0_i (>= 0 by construction). A node is fragile in
// Gai & Kapadia's sense when one counterparty's default can wipe out its equity; with these
// draws that is a minority. The shock: each node with probability `shocked_share` loses a
// fraction U(0, shock_max) of its external assets. Amounts are rounded to 1e-4.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "engine/network/plain_network.h"

namespace cascade::generate {

enum class NetworkKind : std::uint8_t { erdos_renyi, scale_free, core_periphery };

std::string_view to_string(NetworkKind kind);
std::optional<NetworkKind> parse_network_kind(std::string_view text);

struct NetworkSpec {
  NetworkKind kind = NetworkKind::erdos_renyi;
  std::uint32_t nodes = 1000;  ///< >= 2
  double mean_degree = 10.0;   ///< liabilities per node, > 0 and < nodes - 1
  std::uint64_t seed = 1;
  double shocked_share = 0.1;  ///< in [0, 1]
  double shock_max = 0.3;      ///< in [0, 1]
};

/// The network, with ids "0", ..., "n-1". Throws InternalError when the spec is out of range
/// (the CLI checks it).
IndexedPlainNetwork generate_network(const NetworkSpec& spec);

/// Writes nodes.csv, edges.csv and shock.csv into `dir` (created if missing), numbers in their
/// shortest round-trip form, all three or none: each under a temporary name, renamed into place
/// once all are written. Returns false with `error` set when a file cannot be written (nothing
/// of this network is then left in `dir`).
bool write_plain_network(const IndexedPlainNetwork& net, const std::filesystem::path& dir, std::string& error);

}  // namespace cascade::generate
