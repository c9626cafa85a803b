// Elementary cycles and strongly connected components on graphs with known answers: complete
// digraphs (sum over k of C(n,k)(k-1)! cycles), rings, DAGs, self-loops; the length bound and
// the cycle limit; and, on random graphs, Johnson's algorithm and the bounded search against a
// brute-force enumeration.
#include "engine/analysis/cycles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>

#include "engine/core/diagnostics.h"

namespace cascade::analysis {
namespace {

using ::testing::ElementsAre;
using Cycle = std::vector<Vertex>;

SimpleDigraph complete(std::size_t n) {
  std::vector<std::pair<Vertex, Vertex>> arcs;
  for (Vertex a = 0; a < n; ++a)
    for (Vertex b = 0; b < n; ++b)
      if (a != b) arcs.emplace_back(a, b);
  return SimpleDigraph(n, arcs);
}

SimpleDigraph ring(std::size_t n) {
  std::vector<std::pair<Vertex, Vertex>> arcs;
  for (Vertex a = 0; a < n; ++a) arcs.emplace_back(a, static_cast<Vertex>((a + 1) % n));
  return SimpleDigraph(n, arcs);
}

std::size_t binomial(std::size_t n, std::size_t k) {
  std::size_t r = 1;
  for (std::size_t i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}
std::size_t factorial(std::size_t n) { return n <= 1 ? 1 : n * factorial(n - 1); }

/// Elementary cycles of K_n with at most max_length vertices: sum_{k=2..L} C(n,k) (k-1)!.
std::size_t complete_digraph_cycles(std::size_t n, std::size_t max_length) {
  std::size_t total = 0;
  for (std::size_t k = 2; k <= std::min(n, max_length); ++k) total += binomial(n, k) * factorial(k - 1);
  return total;
}

/// Every elementary cycle by brute force: each subset in each cyclic order starting at its minimum.
std::set<Cycle> brute_force_cycles(const SimpleDigraph& g, std::size_t max_length) {
  std::set<Cycle> out;
  const std::size_t n = g.vertex_count();
  for (std::uint32_t mask = 1; mask < (1u << n); ++mask) {
    Cycle members;
    for (Vertex v = 0; v < n; ++v)
      if (mask & (1u << v)) members.push_back(v);
    if (max_length && members.size() > max_length) continue;
    std::sort(members.begin() + 1, members.end());
    do {
      bool closed = true;
      for (std::size_t i = 0; i < members.size() && closed; ++i)
        closed = g.has_arc(members[i], members[(i + 1) % members.size()]);
      if (closed) out.insert(members);
    } while (std::next_permutation(members.begin() + 1, members.end()));
  }
  return out;
}

SimpleDigraph random_digraph(std::size_t n, double p, unsigned seed, bool self_loops = false) {
  std::mt19937 rng(seed);
  std::bernoulli_distribution arc(p);
  std::vector<std::pair<Vertex, Vertex>> arcs;
  for (Vertex a = 0; a < n; ++a)
    for (Vertex b = 0; b < n; ++b)
      if ((a != b || self_loops) && arc(rng)) arcs.emplace_back(a, b);
  return SimpleDigraph(n, arcs);
}

/// Checks the contract of every cycle found: arcs exist, no repeats, starts at its minimum, unique.
void expect_well_formed(const SimpleDigraph& g, const CycleSearch& found, std::size_t max_length) {
  std::set<Cycle> seen;
  for (const Cycle& c : found.cycles) {
    ASSERT_FALSE(c.empty());
    if (max_length) {
      EXPECT_LE(c.size(), max_length);
    }
    EXPECT_EQ(*std::min_element(c.begin(), c.end()), c.front());
    EXPECT_EQ(std::set<Vertex>(c.begin(), c.end()).size(), c.size()) << "repeated vertex";
    for (std::size_t i = 0; i < c.size(); ++i) EXPECT_TRUE(g.has_arc(c[i], c[(i + 1) % c.size()]));
    EXPECT_TRUE(seen.insert(c).second) << "cycle found twice";
  }
}

TEST(SimpleDigraph, MergesParallelArcsAndSortsSuccessors) {
  const SimpleDigraph g(3, {{0, 2}, {0, 1}, {0, 2}, {2, 0}});
  EXPECT_THAT(std::vector<Vertex>(g.successors(0).begin(), g.successors(0).end()), ElementsAre(1, 2));
  EXPECT_THAT(std::vector<Vertex>(g.predecessors(0).begin(), g.predecessors(0).end()), ElementsAre(2));
  EXPECT_EQ(g.arc_count(), 3u);
  EXPECT_TRUE(g.has_arc(2, 0));
  EXPECT_FALSE(g.has_arc(1, 0));
}

TEST(SimpleDigraph, RejectsArcsOutsideTheGraph) { EXPECT_THROW(SimpleDigraph(2, {{0, 2}}), InternalError); }

TEST(ElementaryCycles, HeaderExample) {
  const SimpleDigraph g(3, {{0, 1}, {1, 2}, {2, 0}, {1, 0}});
  const CycleSearch found = elementary_cycles(g, {.max_length = 6, .max_cycles = 100000});
  EXPECT_THAT(found.cycles, ElementsAre(Cycle{0, 1}, Cycle{0, 1, 2}));
  EXPECT_FALSE(found.truncated);
}

TEST(ElementaryCycles, CompleteDigraphHasTheKnownCountUnbounded) {
  for (std::size_t n = 1; n <= 7; ++n) {
    const CycleSearch found = elementary_cycles(complete(n), {.max_length = 0, .max_cycles = 1000000});
    EXPECT_EQ(found.cycles.size(), complete_digraph_cycles(n, n)) << "K_" << n;
    EXPECT_FALSE(found.truncated);
    expect_well_formed(complete(n), found, 0);
  }
  // K_4: 6 + 8 + 6 = 20; K_5: 10 + 20 + 30 + 24 = 84.
  EXPECT_EQ(complete_digraph_cycles(4, 4), 20u);
  EXPECT_EQ(complete_digraph_cycles(5, 5), 84u);
}

TEST(ElementaryCycles, CompleteDigraphWithALengthBound) {
  for (std::size_t n = 2; n <= 8; ++n)
    for (std::size_t bound = 1; bound <= n; ++bound) {
      const CycleSearch found = elementary_cycles(complete(n), {.max_length = bound, .max_cycles = 1000000});
      EXPECT_EQ(found.cycles.size(), complete_digraph_cycles(n, bound)) << "K_" << n << " bound " << bound;
      expect_well_formed(complete(n), found, bound);
    }
}

TEST(ElementaryCycles, RingHasOneCycleOnlyWithinTheBound) {
  EXPECT_THAT(elementary_cycles(ring(5), {.max_length = 0}).cycles, ElementsAre(Cycle{0, 1, 2, 3, 4}));
  EXPECT_THAT(elementary_cycles(ring(5), {.max_length = 5}).cycles, ElementsAre(Cycle{0, 1, 2, 3, 4}));
  EXPECT_TRUE(elementary_cycles(ring(5), {.max_length = 4}).cycles.empty());
  EXPECT_EQ(elementary_cycles(ring(50), {.max_length = 0}).cycles.size(), 1u);
}

TEST(ElementaryCycles, DagHasNone) {
  const SimpleDigraph dag(5, {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}, {0, 4}});
  EXPECT_TRUE(elementary_cycles(dag, {.max_length = 0}).cycles.empty());
  EXPECT_TRUE(elementary_cycles(dag, {.max_length = 3}).cycles.empty());
  EXPECT_TRUE(strongly_connected_components(dag).cyclic(dag).empty());
}

TEST(ElementaryCycles, SelfLoopIsACycleOfOne) {
  const SimpleDigraph g(2, {{1, 1}, {0, 1}});
  EXPECT_THAT(elementary_cycles(g, {.max_length = 6}).cycles, ElementsAre(Cycle{1}));
  EXPECT_THAT(strongly_connected_components(g).cyclic(g), ElementsAre(std::vector<Vertex>{1}));
}

TEST(ElementaryCycles, EmptyGraph) {
  const SimpleDigraph g(0, {});
  EXPECT_TRUE(elementary_cycles(g, {}).cycles.empty());
  EXPECT_EQ(strongly_connected_components(g).count, 0u);
}

TEST(ElementaryCycles, TruncatesExactlyAboveTheLimit) {
  const std::size_t all = complete_digraph_cycles(5, 5);  // 84
  for (const std::size_t bound : {std::size_t{0}, std::size_t{4}}) {
    const std::size_t expected = bound ? complete_digraph_cycles(5, bound) : all;
    const CycleSearch exact = elementary_cycles(complete(5), {.max_length = bound, .max_cycles = expected});
    EXPECT_EQ(exact.cycles.size(), expected);
    EXPECT_FALSE(exact.truncated) << "exactly max_cycles cycles is not a truncation";
    const CycleSearch cut = elementary_cycles(complete(5), {.max_length = bound, .max_cycles = expected - 1});
    EXPECT_EQ(cut.cycles.size(), expected - 1);
    EXPECT_TRUE(cut.truncated);
    // The kept cycles are the first ones of the full enumeration, in order.
    const CycleSearch full = elementary_cycles(complete(5), {.max_length = bound, .max_cycles = expected});
    EXPECT_TRUE(std::equal(cut.cycles.begin(), cut.cycles.end(), full.cycles.begin()));
  }
  const CycleSearch none = elementary_cycles(complete(3), {.max_length = 0, .max_cycles = 0});
  EXPECT_TRUE(none.cycles.empty());
  EXPECT_TRUE(none.truncated);
}

TEST(ElementaryCycles, RandomGraphsMatchBruteForce) {
  for (unsigned seed = 1; seed <= 40; ++seed) {
    const std::size_t n = 4 + seed % 5;  // 4..8 vertices
    const SimpleDigraph g = random_digraph(n, 0.2 + 0.1 * (seed % 5), seed, /*self_loops=*/seed % 3 == 0);
    for (std::size_t bound = 0; bound <= n; ++bound) {
      const CycleSearch found = elementary_cycles(g, {.max_length = bound, .max_cycles = 10000000});
      expect_well_formed(g, found, bound);
      const std::set<Cycle> got(found.cycles.begin(), found.cycles.end());
      EXPECT_EQ(got, brute_force_cycles(g, bound)) << "seed " << seed << " bound " << bound;
    }
  }
}

TEST(ElementaryCycles, DeterministicOrder) {
  const SimpleDigraph g = random_digraph(9, 0.35, 7);
  const CycleSearch a = elementary_cycles(g, {.max_length = 5});
  const CycleSearch b = elementary_cycles(g, {.max_length = 5});
  EXPECT_EQ(a.cycles, b.cycles);
  // Rooted at ascending smallest vertex.
  EXPECT_TRUE(std::is_sorted(a.cycles.begin(), a.cycles.end(),
                             [](const Cycle& x, const Cycle& y) { return x.front() < y.front(); }));
}

TEST(StronglyConnectedComponents, TwoRingsJoinedOneWay) {
  // 0 -> 1 -> 2 -> 0 and 3 -> 4 -> 3, with 2 -> 3; 5 alone.
  const SimpleDigraph g(6, {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 3}, {2, 3}});
  const Components c = strongly_connected_components(g);
  EXPECT_EQ(c.count, 3u);
  EXPECT_THAT(c.component_of, ElementsAre(0u, 0u, 0u, 1u, 1u, 2u));
  EXPECT_THAT(c.cyclic(g), ElementsAre(std::vector<Vertex>{0, 1, 2}, std::vector<Vertex>{3, 4}));
}

TEST(StronglyConnectedComponents, CyclesStayInsideComponents) {
  for (unsigned seed = 100; seed < 120; ++seed) {
    const SimpleDigraph g = random_digraph(10, 0.15, seed);
    const Components c = strongly_connected_components(g);
    for (const Cycle& cycle : elementary_cycles(g, {.max_length = 0}).cycles)
      for (Vertex v : cycle) EXPECT_EQ(c.component_of[v], c.component_of[cycle.front()]);
  }
}

TEST(BfsDistances, Ring) {
  const std::vector<std::size_t> d = bfs_distances(ring(4), 1);
  EXPECT_THAT(d, ElementsAre(3u, 0u, 1u, 2u));
}

}  // namespace
}  // namespace cascade::analysis
