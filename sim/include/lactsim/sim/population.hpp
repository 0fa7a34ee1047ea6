#pragma once
/// @file population.hpp
/// Virtual populations: mothers whose parameters scatter log-normally around a scenario's
/// values (the median), optionally correlated, each drawn from counter-based random
/// numbers keyed by (seed, mother, parameter), so mother i is the same mother in every arm
/// of a comparison and on every thread.

#include <cstdint>
#include <string>
#include <vector>

#include "lactsim/model/parameters.hpp"
#include "lactsim/sim/errors.hpp"
#include "lactsim/sim/sample_evaluation.hpp"
#include "lactsim/sim/simulation.hpp"

namespace lactsim {

/// Log-normal variability of one parameter.
struct ParameterVariability {
  std::string name;
  double cv = 0;  ///< coefficient of variation of the log-normal (0 = fixed)
  double model::ModelParameters::*member = nullptr;
  std::size_t registry_index = 0;  ///< random stream: the same parameter draws the same numbers everywhere
  SourceLocation where;
};

/// Correlation of two parameters' log-scale deviations.
struct ParameterCorrelation {
  std::string first, second;
  double rho = 0;
  SourceLocation where;
};

/// The [population] table of a scenario.
struct PopulationSpec {
  std::size_t size = 0;
  std::uint64_t seed = 1;
  std::vector<ParameterVariability> variability;
  std::vector<ParameterCorrelation> correlations;
  SourceLocation where;
};

/// Draws mothers of a population around base parameters.
class PopulationSampler {
 public:
  /// Factorises the correlation matrix (Cholesky).
  /// @throws InputError at the offending correlation when the matrix is not positive definite
  PopulationSampler(const PopulationSpec& spec, const model::ModelParameters& base);
  /// Parameters of mother `index`: value = base × exp(σ z) with σ² = ln(1 + cv²) and
  /// z a correlated standard normal, so the base value is the median. Not validated here.
  model::ModelParameters mother(std::size_t index) const;

 private:
  const PopulationSpec& spec_;
  model::ModelParameters base_;
  std::vector<double> sigma_;     ///< log-scale sd per varied parameter
  std::vector<double> cholesky_;  ///< lower-triangular L, row-major k × k
};

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
  void evaluate(std::size_t index, unsigned worker, PopulationRun& run);

 private:
  int days_;
  PopulationSampler sampler_;
  std::vector<SampleEvaluator> evaluators_;
};

/// Simulates every mother of `spec` on `threads` threads (results independent of threads).
PopulationRun run_population(const SimulationInput& base, const PopulationSpec& spec, const SolverOptions& solver,
                             unsigned threads, bool progress);

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
