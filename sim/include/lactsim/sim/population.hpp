#pragma once
/// @file population.hpp
/// Virtual populations: mothers whose parameters scatter around a scenario's values on
/// scales that cannot leave the parameters' bounds (log-normal, logit-normal, truncated
/// normal, uniform), optionally correlated through a Gaussian copula, each drawn from
/// counter-based random numbers keyed by (seed, mother, parameter), so mother i is the same
/// mother in every arm of a comparison and on every thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lactsim/model/parameters.hpp"
#include "lactsim/sim/errors.hpp"
#include "lactsim/sim/run_control.hpp"
#include "lactsim/sim/sample_evaluation.hpp"
#include "lactsim/sim/simulation.hpp"

namespace lactsim {

/// The law of one varied parameter's draws (formulas in docs/analyses.md, "[population]").
enum class VariabilityDistribution {
  by_bounds,         ///< chosen from the parameter's bounds by default_distribution()
  lognormal,         ///< lo + (m − lo)·exp(σ z): support (lo, ∞)
  logitnormal,       ///< lo + (hi − lo)·logistic(logit((m − lo)/(hi − lo)) + σ z): support (lo, hi)
  truncated_normal,  ///< normal(m, sd) restricted to [lower, upper] (the law of resampling until inside)
  uniform,           ///< uniform on [lower, upper]
};

/// The distribution a parameter with bounds [lower, upper] gets when none is named:
/// logit-normal when both bounds are finite, log-normal when only the upper one is infinite,
/// otherwise a truncated normal.
VariabilityDistribution default_distribution(double lower, double upper);

/// "lognormal", "logitnormal", "normal" or "uniform"; empty for anything else.
std::optional<VariabilityDistribution> parse_distribution_name(std::string_view name);

/// The scenario-file name of a distribution ("normal" for the truncated normal).
std::string_view distribution_name(VariabilityDistribution distribution);

/// Variability of one parameter between mothers.
struct ParameterVariability {
  std::string name;
  double cv = 0;  ///< spread as a coefficient of variation near the median (0 = fixed); see docs/analyses.md
  double model::ModelParameters::*member = nullptr;
  std::size_t registry_index = 0;  ///< random stream: the same parameter draws the same numbers everywhere
  SourceLocation where;
  VariabilityDistribution distribution = VariabilityDistribution::by_bounds;
  std::optional<double> sd{};     ///< truncated normal: sd in the parameter's unit (instead of cv × value)
  std::optional<double> lower{};  ///< normal, uniform: truncation / lower end (default: the support's)
  std::optional<double> upper{};  ///< normal, uniform: truncation / upper end (default: the support's)
};

/// One parameter's marginal law as a transform of a standard normal score z (the copula's
/// coordinate): every finite z maps inside [lower, upper].
struct MarginalDistribution {
  VariabilityDistribution distribution = VariabilityDistribution::logitnormal;
  double median = 0;   ///< log-/logit-normal: the scenario value; normal: its mean before truncation
  double scale = 0;    ///< σ on the log or logit scale; the sd for the normal
  double lower = 0;    ///< smallest value a draw may take
  double upper = 0;    ///< largest value a draw may take
  /// The value whose quantile is Φ(z).
  double value(double z) const;
};

/// Least probability a truncated normal may put in its range: below it, inverting the CDF
/// over the range loses all precision (a range far in a tail, or an sd that makes the normal
/// flat over it), so such a distribution is refused.
inline constexpr double kMinTruncatedNormalMass = 1e-9;

/// The marginal of `variability` around `scenario_value` when draws must stay inside
/// [lower, upper] (the parameter's bounds, narrowed by its constraints against fixed parameters).
/// @throws InputError at variability.where when the distribution's support would leave
///         [lower, upper], a lower/upper given in the table lies outside it, or the scenario
///         value cannot be the median (a log- or logit-normal whose value sits on a bound), or a
///         truncated normal puts less than kMinTruncatedNormalMass in its range
MarginalDistribution marginal_distribution(const ParameterVariability& variability, double scenario_value,
                                           double lower, double upper);

/// Φ(x), the standard normal distribution function, accurate in both tails.
double standard_normal_cdf(double x);

/// Correlation of two parameters' normal scores (the Gaussian copula's coordinates).
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
  /// Also fixes each varied parameter's marginal around `base`, within the parameter's bounds
  /// narrowed by its order constraints against the parameters that stay fixed.
  /// @throws InputError at the variability entry when a marginal cannot be formed or both sides
  ///         of an order constraint (e.g. pain_peak_h ≥ pain_anaesthesia_h) vary
  PopulationSampler(const PopulationSpec& spec, const model::ModelParameters& base);
  /// Parameters of mother `index`: each varied value is its marginal's transform of a
  /// correlated standard normal score z = L·(independent scores keyed by seed, mother and
  /// parameter). Every value lies inside its bounds.
  model::ModelParameters mother(std::size_t index) const;

 private:
  const PopulationSpec& spec_;
  model::ModelParameters base_;
  std::vector<MarginalDistribution> marginals_;  ///< per varied parameter
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
