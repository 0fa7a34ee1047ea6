#pragma once
/// @file interval_estimates.hpp
/// 95% intervals for population summaries: Wilson score intervals for fractions of mothers,
/// and a streaming paired (Poisson) bootstrap for mean paired differences, whose memory
/// grows with the number of replicates, not of mothers.

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace lactsim {

/// Φ⁻¹(0.975): the standard normal quantile of a two-sided 95% interval.
inline constexpr double kNormalQuantile975 = 1.959963984540054;

/// A fraction with its interval; NaN everywhere when there are no trials.
struct ProportionInterval {
  double estimate = 0;  ///< successes / trials
  double lower = 0;
  double upper = 0;
};

/// The Wilson score interval (Wilson 1927, J Am Stat Assoc 22:209–212) for `successes` out of
/// `trials`: the p whose score statistic |p̂ − p| / sqrt(p(1 − p)/n) is at most z,
/// (p̂ + z²/2n ± z sqrt(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n). Unlike the Wald interval
/// p̂ ± z sqrt(p̂(1 − p̂)/n) it stays inside [0, 1] and keeps close to its nominal coverage
/// for small n and fractions near 0 or 1 (0 of 10 gives [0, 0.278], not [0, 0]).
ProportionInterval wilson_interval(std::size_t successes, std::size_t trials, double z = kNormalQuantile975);

/// Replicates of the paired bootstrap in compare (fixed, so a table is reproducible).
inline constexpr std::size_t kBootstrapReplicates = 2000;
/// Seed of the bootstrap weights (fixed, so a table is reproducible).
inline constexpr std::uint64_t kBootstrapSeed = 20061;

/// Means of several statistics over units (mothers) with percentile bootstrap intervals, by
/// the Poisson bootstrap (Hanley & MacGibbon 2006, Comput Methods Programs Biomed 83:57–62):
/// in replicate r, unit i enters with weight w_ri ~ Poisson(1), drawn from the counter-based
/// generator keyed by (seed, unit, replicate) — so the weights do not depend on the order in
/// which units are added or on threads — instead of a multinomial resample of n units. Each
/// replicate's mean is Σ w x / Σ w, kept as two running sums: memory is O(statistics ×
/// replicates) whatever the number of units. One unit has the same weights in every
/// statistic, so statistics on the same mothers stay paired.
class PoissonBootstrapMeans {
 public:
  PoissonBootstrapMeans(std::size_t statistics, std::size_t replicates = kBootstrapReplicates,
                        std::uint64_t seed = kBootstrapSeed);
  /// Adds unit `unit` (e.g. a mother's index) with one value per statistic; a NaN value
  /// leaves the unit out of that statistic. Each unit is to be added once.
  void add(std::uint64_t unit, std::span<const double> values);
  /// The plain mean of statistic `s` over the units that entered it (NaN when none did).
  double mean(std::size_t s) const;
  /// Units that entered statistic `s`.
  std::size_t count(std::size_t s) const { return counts_[s]; }
  /// The percentile interval of statistic `s`: the (1 − level)/2 and (1 + level)/2 quantiles
  /// (type 7) of the replicate means (replicates whose weights are all 0 are left out).
  /// NaN when no unit entered it.
  std::pair<double, double> percentile_interval(std::size_t s, double level = 0.95) const;

 private:
  std::size_t statistics_, replicates_;
  std::uint64_t seed_;
  std::vector<double> weight_sums_, weighted_sums_;  ///< [statistic][replicate]
  std::vector<double> sums_;
  std::vector<std::size_t> counts_;
  std::vector<double> weights_;  ///< one unit's weights, reused
};

}  // namespace lactsim
