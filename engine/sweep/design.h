// Experimental designs on the unit hypercube: point p of a design is a vector u in [0, 1]^k.
//
// A design is a pure function of its spec: `point(p, u)` computes any point on its own, in
// any order, on any thread, rank or shard, with no state and no table of points in memory.
// Sweeps (sweep.h) map u to parameter values with each parameter's distribution
// (distribution.h); the estimators (sensitivity.h) regenerate the points they need.
//
//   Design d({.method = DesignMethod::saltelli, .samples = 1024, .seed = 1}, /*dims=*/3);
//   std::vector<double> u(d.dims());
//   for (std::uint64_t p = 0; p < d.point_count(); ++p) d.point(p, u);   // 1024 x (3 + 2) points
//
// Methods and their point order (definitions and references: docs/sweep-format.md, "Designs"):
// - grid: the Cartesian product of `levels[i]` levels per dimension, last dimension fastest;
//   level l of L sits at u = l / (L - 1) (u = 0.5 when L = 1).
// - monte_carlo: `samples` independent uniform points (counter-based draws keyed by seed,
//   point and dimension).
// - latin_hypercube: `samples` points; in every dimension each of the `samples` strata
//   [j/n, (j+1)/n) holds exactly one point (McKay, Beckman and Conover 1979); the stratum
//   order is a seeded permutation per dimension, the position inside it a seeded draw.
// - sobol: the first `samples` points of the Sobol' sequence (Joe and Kuo 2008 direction
//   numbers, Gray-code order), scrambled by a random linear matrix scramble and digital shift
//   (Matousek 1998) keyed by seed unless `scramble` is false.
// - saltelli: `samples` = N base samples; base sample j is the 2k-dimensional Sobol' point j
//   whose first k coordinates are row j of A and last k row j of B. Points come in blocks of
//   k + 2 per j (2k + 2 with second_order): A_j, AB_j^1 .. AB_j^k, [BA_j^1 .. BA_j^k,] B_j,
//   where AB^i is A with column i taken from B (Saltelli et al. 2010; SALib's order).
// - morris: `samples` = r trajectories of k + 1 points each (Morris 1991): a random start
//   on the grid {0, 1/(p-1), .., 1} (p = levels[0], even), then each factor in a random
//   order moves once by +-delta, delta = p / (2 (p - 1)), staying inside [0, 1].
//
// Thread safety: a Design is immutable after construction; `point` may be called
// concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace cascade::sweep {

enum class DesignMethod : std::uint8_t { grid, monte_carlo, latin_hypercube, sobol, saltelli, morris };

/// Text names as written in sweep files: "grid", "monte-carlo", "latin-hypercube", "sobol",
/// "saltelli", "morris".
std::string_view to_string(DesignMethod m);
std::optional<DesignMethod> parse_design_method(std::string_view s);

struct DesignSpec {
  DesignMethod method = DesignMethod::monte_carlo;
  /// monte_carlo, latin_hypercube, sobol: number of points; saltelli: base samples N;
  /// morris: trajectories r; grid: unused.
  std::uint64_t samples = 0;
  std::uint64_t seed = 0;
  /// grid: levels of each dimension (size dims, each >= 1); morris: one entry, the number of
  /// levels p (even, >= 2); otherwise unused.
  std::vector<std::uint32_t> levels;
  bool second_order = false;  ///< saltelli: add the BA^i blocks (second-order indices)
  bool scramble = true;       ///< sobol and saltelli: scramble the sequence (false: the plain sequence)
};

/// Largest number of dimensions a Sobol' (or Saltelli: 2k) design supports: the direction
/// numbers shipped.
std::size_t max_sobol_dims();

class Design {
 public:
  /// Checks the spec: throws std::invalid_argument with a plain-words message when it cannot
  /// be built (zero samples, dims out of range, levels missing or odd for morris, a point
  /// count above 2^63). The sweep reader reports these as located errors before this runs.
  Design(DesignSpec spec, std::size_t dims);

  std::size_t dims() const { return dims_; }
  const DesignSpec& spec() const { return spec_; }
  std::uint64_t point_count() const { return point_count_; }

  /// Writes the coordinates of point `p` (< point_count()) into `u` (size dims()), each in
  /// [0, 1]. Pure and thread-safe.
  void point(std::uint64_t p, std::span<double> u) const;

  /// saltelli: points per base sample (k + 2, or 2k + 2 with second_order); otherwise 0.
  std::uint64_t saltelli_block() const;

  /// morris: the step delta = p / (2 (p - 1)) in unit-cube units; otherwise 0.
  double morris_delta() const;

 private:
  /// Coordinate `sobol_dim` of Sobol' point `index` (sobol and saltelli designs).
  double sobol_coordinate(std::uint64_t index, std::size_t sobol_dim) const;

  DesignSpec spec_;
  std::size_t dims_ = 0;
  std::uint64_t point_count_ = 0;
  // Precomputed per-dimension data (scrambled direction numbers, permutation keys): the
  // implementation's choice.
  std::vector<std::uint64_t> table_;
};

}  // namespace cascade::sweep
