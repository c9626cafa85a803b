// Tests of ExposureNetwork on a small model built by hand.
#include "engine/network/exposure_network.h"

#include <gtest/gtest.h>

#include <boost/graph/strong_components.hpp>

#include <set>
#include <string>
#include <vector>

#include "engine/core/diagnostics.h"
#include "engine/model/model.h"
#include "engine/network/graph_types.h"

namespace cascade {
namespace {

std::vector<ExposureIdx> list(std::span<const ExposureIdx> span) { return {span.begin(), span.end()}; }

// Four firms: 0 bank, 1 lab, 2 cloud, 3 chipmaker. Exposures run exposed party -> obligor:
//   e0 bank -> lab        loan                     e3 lab -> chipmaker  warrant the lab holds
//   e1 cloud -> lab       compute the lab owes     e4 bank -> cloud     loan
//   e2 chipmaker -> cloud GPUs the cloud owes      e5 bank -> lab       second loan
// The loop lab -> chipmaker -> cloud -> lab (e3, e2, e1) is one strongly connected component.
Model tiny_model() {
  Model model;
  for (const char* id : {"bank", "lab", "cloud", "chipmaker"}) {
    FirmSpec firm;
    firm.id = id;
    model.firms.push_back(firm);
  }
  const std::vector<std::pair<FirmIdx, FirmIdx>> edges = {{0, 1}, {2, 1}, {3, 2}, {1, 3}, {0, 2}, {0, 1}};
  for (std::size_t i = 0; i < edges.size(); ++i) {
    ExposureSpec exposure;
    exposure.id = "e" + std::to_string(i);
    exposure.from = edges[i].first;
    exposure.to = edges[i].second;
    model.exposures.push_back(exposure);
  }
  return model;
}

TEST(ExposureNetwork, ListsExposuresOwedAndHeldInAscendingOrder) {
  const ExposureNetwork network(tiny_model());
  EXPECT_EQ(network.firm_count(), 4u);
  EXPECT_EQ(network.exposure_count(), 6u);
  // owed_by: the firm is `to` (obligor).
  EXPECT_EQ(list(network.owed_by(0)), (std::vector<ExposureIdx>{}));
  EXPECT_EQ(list(network.owed_by(1)), (std::vector<ExposureIdx>{0, 1, 5}));
  EXPECT_EQ(list(network.owed_by(2)), (std::vector<ExposureIdx>{2, 4}));
  EXPECT_EQ(list(network.owed_by(3)), (std::vector<ExposureIdx>{3}));
  // held_by: the firm is `from` (exposed party).
  EXPECT_EQ(list(network.held_by(0)), (std::vector<ExposureIdx>{0, 4, 5}));
  EXPECT_EQ(list(network.held_by(1)), (std::vector<ExposureIdx>{3}));
  EXPECT_EQ(list(network.held_by(2)), (std::vector<ExposureIdx>{1}));
  EXPECT_EQ(list(network.held_by(3)), (std::vector<ExposureIdx>{2}));
}

TEST(ExposureNetwork, BoostGraphRunsFromExposedPartyToObligor) {
  const ExposureNetwork network(tiny_model());
  const ExposureCsrGraph& g = network.graph().csr;
  EXPECT_EQ(boost::num_vertices(g), 4u);
  EXPECT_EQ(boost::num_edges(g), 6u);

  std::vector<ExposureIdx> out_of_bank;
  std::vector<FirmIdx> targets;
  for (auto [it, end] = boost::out_edges(FirmIdx{0}, g); it != end; ++it) {
    out_of_bank.push_back(g[*it].exposure);
    targets.push_back(boost::target(*it, g));
  }
  EXPECT_EQ(out_of_bank, (std::vector<ExposureIdx>{0, 4, 5}));
  EXPECT_EQ(targets, (std::vector<FirmIdx>{1, 2, 1}));

  std::set<ExposureIdx> into_lab;
  for (auto [it, end] = boost::in_edges(FirmIdx{1}, g); it != end; ++it) {
    EXPECT_EQ(boost::target(*it, g), 1u);
    into_lab.insert(g[*it].exposure);
  }
  EXPECT_EQ(into_lab, (std::set<ExposureIdx>{0, 1, 5}));

  // The lab -> chipmaker -> cloud -> lab loop is one component; the bank is on its own.
  std::vector<int> component(boost::num_vertices(g));
  EXPECT_EQ(boost::strong_components(g, component.data()), 2);
  EXPECT_EQ(component[1], component[2]);
  EXPECT_EQ(component[2], component[3]);
  EXPECT_NE(component[0], component[1]);
}

TEST(ExposureNetwork, CopiesShareTheGraphAndOutliveTheModel) {
  ExposureNetwork copy = [] {
    const ExposureNetwork original(tiny_model());
    ExposureNetwork c = original;
    EXPECT_EQ(&c.graph(), &original.graph());
    return c;
  }();
  EXPECT_EQ(list(copy.owed_by(1)), (std::vector<ExposureIdx>{0, 1, 5}));
  EXPECT_EQ(boost::num_edges(copy.graph().csr), 6u);
}

TEST(ExposureNetwork, HandlesAModelWithoutExposures) {
  Model model = tiny_model();
  model.exposures.clear();
  const ExposureNetwork network(model);
  EXPECT_EQ(network.firm_count(), 4u);
  EXPECT_EQ(network.exposure_count(), 0u);
  for (FirmIdx f = 0; f < 4; ++f) {
    EXPECT_TRUE(network.owed_by(f).empty());
    EXPECT_TRUE(network.held_by(f).empty());
  }
  EXPECT_EQ(ExposureNetwork(Model{}).firm_count(), 0u);
}

TEST(ExposureNetwork, RejectsExposureToUnknownFirm) {
  Model model = tiny_model();
  model.exposures[2].to = 4;
  EXPECT_THROW(ExposureNetwork{model}, InternalError);
}

}  // namespace
}  // namespace cascade
