#include "engine/analysis/cycles.h"

#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <deque>
#include <limits>
#include <string>

#include "engine/core/diagnostics.h"

namespace cascade::analysis {
namespace {

constexpr std::size_t kUnreachable = std::numeric_limits<std::size_t>::max();

/// CSR lists of `arcs` keyed by `key`, sorted and duplicate-free per vertex.
void build_csr(std::size_t n, std::vector<std::pair<Vertex, Vertex>> arcs, std::vector<std::size_t>& offsets,
               std::vector<Vertex>& targets) {
  std::sort(arcs.begin(), arcs.end());
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  offsets.assign(n + 1, 0);
  for (const auto& [from, to] : arcs) ++offsets[from + 1];
  for (std::size_t v = 0; v < n; ++v) offsets[v + 1] += offsets[v];
  targets.resize(arcs.size());
  for (std::size_t i = 0; i < arcs.size(); ++i) targets[i] = arcs[i].second;
}

/// The state of one search for cycles through `root` inside `member`.
class RootedSearch {
 public:
  RootedSearch(const SimpleDigraph& g, const CycleLimits& limits, CycleSearch& out)
      : g_(g), limits_(limits), out_(out), member_(g.vertex_count(), 0), blocked_(g.vertex_count(), 0),
        on_path_(g.vertex_count(), 0), blocked_by_(g.vertex_count()), dist_to_root_(g.vertex_count(), kUnreachable) {}

  /// Cycles whose smallest vertex is `root`. Returns false once the cycle limit is exceeded.
  bool run(Vertex root) {
    root_ = root;
    const std::vector<Vertex> scc = component_of_root();
    const bool self_loop = g_.has_arc(root, root);
    if (scc.size() == 1 && !self_loop) return clear(scc), true;
    const bool bounded = limits_.max_length != 0 && limits_.max_length < scc.size();
    const bool ok = bounded ? bounded_search() : johnson_circuit();
    clear(scc);
    return ok;
  }

 private:
  /// Vertices >= root that root reaches and that reach root (its SCC among vertices >= root);
  /// marks them in member_ and sets dist_to_root_ (shortest way back, in arcs) for them.
  std::vector<Vertex> component_of_root() {
    std::vector<std::size_t> from_root(g_.vertex_count(), kUnreachable);
    std::deque<Vertex> queue{root_};
    from_root[root_] = 0;
    std::vector<Vertex> touched{root_};
    while (!queue.empty()) {
      const Vertex v = queue.front();
      queue.pop_front();
      for (Vertex w : g_.successors(v))
        if (w >= root_ && from_root[w] == kUnreachable) {
          from_root[w] = from_root[v] + 1;
          touched.push_back(w);
          queue.push_back(w);
        }
    }
    // Backwards from root: shortest path lengths to root; a shortest path runs through vertices
    // that reach root and (when its start is reached from root) are reached from root, so the
    // distances within the component equal those in the whole subgraph.
    std::vector<Vertex> scc;
    queue.push_back(root_);
    dist_to_root_[root_] = 0;
    std::vector<Vertex> back_touched{root_};
    while (!queue.empty()) {
      const Vertex v = queue.front();
      queue.pop_front();
      for (Vertex u : g_.predecessors(v))
        if (u >= root_ && dist_to_root_[u] == kUnreachable) {
          dist_to_root_[u] = dist_to_root_[v] + 1;
          back_touched.push_back(u);
          queue.push_back(u);
        }
    }
    for (Vertex v : back_touched)
      if (from_root[v] != kUnreachable) {
        member_[v] = 1;
        scc.push_back(v);
      } else {
        dist_to_root_[v] = kUnreachable;
      }
    std::sort(scc.begin(), scc.end());
    return scc;
  }

  void clear(const std::vector<Vertex>& scc) {
    for (Vertex v : scc) {
      member_[v] = 0;
      blocked_[v] = 0;
      on_path_[v] = 0;
      blocked_by_[v].clear();
      dist_to_root_[v] = kUnreachable;
    }
  }

