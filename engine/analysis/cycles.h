// Strongly connected components and elementary cycles of a small directed graph.
//
// Generic graph code for the loop analysis (loops.h): vertices are 0 .. n-1, arcs are pairs.
// Parallel arcs are merged (a cycle is a sequence of vertices); a self-loop is a cycle of
// length 1.
//
//   const SimpleDigraph g(3, {{0, 1}, {1, 2}, {2, 0}, {1, 0}});
//   CycleSearch found = elementary_cycles(g, {.max_length = 6, .max_cycles = 100000});
//   // found.cycles == {{0, 1}, {0, 1, 2}} (each starts at its smallest vertex), found.truncated == false
//
// Elementary cycles (no repeated vertex) are enumerated once each, rooted at their smallest
// vertex s, inside the strongly connected component of s in the subgraph of vertices >= s.
// Without a length bound (or one at least that component's size) this is Johnson's algorithm
// (1975; O((n + e)(c + 1)) time for c cycles); with a bound it is a depth-first search that
// extends a path only while the shortest way back to s still fits in the bound (every branch
// it keeps can close within the bound, so the search spends its time on cycles, not dead ends).
// Thread safety: pure functions of their arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace cascade::analysis {

using Vertex = std::uint32_t;

/// A directed graph with sorted, duplicate-free successor and predecessor lists.
class SimpleDigraph {
 public:
  /// Arcs may repeat (merged); every endpoint must be < vertex_count (else InternalError).
  SimpleDigraph(std::size_t vertex_count, std::span<const std::pair<Vertex, Vertex>> arcs);
  SimpleDigraph(std::size_t vertex_count, std::initializer_list<std::pair<Vertex, Vertex>> arcs)
      : SimpleDigraph(vertex_count, std::span<const std::pair<Vertex, Vertex>>(arcs.begin(), arcs.size())) {}

  std::size_t vertex_count() const { return succ_offsets_.size() - 1; }
  std::size_t arc_count() const { return succ_.size(); }
  /// Successors of v, ascending. Precondition: v < vertex_count().
  std::span<const Vertex> successors(Vertex v) const {
    return {succ_.data() + succ_offsets_[v], succ_.data() + succ_offsets_[v + 1]};
  }
  /// Predecessors of v, ascending.
  std::span<const Vertex> predecessors(Vertex v) const {
    return {pred_.data() + pred_offsets_[v], pred_.data() + pred_offsets_[v + 1]};
  }
  bool has_arc(Vertex from, Vertex to) const;

 private:
  std::vector<std::size_t> succ_offsets_;
  std::vector<Vertex> succ_;
  std::vector<std::size_t> pred_offsets_;
  std::vector<Vertex> pred_;
};

/// Strongly connected components (Boost.Graph's `strong_components`, Tarjan's algorithm).
struct Components {
  /// Component number of each vertex; components are numbered by their smallest vertex, so
  /// vertex 0 is in component 0 and numbering does not depend on the algorithm's visiting order.
  std::vector<std::size_t> component_of;
  std::size_t count = 0;

  /// Components that contain a cycle (two or more vertices, or one with a self-loop), each
  /// ascending, ordered by size (largest first) then smallest vertex.
  std::vector<std::vector<Vertex>> cyclic(const SimpleDigraph& g) const;
};
Components strongly_connected_components(const SimpleDigraph& g);

struct CycleLimits {
  std::size_t max_length = 6;  ///< most arcs on a cycle; 0 = no bound
  /// Most cycles kept; when another one exists the search stops and reports `truncated`.
  std::size_t max_cycles = 100000;
};

struct CycleSearch {
  /// Each cycle as its vertices in arc order, starting at its smallest vertex: arcs
  /// c[0] -> c[1] -> ... -> c.back() -> c[0]. In the order found: by smallest vertex, then
  /// depth-first by ascending successor.
  std::vector<std::vector<Vertex>> cycles;
  bool truncated = false;  ///< more than max_cycles cycles exist (within the length bound)
};

CycleSearch elementary_cycles(const SimpleDigraph& g, const CycleLimits& limits);

/// Shortest path lengths (in arcs) from `source` to every vertex; SIZE_MAX when unreachable.
std::vector<std::size_t> bfs_distances(const SimpleDigraph& g, Vertex source);

}  // namespace cascade::analysis
