// The exposure graph as a Boost.Graph compressed sparse row graph. Only network code includes
// this header (and with it Boost.Graph).
//
//   const ExposureCsrGraph& g = network.graph().csr;
//   for (auto e : boost::make_iterator_range(boost::out_edges(firm, g)))
//     ExposureIdx exposure = g[e].exposure;   // firm is the exposed party, target(e, g) the obligor
//
// Vertices are FirmIdx (0 .. firms - 1); each edge runs from the exposed party to the obligor
// and carries its ExposureIdx. The graph is bidirectional: in_edges(firm, g) are the exposures
// the firm owes. Out-edges of a vertex are in ascending ExposureIdx order.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include "engine/core/types.h"
#include "engine/network/exposure_network.h"

namespace cascade {

/// Edge bundle of the exposure graph.
struct ExposureEdge {
  ExposureIdx exposure = 0;
};

using ExposureCsrGraph = boost::compressed_sparse_row_graph<boost::bidirectionalS, boost::no_property, ExposureEdge,
                                                            boost::no_property, FirmIdx, ExposureIdx>;

/// Holder of the Boost graph, so that exposure_network.h can name it without Boost.
struct ExposureGraph {
  ExposureCsrGraph csr;
};

}  // namespace cascade
