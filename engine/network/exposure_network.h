// The model's exposure graph in compressed sparse row form, for the tick loop and for graph
// algorithms (strongly connected components, cycles).
//
// Vertices are firms (FirmIdx), edges are exposures (ExposureIdx) running from the exposed
// party (`ExposureSpec::from`: lender, lessor, supplier, investor) to the obligor (`to`), the
// direction of Model's convention; scheduled payments flow against the edges.
//
//   const ExposureNetwork network(model);
//   for (ExposureIdx e : network.owed_by(firm)) { /* firm pays on model.exposures[e] */ }
//   for (ExposureIdx e : network.held_by(firm)) { /* firm is paid on model.exposures[e] */ }
//
// This header stays free of Boost; code that runs Boost.Graph algorithms includes
// engine/network/graph_types.h and uses `graph().csr`.
//
// Ownership and thread safety: immutable after construction and independent of the Model it
// was built from (it copies the endpoints it needs). Copies share the Boost graph. Concurrent
// reads from any number of threads are safe.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "engine/core/types.h"

namespace cascade {

struct Model;
struct ExposureGraph;  // engine/network/graph_types.h

class ExposureNetwork {
 public:
  /// Throws InternalError when an exposure names a firm outside `model.firms` (validation
  /// guarantees it does not).
  explicit ExposureNetwork(const Model& model);

  std::size_t firm_count() const { return owed_offsets_.size() - 1; }
  std::size_t exposure_count() const { return owed_exposures_.size(); }

  /// Exposures on which `firm` is the obligor (it owes, pays), ascending. Precondition:
  /// firm < firm_count().
  std::span<const ExposureIdx> owed_by(FirmIdx firm) const {
    return {owed_exposures_.data() + owed_offsets_[firm], owed_exposures_.data() + owed_offsets_[firm + 1]};
  }
  /// Exposures on which `firm` is the exposed party (it holds, is paid), ascending.
  /// Precondition: firm < firm_count().
  std::span<const ExposureIdx> held_by(FirmIdx firm) const {
    return {held_exposures_.data() + held_offsets_[firm], held_exposures_.data() + held_offsets_[firm + 1]};
  }

  /// The Boost.Graph view (complete type in graph_types.h).
  const ExposureGraph& graph() const { return *graph_; }

 private:
  std::vector<std::size_t> owed_offsets_;  ///< CSR by obligor: firm_count() + 1 offsets
  std::vector<ExposureIdx> owed_exposures_;
  std::vector<std::size_t> held_offsets_;  ///< CSR by exposed party
  std::vector<ExposureIdx> held_exposures_;
  std::shared_ptr<const ExposureGraph> graph_;
};

}  // namespace cascade