  /// Records path_ as a cycle; false when that would exceed max_cycles.
  bool emit() {
    if (out_.cycles.size() >= limits_.max_cycles) {
      out_.truncated = true;
      return false;
    }
    out_.cycles.push_back(path_);
    return true;
  }

  /// Depth-first search over simple paths from root of at most max_length arcs, extended to w
  /// only if w's shortest way back to root fits in what is left of the bound.
  bool bounded_search() {
    struct Frame {
      Vertex v;
      std::size_t next = 0;
    };
    std::vector<Frame> stack{{root_}};
    path_.assign(1, root_);
    on_path_[root_] = 1;
    while (!stack.empty()) {
      Frame& top = stack.back();
      const std::span<const Vertex> succ = g_.successors(top.v);
      if (top.next == succ.size()) {
        on_path_[top.v] = 0;
        path_.pop_back();
        stack.pop_back();
        continue;
      }
      const Vertex w = succ[top.next++];
      if (!member_[w]) continue;
      const std::size_t arcs = path_.size();  // arcs on the cycle if it closes at w
      if (w == root_) {
        if (!emit()) return false;
      } else if (!on_path_[w] && arcs + dist_to_root_[w] <= limits_.max_length) {
        on_path_[w] = 1;
        path_.push_back(w);
        stack.push_back({w});
      }
    }
    return true;
  }

  /// Johnson's CIRCUIT(root) within member_, iteratively.
  bool johnson_circuit() {
    struct Frame {
      Vertex v;
      std::size_t next = 0;
      bool found = false;  ///< a cycle through root was found below this vertex
    };
    std::vector<Frame> stack{{root_}};
    path_.assign(1, root_);
    blocked_[root_] = 1;
    while (!stack.empty()) {
      Frame& top = stack.back();
      const std::span<const Vertex> succ = g_.successors(top.v);
      if (top.next < succ.size()) {
        const Vertex w = succ[top.next++];
        if (!member_[w]) continue;
        if (w == root_) {
          if (!emit()) return false;
          top.found = true;
        } else if (!blocked_[w]) {
          blocked_[w] = 1;
          path_.push_back(w);
          stack.push_back({w});
        }
        continue;
      }
      const Vertex v = top.v;
      const bool found = top.found;
      if (found) {
        unblock(v);
      } else {
        for (Vertex w : succ)
          if (member_[w] && std::find(blocked_by_[w].begin(), blocked_by_[w].end(), v) == blocked_by_[w].end())
            blocked_by_[w].push_back(v);
      }
      path_.pop_back();
      stack.pop_back();
      if (!stack.empty() && found) stack.back().found = true;
    }
    return true;
  }

  void unblock(Vertex u) {
    blocked_[u] = 0;
    std::vector<Vertex> work{u};
    while (!work.empty()) {
      const Vertex x = work.back();
      work.pop_back();
      for (Vertex w : blocked_by_[x])
        if (blocked_[w]) {
          blocked_[w] = 0;
          work.push_back(w);
        }
      blocked_by_[x].clear();
    }
  }

