#include "lactsim/analysis/interval_estimates.hpp"

#include <algorithm>
#include <cmath>

#include "lactsim/analysis/population.hpp"
#include "lactsim/io/counter_rng.hpp"

namespace lactsim {
namespace {

/// Streams of the bootstrap weights: replicate r draws from stream kBootstrapStream + r, away
/// from the small stream numbers population draws (parameter registry indices) use.
constexpr std::uint64_t kBootstrapStream = 0x5EED0000ULL;

}  // namespace

ProportionInterval wilson_interval(std::size_t successes, std::size_t trials, double z) {
  if (trials == 0) return {std::nan(""), std::nan(""), std::nan("")};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  // At 0 or n successes one end is exactly 0 or 1; rounding must not move it past.
  return {p, successes == 0 ? 0.0 : std::max(0.0, centre - half), successes == trials ? 1.0 : std::min(1.0, centre + half)};
}

PoissonBootstrapMeans::PoissonBootstrapMeans(std::size_t statistics, std::size_t replicates, std::uint64_t seed)
    : statistics_(statistics),
      replicates_(replicates),
      seed_(seed),
      weight_sums_(statistics * replicates, 0.0),
      weighted_sums_(statistics * replicates, 0.0),
      sums_(statistics, 0.0),
      counts_(statistics, 0),
      weights_(replicates, 0.0) {}

void PoissonBootstrapMeans::add(std::uint64_t unit, std::span<const double> values) {
  bool drawn = false;
  for (std::size_t s = 0; s < statistics_ && s < values.size(); ++s) {
    const double x = values[s];
    if (std::isnan(x)) continue;
    if (!drawn) {
      for (std::size_t r = 0; r < replicates_; ++r) weights_[r] = counter_poisson1(seed_, unit, kBootstrapStream + r);
      drawn = true;
    }
    sums_[s] += x;
    ++counts_[s];
    double* w = &weight_sums_[s * replicates_];
    double* wx = &weighted_sums_[s * replicates_];
    for (std::size_t r = 0; r < replicates_; ++r) {
      w[r] += weights_[r];
      wx[r] += weights_[r] * x;
    }
  }
}

double PoissonBootstrapMeans::mean(std::size_t s) const {
  return counts_[s] > 0 ? sums_[s] / static_cast<double>(counts_[s]) : std::nan("");
}

std::pair<double, double> PoissonBootstrapMeans::percentile_interval(std::size_t s, double level) const {
  if (counts_[s] == 0) return {std::nan(""), std::nan("")};
  std::vector<double> means;
  means.reserve(replicates_);
  for (std::size_t r = 0; r < replicates_; ++r) {
    const double w = weight_sums_[s * replicates_ + r];
    if (w > 0) means.push_back(weighted_sums_[s * replicates_ + r] / w);
  }
  return {quantile(means, (1 - level) / 2), quantile(means, (1 + level) / 2)};
}

}  // namespace lactsim
