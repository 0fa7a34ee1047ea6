#pragma once
/// @file population.hpp
/// Running a virtual population (io/population_spec.hpp draws its mothers): every mother
/// simulated on worker threads, her endpoints in her own row, and percentile summaries.

#include <cstddef>
#include <string>
#include <vector>

#include "lactsim/engine/run_control.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/engine/simulation.hpp"
#include "lactsim/io/population_spec.hpp"

namespace lactsim {

/// Onset later than this is "delayed onset of lactogenesis" (Dewey et al. 2003, Pediatrics
/// 112:607–619), the threshold of every population's onset fraction.
inline constexpr double kDelayedOnset_h = 72.0;
/// Weight loss (percent of birth weight) that counts as excessive in the population summary:
/// the ≥ 10% threshold Flaherman et al. 2015 report fractions for (shared/physiology.md §1b).
inline constexpr double kExcessWeightLoss_percent = 10.0;
/// Endpoints whose population summary adds the fraction of infants with excessive weight loss.
inline constexpr const char* kExcessWeightLossEndpoints[] = {"infant_weight_change_48h_percent",
                                                             "infant_weight_change_72h_percent"};
/// Endpoints a mother may lack (no such event within the horizon), left out of their percentiles
/// rather than censored: the population summary adds the fraction of mothers without the event,
/// so the percentiles' base is visible (docs/outputs.md, "summary.csv").
inline constexpr const char* kOptionalEventEndpoints[] = {"infant_birth_weight_regained_day",
                                                          "first_colostrum_time_h", "perceived_onset_time_h"};

/// Endpoint values of every mother of a population.
struct PopulationRun {
  std::vector<std::string> endpoint_names;
  std::vector<double> values;     ///< [mother][endpoint], row-major; NaN for failed mothers
  std::vector<std::string> errors;///< per mother; empty when it succeeded
  std::size_t mothers = 0;
  std::size_t failed = 0;
  /// Value of endpoint k for mother i.
  double at(std::size_t i, std::size_t k) const { return values[i * endpoint_names.size() + k]; }
};

/// A sized run whose every value is NaN and every error empty (mothers not yet simulated).
PopulationRun empty_population_run(std::size_t mothers, int days);

/// Simulates single mothers of one population into their rows of a PopulationRun, with one
/// reusable evaluator per worker thread: the per-mother step shared by run_population and
/// the checkpointed comparison arms.
class MotherEvaluator {
 public:
  /// @throws InputError when the population's correlations are inconsistent
  MotherEvaluator(const SimulationInput& base, const PopulationSpec& spec, const SolverOptions& solver,
                  unsigned threads);
  /// Simulates mother `index` on `worker` (< threads) and stores its endpoints, or the
  /// reason it failed, in row `index` of `run`. Rows are disjoint, so workers may share `run`.
  void evaluate(std::size_t index, unsigned worker, PopulationRun& run) { evaluate(index, worker, run, index); }
  /// The same, stored in row `row` of `run` (a run sized for one block of mothers).
  void evaluate(std::size_t index, unsigned worker, PopulationRun& run, std::size_t row);
  /// The sampler drawing the mothers' parameters.
  const PopulationSampler& sampler() const { return sampler_; }

 private:
  int days_;
  PopulationSampler sampler_;
  std::vector<SampleEvaluator> evaluators_;
};

/// Simulates every mother of `spec` on `threads` threads (results independent of threads),
/// reporting (done, spec.size) mothers after each block to `progress` when set.
/// @throws Cancelled when `cancel` is cancelled (checked after each block of mothers)
PopulationRun run_population(const SimulationInput& base, const PopulationSpec& spec, const SolverOptions& solver,
                             unsigned threads, const ProgressCallback& progress = {},
                             const CancellationToken* cancel = nullptr);

/// 5th, 50th and 95th percentiles.
struct PercentileBand {
  double p5 = 0, p50 = 0, p95 = 0;
  std::size_t count = 0;  ///< finite values used
};

/// Percentiles of the finite values in `values` (linear interpolation, Hyndman & Fan type 7).
PercentileBand percentile_band(std::vector<double> values);

/// Quantile q of the finite values (type 7); NaN when there are none.
double quantile(std::vector<double> values, double q);

}  // namespace lactsim
