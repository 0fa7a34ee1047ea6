#pragma once
/// @file sensitivity.hpp
/// Global sensitivity analysis over the unit hypercube of varied parameters:
///  - Sobol first-order (Saltelli et al. 2010, Comput Phys Commun 181:259–270, Table 2 (b))
///    and total-order (Jansen 1999, Comput Phys Commun 117:35–43) indices from the
///    A/B/AB_i radial design on a 2d-dimensional Sobol sequence, N(d + 2) model runs, with
///    percentile intervals from a streaming Poisson bootstrap (memory flat in N);
///  - Morris elementary effects (Morris 1991, Technometrics 33:161–174) with mu* and sigma
///    (Campolongo, Cariboni & Saltelli 2007, Environ Model Softw 22:1509–1518), r(d + 1) runs.
/// The model is any function of unit coordinates, so the estimators are tested on the
/// Ishigami function whose indices are known analytically.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "lactsim/engine/run_control.hpp"

namespace lactsim {

/// A model for sensitivity analysis: maps unit coordinates u ∈ [0,1]^d (and the worker
/// index, for per-thread buffers) to `outputs`; returns false when the run failed.
using UnitModel = std::function<bool(std::span<const double> unit, std::span<double> outputs, unsigned worker)>;

/// Settings shared by both methods.
struct SensitivityOptions {
  std::size_t dimensions = 0;  ///< d, varied inputs
  std::size_t outputs = 0;     ///< endpoints per run
  std::size_t samples = 0;     ///< Sobol: base samples N; Morris: trajectories r
  unsigned threads = 1;
  std::uint64_t seed = 1;      ///< bootstrap weights (Sobol), trajectories (Morris)
  std::size_t bootstrap_replicates = 200;  ///< Sobol only
  double confidence = 0.95;                ///< Sobol bootstrap interval coverage
  int morris_levels = 4;                   ///< p, an even number
  /// (done, total) base samples (Sobol) or trajectories (Morris) after each block.
  ProgressCallback progress;
  /// Checked after each block of model runs.
  const CancellationToken* cancel = nullptr;
};

/// An estimate with a bootstrap percentile interval.
struct Estimate {
  double value = 0, low = 0, high = 0;
};

/// Sobol indices of one output.
struct SobolIndices {
  std::vector<Estimate> first_order;  ///< S_i, one per input
  std::vector<Estimate> total_order;  ///< S_Ti, one per input
  double variance = 0;                ///< Var(Y) over the A and B samples
};

/// Result of a Sobol analysis.
struct SobolResult {
  std::vector<SobolIndices> by_output;
  std::size_t base_samples = 0;   ///< N used (base samples whose d + 2 runs all succeeded)
  std::size_t failed_samples = 0; ///< base samples dropped because a run failed
  std::size_t model_runs = 0;     ///< N(d + 2) attempted
};

/// Runs a Sobol analysis.
/// @throws InputError naming the argument ("ranges" for dimensions, "endpoints" for outputs,
///         "samples", "confidence") when dimensions, outputs or samples is 0, or confidence
///         is not in (0, 1); Cancelled when options.cancel is cancelled
SobolResult sobol_analysis(const UnitModel& model, const SensitivityOptions& options);

/// Morris measures of one output for one input (effects on the unit scale: the change of
/// the output per full range of the input).
struct MorrisMeasures {
  double mu = 0;       ///< mean elementary effect
  double mu_star = 0;  ///< mean absolute elementary effect
  double sigma = 0;    ///< standard deviation of the elementary effects
};

/// Result of a Morris screening.
struct MorrisResult {
  std::vector<std::vector<MorrisMeasures>> by_output;  ///< [output][input]
  std::size_t trajectories = 0;         ///< r used
  std::size_t failed_trajectories = 0;  ///< dropped because a run failed
  std::size_t model_runs = 0;
};

/// Runs a Morris screening with `options.samples` trajectories.
/// @throws InputError as sobol_analysis, or naming "morris_levels" when it is not even and >= 2;
///         Cancelled when options.cancel is cancelled
MorrisResult morris_analysis(const UnitModel& model, const SensitivityOptions& options);

}  // namespace lactsim