  const SimpleDigraph& g_;
  const CycleLimits& limits_;
  CycleSearch& out_;
  Vertex root_ = 0;
  std::vector<char> member_;
  std::vector<char> blocked_;
  std::vector<char> on_path_;
  std::vector<std::vector<Vertex>> blocked_by_;  ///< Johnson's B lists
  std::vector<std::size_t> dist_to_root_;
  std::vector<Vertex> path_;
};

}  // namespace

SimpleDigraph::SimpleDigraph(std::size_t vertex_count, std::span<const std::pair<Vertex, Vertex>> arcs) {
  CASCADE_ASSERT(vertex_count < std::numeric_limits<Vertex>::max(), "graph too large for 32-bit vertices");
  std::vector<std::pair<Vertex, Vertex>> forward(arcs.begin(), arcs.end());
  std::vector<std::pair<Vertex, Vertex>> backward;
  backward.reserve(arcs.size());
  for (const auto& [from, to] : arcs) {
    if (from >= vertex_count || to >= vertex_count)
      throw InternalError("SimpleDigraph: arc " + std::to_string(from) + " -> " + std::to_string(to) +
                          " outside the " + std::to_string(vertex_count) + " vertices");
    backward.emplace_back(to, from);
  }
  build_csr(vertex_count, std::move(forward), succ_offsets_, succ_);
  build_csr(vertex_count, std::move(backward), pred_offsets_, pred_);
}

bool SimpleDigraph::has_arc(Vertex from, Vertex to) const {
  const std::span<const Vertex> s = successors(from);
  return std::binary_search(s.begin(), s.end(), to);
}

Components strongly_connected_components(const SimpleDigraph& g) {
  using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                 boost::no_property, Vertex, std::size_t>;
  std::vector<std::pair<Vertex, Vertex>> arcs;
  arcs.reserve(g.arc_count());
  for (Vertex v = 0; v < g.vertex_count(); ++v)
    for (Vertex w : g.successors(v)) arcs.emplace_back(v, w);
  const Csr csr(boost::edges_are_sorted, arcs.begin(), arcs.end(), static_cast<Vertex>(g.vertex_count()));
  std::vector<std::size_t> raw(g.vertex_count());
  const std::size_t count = g.vertex_count() == 0 ? 0 : boost::strong_components(
                                   csr, boost::make_iterator_property_map(raw.begin(), boost::get(boost::vertex_index, csr)));
  // Renumber by smallest vertex: the first vertex seen of each raw component names it.
  std::vector<std::size_t> renumber(count, kUnreachable);
  Components c;
  c.component_of.resize(g.vertex_count());
  for (Vertex v = 0; v < g.vertex_count(); ++v) {
    if (renumber[raw[v]] == kUnreachable) renumber[raw[v]] = c.count++;
    c.component_of[v] = renumber[raw[v]];
  }
  return c;
}

std::vector<std::vector<Vertex>> Components::cyclic(const SimpleDigraph& g) const {
  std::vector<std::vector<Vertex>> members(count);
  for (Vertex v = 0; v < component_of.size(); ++v) members[component_of[v]].push_back(v);
  std::vector<std::vector<Vertex>> out;
  for (std::vector<Vertex>& m : members)
    if (m.size() > 1 || (m.size() == 1 && g.has_arc(m[0], m[0]))) out.push_back(std::move(m));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return out;
}

CycleSearch elementary_cycles(const SimpleDigraph& g, const CycleLimits& limits) {
  CycleSearch out;
  // Only vertices in a cyclic component can be on a cycle; the rooted search finds the rest.
  const Components comps = strongly_connected_components(g);
  std::vector<std::size_t> size(comps.count, 0);
  for (std::size_t c : comps.component_of) ++size[c];
  RootedSearch search(g, limits, out);
  for (Vertex root = 0; root < g.vertex_count(); ++root) {
    if (size[comps.component_of[root]] == 1 && !g.has_arc(root, root)) continue;
    if (!search.run(root)) break;
  }
  return out;
}

std::vector<std::size_t> bfs_distances(const SimpleDigraph& g, Vertex source) {
  std::vector<std::size_t> dist(g.vertex_count(), kUnreachable);
  CASCADE_ASSERT(source < g.vertex_count(), "bfs source outside the graph");
  std::deque<Vertex> queue{source};
  dist[source] = 0;
  while (!queue.empty()) {
    const Vertex v = queue.front();
    queue.pop_front();
    for (Vertex w : g.successors(v))
      if (dist[w] == kUnreachable) {
        dist[w] = dist[v] + 1;
        queue.push_back(w);
      }
  }
  return dist;
}

}  // namespace cascade::analysis
