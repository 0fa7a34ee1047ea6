#pragma once
/// @file chebyshev_lobatto.hpp
/// Polynomial interpolation and integration on the Chebyshev–Lobatto points of [0, 1], for
/// the cascade solver (cascade_solver.hpp).
///
/// A smooth function sampled at the N + 1 points x_j = (1 − cos(πj/N)) / 2 is represented
/// by its degree-N interpolant, which converges geometrically for analytic functions
/// (Trefethen 2019, Approximation Theory and Approximation Practice, ch. 8). Integrating the
/// interpolant from 0 to each point is Clenshaw–Curtis quadrature (Clenshaw & Curtis 1960,
/// Numer Math 2:197–205); its last two Chebyshev coefficients measure how well the samples
/// resolve the function (the "chopping" test of Aurentz & Trefethen 2017, ACM TOMS 43:33).

#include <array>
#include <cmath>
#include <numbers>
#include <span>

namespace lactsim {

/// Points, integration matrix, resolution weights and barycentric weights for degree N.
template <int N>
struct ChebyshevLobatto {
  static_assert(N >= 2);
  static constexpr int kPoints = N + 1;
  using Values = std::array<double, kPoints>;

  Values node{};  ///< x_j on [0, 1], ascending; node[0] = 0, node[N] = 1
  /// cumulative[j][i]: weight of f(x_j) in ∫_0^{x_i} p(s) ds, p the interpolant of f
  /// (stored by column, so integrate() is a sum of vectors the compiler vectorises).
  std::array<Values, kPoints> cumulative{};
  /// to_coefficient[k][j]: weight of f(x_j) in the Chebyshev coefficient a_k of p, where
  /// p(x) = Σ_k a_k T_k(2x − 1).
  std::array<Values, kPoints> to_coefficient{};
  /// tail[0] and tail[1]: weights giving the Chebyshev coefficients a_{N−1} and a_N of p.
  std::array<Values, 2> tail{};
  Values barycentric{};  ///< barycentric weights (Berrut & Trefethen 2004, SIAM Rev 46:501)

  /// The tables for degree N, computed once.
  static const ChebyshevLobatto& get() {
    static const ChebyshevLobatto tables = make();
    return tables;
  }

  /// ∫_0^{x_i} of the interpolant of `f`, for every i, scaled by `length` (the interval's
  /// length when the points are mapped onto [t0, t0 + length]).
  static void integrate(const ChebyshevLobatto& c, const Values& f, double length, Values& out) {
    Values sum{};
    for (int j = 0; j < kPoints; ++j) {
      const double weight = f[j];
      for (int i = 0; i < kPoints; ++i) sum[i] += c.cumulative[j][i] * weight;
    }
    for (int i = 0; i < kPoints; ++i) out[i] = length * sum[i];
  }

  /// ∫_0^1 of the interpolant of `f`, times `length`.
  static double integrate_all(const ChebyshevLobatto& c, const Values& f, double length) {
    double sum = 0.0;
    for (int j = 0; j < kPoints; ++j) sum += c.cumulative[j][N] * f[j];
    return length * sum;
  }

  /// |a_{N−1}| + |a_N| of the interpolant of `f`: an estimate of its interpolation error.
  static double resolution_error(const ChebyshevLobatto& c, const Values& f) {
    double a0 = 0.0, a1 = 0.0;
    for (int j = 0; j < kPoints; ++j) {
      a0 += c.tail[0][j] * f[j];
      a1 += c.tail[1][j] * f[j];
    }
    return std::abs(a0) + std::abs(a1);
  }

  /// The Chebyshev coefficients a_0..a_N of the interpolant of `f`.
  static void coefficients(const ChebyshevLobatto& c, const Values& f, Values& a) {
    for (int k = 0; k < kPoints; ++k) {
      double sum = 0.0;
      for (int j = 0; j < kPoints; ++j) sum += c.to_coefficient[k][j] * f[j];
      a[k] = sum;
    }
  }

  /// A polynomial's value and first two derivatives with respect to x.
  struct Taylor {
    double value, slope, curvature;
  };

  /// p(x) = Σ_k a_k T_k(2x − 1) by Clenshaw's recurrence (Mason & Handscomb 2003, §2.4.1).
  static double value(const Values& a, double x) {
    const double s2 = 2.0 * (2.0 * x - 1.0);
    double b1 = 0.0, b2 = 0.0;
    for (int k = N; k >= 1; --k) {
      const double b0 = a[k] + s2 * b1 - b2;
      b2 = b1;
      b1 = b0;
    }
    return a[0] + 0.5 * s2 * b1 - b2;
  }

