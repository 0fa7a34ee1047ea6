#include "lactsim/fit/population_targets.hpp"

#include <algorithm>
#include <cmath>

namespace lactsim {

double smoothed_fraction_below(std::span<const double> values, std::span<const double> weights, double threshold,
                               double bandwidth) {
  double below = 0.0, total = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    // 1 / (1 + e^{-x}) written so that no exp overflows.
    const double x = (threshold - values[i]) / bandwidth;
    const double kernel = x >= 0.0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
    below += weights[i] * kernel;
    total += weights[i];
  }
  return below / total;
}

double smoothed_quantile(std::span<const double> values, std::span<const double> weights, double q, double bandwidth) {
  const auto [smallest, largest] = std::minmax_element(values.begin(), values.end());
  // The smoothed fraction is below q at the smallest value minus enough bandwidths, above it past
  // the largest: Λ(−40) ≈ 4e-18.
  double low = *smallest - 40.0 * bandwidth, high = *largest + 40.0 * bandwidth;
  const double tolerance = 1e-12 * (high - low);
  while (high - low > tolerance) {
    const double middle = 0.5 * (low + high);
    if (middle == low || middle == high) break;
    (smoothed_fraction_below(values, weights, middle, bandwidth) < q ? low : high) = middle;
  }
  return 0.5 * (low + high);
}

double log_odds(double p) {
  p = std::clamp(p, 1e-12, 1.0 - 1e-12);
  return std::log(p / (1.0 - p));
}

}  // namespace lactsim
