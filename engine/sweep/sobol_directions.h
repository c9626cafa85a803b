// The Sobol' sequence's primitive polynomials and initial direction numbers (Joe and Kuo 2008),
// one entry per dimension, for dimensions 2 .. 512 (dimension 1 is the van der Corput sequence,
// every m_k = 1, and has no entry).
//
//   const SobolPolynomial& p = sobol_polynomials()[dim - 2];   // dim in [2, 512]
//   // p.degree = s, p.coefficients = a, p.initial[0 .. s-1] = m_1 .. m_s
//
// Internal to engine/sweep (design.cc); the table is constant data.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace cascade::sweep {

/// Largest degree of the polynomials shipped.
inline constexpr std::size_t kMaxSobolDegree = 13;

/// One row of Joe and Kuo's table: the polynomial x^s + a_1 x^{s-1} + .. + a_{s-1} x + 1 with
/// `coefficients` holding the bits a_1 .. a_{s-1} (a_1 the most significant), and the odd
/// initial direction numbers m_1 .. m_s (m_k < 2^k).
struct SobolPolynomial {
  std::uint8_t degree;
  std::uint16_t coefficients;
  std::array<std::uint16_t, kMaxSobolDegree> initial;
};

/// Rows for dimensions 2, 3, .., 512, in order.
std::span<const SobolPolynomial> sobol_polynomials();

}  // namespace cascade::sweep