  /// p(x), p'(x), p''(x) for p(x) = Σ_k a_k T_k(2x − 1), by the three-term recurrences of
  /// T_k, T_k' and T_k'' (Mason & Handscomb 2003, Chebyshev Polynomials, §2.4).
  static Taylor evaluate(const Values& a, double x) {
    const double s = 2.0 * x - 1.0;
    double t_prev = 1.0, t = s, d_prev = 0.0, d = 1.0, dd_prev = 0.0, dd = 0.0;
    double value = a[0] + a[1] * s, slope = a[1], curvature = 0.0;
    for (int k = 1; k < N; ++k) {
      const double t_next = 2.0 * s * t - t_prev;
      const double d_next = 2.0 * t + 2.0 * s * d - d_prev;
      const double dd_next = 4.0 * d + 2.0 * s * dd - dd_prev;
      value += a[k + 1] * t_next;
      slope += a[k + 1] * d_next;
      curvature += a[k + 1] * dd_next;
      t_prev = t, t = t_next, d_prev = d, d = d_next, dd_prev = dd, dd = dd_next;
    }
    return {value, 2.0 * slope, 4.0 * curvature};  // ds/dx = 2
  }

  /// The interpolant of `f` at x in [0, 1] (barycentric formula of the second kind).
  static double interpolate(const ChebyshevLobatto& c, std::span<const double> f, double x) {
    double numerator = 0.0, denominator = 0.0;
    for (int j = 0; j < kPoints; ++j) {
      const double d = x - c.node[j];
      if (d == 0.0) return f[j];
      const double w = c.barycentric[j] / d;
      numerator += w * f[j];
      denominator += w;
    }
    return numerator / denominator;
  }

 private:
  static ChebyshevLobatto make() {
    ChebyshevLobatto c;
    // On s ∈ [−1, 1] the points are s_j = −cos(πj/N) = cos(θ_j), θ_j = π(N − j)/N.
    std::array<double, kPoints> theta{};
    for (int j = 0; j < kPoints; ++j) {
      theta[j] = std::numbers::pi * (N - j) / N;
      c.node[j] = 0.5 * (1.0 - std::cos(std::numbers::pi * j / N));
      c.barycentric[j] = ((j % 2 == 0) ? 1.0 : -1.0) * ((j == 0 || j == N) ? 0.5 : 1.0);
    }
    c.node[0] = 0.0;
    c.node[N] = 1.0;
    // Coefficient k of the interpolant: a_k = (2 / (N c_k)) Σ_j f_j cos(k θ_j) / c_j,
    // c_0 = c_N = 2, else 1 (discrete cosine transform of type I).
    auto end_factor = [](int k) { return (k == 0 || k == N) ? 2.0 : 1.0; };
    std::array<std::array<double, kPoints>, kPoints> coefficient{};  // [k][j]
    for (int k = 0; k < kPoints; ++k) {
      for (int j = 0; j < kPoints; ++j) {
        coefficient[k][j] = 2.0 / (N * end_factor(k)) * std::cos(k * theta[j]) / end_factor(j);
      }
    }
    c.to_coefficient = coefficient;
    c.tail[0] = coefficient[N - 1];
    c.tail[1] = coefficient[N];
    // ∫_{−1}^{s} T_k: s + 1 (k = 0); (s² − 1)/2 (k = 1); otherwise
    // [T_{k+1}/(k+1) − T_{k−1}/(k−1)]/2 − [(−1)^{k+1}/(k+1) − (−1)^{k−1}/(k−1)]/2.
    auto integral_of_t = [](int k, double angle) {
      const double s = std::cos(angle);
      if (k == 0) return s + 1.0;
      if (k == 1) return 0.5 * (s * s - 1.0);
      const double sign = (k % 2 == 0) ? -1.0 : 1.0;  // (−1)^{k+1} = (−1)^{k−1}
      return 0.5 * (std::cos((k + 1) * angle) / (k + 1) - std::cos((k - 1) * angle) / (k - 1)) -
             0.5 * (sign / (k + 1) - sign / (k - 1));
    };
    for (int i = 0; i < kPoints; ++i) {
      for (int j = 0; j < kPoints; ++j) {
        double sum = 0.0;
        for (int k = 0; k < kPoints; ++k) sum += coefficient[k][j] * integral_of_t(k, theta[i]);
        c.cumulative[j][i] = 0.5 * sum;  // ds = 2 dx
      }
    }
    return c;
  }
};

}  // namespace lactsim
