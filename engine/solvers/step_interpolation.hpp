#pragma once
/// @file step_interpolation.hpp
/// Values between the ends of an accepted step, from the cubic Hermite interpolant of its
/// end values and derivatives (third-order accurate; used for the onset time, where
/// activation changes slowly over any step).

#include <cstddef>
#include <optional>

namespace lactsim {

/// Component k of the cubic Hermite interpolant over step `s` (any type with the members
/// t0, t1, x0, dxdt0, x1, dxdt1: DormandPrinceInterval), at time t in [s.t0, s.t1].
template <class Step>
double hermite_at(const Step& s, std::size_t k, double t) {
  const double h = s.t1 - s.t0;
  const double u = (t - s.t0) / h;
  const double h00 = (1 + 2 * u) * (1 - u) * (1 - u), h10 = u * (1 - u) * (1 - u);
  const double h01 = u * u * (3 - 2 * u), h11 = u * u * (u - 1);
  return h00 * s.x0[k] + h10 * h * s.dxdt0[k] + h01 * s.x1[k] + h11 * h * s.dxdt1[k];
}

/// When component k first reaches `threshold` from below inside step `s` (bisection on the
/// Hermite interpolant to 1e-10 h), or nothing when the step does not cross it upwards.
template <class Step>
std::optional<double> upward_crossing_time(const Step& s, std::size_t k, double threshold) {
  if (!(s.x0[k] < threshold && s.x1[k] >= threshold)) return std::nullopt;
  double lo = s.t0, hi = s.t1;
  for (int i = 0; i < 60 && hi - lo > 1e-10; ++i) {
    const double mid = 0.5 * (lo + hi);
    (hermite_at(s, k, mid) < threshold ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace lactsim
