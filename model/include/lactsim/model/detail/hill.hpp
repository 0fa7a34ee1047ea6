#pragma once
/// @file hill.hpp
/// Powers and Hill-type inhibition used by the model's right-hand side (inline: they are
/// evaluated at every quadrature point of the fast solvers).

#include <cmath>

namespace lactsim::model::detail {

/// x^k for k >= 0 by repeated squaring.
inline double integer_power(double x, int k) {
  double result = 1.0;
  for (auto bits = static_cast<unsigned>(k); bits != 0; bits >>= 1) {
    if (bits & 1u) result *= x;
    x *= x;
  }
  return result;
}

/// x^n for x >= 0. Hill coefficients are usually whole numbers (defaults 2 and 4); for
/// those, repeated squaring replaces std::pow, which was ~40% of a simulation's
/// instructions (callgrind, docs/performance.md). Other exponents fall back to std::pow.
inline double hill_power(double x, double n) {
  if (n == 2.0) return x * x;
  if (n == 4.0) {
    const double square = x * x;
    return square * square;
  }
  constexpr double kLargestExactExponent = 16.0;
  if (n >= 1.0 && n <= kLargestExactExponent && n == std::floor(n)) return integer_power(x, static_cast<int>(n));
  return std::pow(x, n);
}

/// Fraction of a response left at a given pain: 1 / (1 + relative_pain^hill), where
/// relative_pain = pain / (pain at half inhibition).
inline double pain_inhibition(double relative_pain, double hill) {
  if (relative_pain <= 0.0) return 1.0;
  return 1.0 / (1.0 + hill_power(relative_pain, hill));
}

}  // namespace lactsim::model::detail
