// Synthetic plain networks (engine/generate/network_generator.h): determinism, the shape of
// each kind, balance sheets that the reader and the clearing models accept.
#include "engine/generate/network_generator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "engine/contagion/interbank_network.h"
#include "engine/contagion/plain_models.h"

namespace cascade::generate {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(GenerateNetwork, SameSeedSameBytesOtherSeedOtherNetwork) {
  const fs::path dir = fs::path(::testing::TempDir()) / "cascade_generate_determinism";
  fs::remove_all(dir);
  std::string error;
  const NetworkSpec spec{.kind = NetworkKind::scale_free, .nodes = 500, .mean_degree = 4, .seed = 9};
  ASSERT_TRUE(write_plain_network(generate_network(spec), dir / "a", error)) << error;
  ASSERT_TRUE(write_plain_network(generate_network(spec), dir / "b", error)) << error;
  for (const char* file : {"nodes.csv", "edges.csv", "shock.csv"})
    EXPECT_EQ(read_file(dir / "a" / file), read_file(dir / "b" / file)) << file;
  NetworkSpec other = spec;
  other.seed = 10;
  ASSERT_TRUE(write_plain_network(generate_network(other), dir / "c", error)) << error;
  EXPECT_NE(read_file(dir / "a" / "edges.csv"), read_file(dir / "c" / "edges.csv"));

  // What was written reads back as the same network.
  Diagnostics diags;
  const IndexedPlainNetwork back = read_indexed_plain_network(dir / "a", diags);
  ASSERT_FALSE(diags.has_errors()) << diags.items().front().format();
  const IndexedPlainNetwork net = generate_network(spec);
  EXPECT_EQ(back.external_assets, net.external_assets);
  ASSERT_EQ(back.edges.size(), net.edges.size());
  for (std::size_t k = 0; k < net.edges.size(); ++k) {
    EXPECT_EQ(back.edges[k].creditor, net.edges[k].creditor);
    EXPECT_EQ(back.edges[k].amount, net.edges[k].amount);
  }
  fs::remove_all(dir);
}

TEST(GenerateNetwork, ErdosRenyiHasTheMeanDegreeAndNoRepeatedPairs) {
  const IndexedPlainNetwork net = generate_network({.nodes = 20'000, .mean_degree = 10, .seed = 3});
  // G(n, p): the edge count is Binomial(n (n - 1), p), mean 2e5 and sd ~447; 5 sd allowed.
  EXPECT_NEAR(static_cast<double>(net.edges.size()), 200'000.0, 5 * 447.0);
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (const auto& e : net.edges) {
    EXPECT_NE(e.debtor, e.creditor);
    EXPECT_TRUE(pairs.insert({e.debtor, e.creditor}).second);
    EXPECT_GE(e.amount, 0.1);
    EXPECT_LE(e.amount, 10.0);
  }
}

TEST(GenerateNetwork, ScaleFreeHasHubsAndCorePeripheryACore) {
  const std::uint32_t n = 20'000;
  std::vector<std::size_t> in_degree(n, 0);
  for (const auto& e : generate_network({.kind = NetworkKind::scale_free, .nodes = n, .seed = 4}).edges)
    ++in_degree[e.creditor];
  // Weights (r + 1)^(-2/3): node 0 takes 1 / sum_r (r + 1)^(-2/3) ~ 1/79 of the 2e5 creditor draws.
  EXPECT_GT(in_degree[0], 2000u);
  EXPECT_LT(in_degree[n - 1], 20u);
  const IndexedPlainNetwork cp = generate_network({.kind = NetworkKind::core_periphery, .nodes = n, .seed = 4});
  const std::uint32_t core = n / 20;
  for (const auto& e : cp.edges) EXPECT_TRUE(e.debtor < core || e.creditor < core) << "periphery-periphery edge";
}

TEST(GenerateNetwork, BalanceSheetsAreValidAndAMinorityDefaults) {
  for (NetworkKind kind : {NetworkKind::erdos_renyi, NetworkKind::scale_free, NetworkKind::core_periphery}) {
    IndexedPlainNetwork plain = generate_network({.kind = kind, .nodes = 5000, .mean_degree = 10, .seed = 5});
    EXPECT_NEAR(static_cast<double>(plain.shocks.size()) / 5000.0, 0.1, 0.02) << to_string(kind);
    Diagnostics diags;
    const contagion::InterbankNetwork net = contagion::make_interbank_network(std::move(plain), diags);
    ASSERT_FALSE(diags.has_errors());
    for (contagion::NodeIdx i = 0; i < net.size(); ++i) {
      const double assets = net.external_assets[i] + net.interbank_assets[i];
      // Capital ratio in [0.04, 0.12] of total assets, up to the 1e-4 rounding of the amounts.
      EXPECT_GE(net.equity_before(i), 0.04 * assets - 1e-3) << i;
      EXPECT_LE(net.equity_before(i), 0.12 * assets + 1e-3) << i;
    }
    const contagion::PlainModelResult en = contagion::run_plain_model(net, {});
    EXPECT_GT(en.defaults, 0u) << to_string(kind);
    EXPECT_LT(en.defaults, net.size() / 4) << to_string(kind);
  }
}

TEST(GenerateNetwork, KindNamesRoundTrip) {
  for (NetworkKind k : {NetworkKind::erdos_renyi, NetworkKind::scale_free, NetworkKind::core_periphery})
    EXPECT_EQ(parse_network_kind(to_string(k)), k);
  EXPECT_FALSE(parse_network_kind("random").has_value());
}

}  // namespace
}  // namespace cascade::generate
