#include "engine/network/exposure_network.h"

#include <limits>
#include <string>
#include <utility>

#include "engine/core/diagnostics.h"
#include "engine/model/model.h"
#include "engine/network/graph_types.h"

namespace cascade {
namespace {

/// CSR index of exposures grouped by `key(exposure)`, ascending within each group (a stable
/// counting sort over the exposures in index order).
template <typename Key>
void group_by(const std::vector<ExposureSpec>& exposures, std::size_t firm_count, Key key,
              std::vector<std::size_t>& offsets, std::vector<ExposureIdx>& grouped) {
  offsets.assign(firm_count + 1, 0);
  for (const ExposureSpec& e : exposures) ++offsets[key(e) + 1];
  for (std::size_t f = 0; f < firm_count; ++f) offsets[f + 1] += offsets[f];
  grouped.resize(exposures.size());
  std::vector<std::size_t> cursor(offsets.begin(), offsets.end() - 1);
  for (std::size_t i = 0; i < exposures.size(); ++i) grouped[cursor[key(exposures[i])]++] = static_cast<ExposureIdx>(i);
}

}  // namespace

ExposureNetwork::ExposureNetwork(const Model& model) {
  const std::size_t firms = model.firms.size();
  const std::vector<ExposureSpec>& exposures = model.exposures;
  CASCADE_ASSERT(firms < std::numeric_limits<FirmIdx>::max() && exposures.size() < std::numeric_limits<ExposureIdx>::max(),
                 "the model is too large for 32-bit firm and exposure indices");
  for (std::size_t i = 0; i < exposures.size(); ++i) {
    const ExposureSpec& e = exposures[i];
    if (e.from >= firms || e.to >= firms)
      throw InternalError("ExposureNetwork: exposure " + std::to_string(i) + " ('" + e.id + "') joins firms " +
                          std::to_string(e.from) + " -> " + std::to_string(e.to) + ", but the model has " +
                          std::to_string(firms) + " firms");
  }
  group_by(exposures, firms, [](const ExposureSpec& e) { return e.to; }, owed_offsets_, owed_exposures_);
  group_by(exposures, firms, [](const ExposureSpec& e) { return e.from; }, held_offsets_, held_exposures_);

  // Edges grouped by source (held_exposures_ order) keep ascending ExposureIdx per vertex.
  std::vector<std::pair<FirmIdx, FirmIdx>> edges;
  std::vector<ExposureEdge> bundles;
  edges.reserve(exposures.size());
  bundles.reserve(exposures.size());
  for (ExposureIdx idx : held_exposures_) {
    edges.emplace_back(exposures[idx].from, exposures[idx].to);
    bundles.push_back(ExposureEdge{idx});
  }
  auto graph = std::make_shared<ExposureGraph>();
  graph->csr = ExposureCsrGraph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), bundles.begin(),
                                static_cast<FirmIdx>(firms));
  graph_ = std::move(graph);
}

}  // namespace cascade
