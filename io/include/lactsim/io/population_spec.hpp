#pragma once
/// @file population_spec.hpp
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
#include "lactsim/engine/errors.hpp"

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

/// Largest coefficient of variation a [population] table accepts (a cv of 10 already spreads a
/// log-normal over several orders of magnitude).
inline constexpr double kMaxVariabilityCv = 10.0;

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

}  // namespace lactsim
