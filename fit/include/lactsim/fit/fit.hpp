#pragma once
/// @file fit.hpp
/// Weighted least-squares estimation of model parameters from the observed data of one or
/// more scenarios: Levenberg–Marquardt (Eigen's unsupported LevenbergMarquardt module) on
/// bound-transformed parameters, multistart from a Latin hypercube, Fisher-information
/// standard errors, correlation, identifiability warnings and profile likelihoods
/// (docs/fitting.md).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lactsim/fit/bound_transform.hpp"
#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/engine/run_control.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/engine/simulation.hpp"

namespace lactsim {

/// One parameter being estimated.
struct FreeParameter {
  std::string name;
  std::string unit;
  BoundTransform bounds;  ///< registry bounds, possibly narrowed with --bound
  double start;           ///< value in the scenarios when the fit starts
};

/// The registry entry of a parameter to estimate.
/// @throws InputError (argument "free_names NAME") naming the closest known name when unknown
const model::ParameterInfo& free_parameter_info(const std::string& name);

/// Whether `estimate` lies within 1e-4 of a bound, as a fraction of the transformed range: its
/// SE and Wald interval then mean little (reported `at_bound` by fit and the case-series fit).
bool estimate_at_bound(const BoundTransform& bounds, double estimate);

/// Parses "NAME=LO:HI" (as given to --bound).
/// @throws InputError when malformed, unknown, not finite, LO >= HI or outside the registry bounds
std::pair<std::string, std::pair<double, double>> parse_bound_assignment(const std::string& text);

/// The integrator settings of every fitting run (tighter than `run`'s default; manifest.json
/// records them).
SolverOptions fit_solver_options();

/// What fit_parameters minimises: free parameters with bounds and start values, and a vector
/// of weighted residuals (each already divided by its SD) at given parameter values.
class LeastSquaresProblem {
 public:
  virtual ~LeastSquaresProblem() = default;
  /// Number of free parameters.
  virtual std::size_t parameter_count() const = 0;
  /// Number of residuals.
  virtual std::size_t residual_count() const = 0;
  /// The free parameters, their bounds and start values.
  virtual const std::vector<FreeParameter>& free_parameters() const = 0;
  /// Weighted residuals at `theta` (one value per free parameter, in order).
  /// @returns false when the parameters are invalid together or a simulation fails
  ///          (residuals are then unusable); never throws for those
  virtual bool residuals(const std::vector<double>& theta, std::vector<double>& out) const = 0;
};

/// The scenarios and free parameters of a fit, and the weighted residuals they define:
/// r_i = (simulated_i − observed_i) / SD_i over every observation of every scenario.
class FitProblem : public LeastSquaresProblem {
 public:
  /// @param scenarios  loaded scenarios with their overrides applied; observed data required
  /// @param free_names parameters to estimate, each once
  /// @param bounds     optional narrower bounds per free parameter
  /// @param default_cv relative SD for observations without spread information
  /// @throws InputError for an unknown or repeated name, no observed data, a start value
  ///         outside the bounds, scenarios disagreeing on a free parameter's start, fewer
  ///         observations than free parameters, or an observation that cannot be converted
  FitProblem(std::vector<Scenario> scenarios, const std::vector<std::string>& free_names,
             const std::vector<std::pair<std::string, std::pair<double, double>>>& bounds = {},
             double default_cv = kDefaultObservationCv);

  std::size_t parameter_count() const override { return free_.size(); }
  std::size_t residual_count() const override { return residual_count_; }
  const std::vector<FreeParameter>& free_parameters() const override { return free_; }
  const std::vector<Scenario>& scenarios() const { return scenarios_; }

  /// Weighted residuals at parameter values `theta` (one per free parameter, in order).
  /// @returns false when the parameters are invalid together or the simulation fails
  ///          (residuals are then unusable); never throws for those
  bool residuals(const std::vector<double>& theta, std::vector<double>& out) const override;

  /// Scenarios with the free parameters set to `theta` (for outputs at the estimate).
  std::vector<Scenario> scenarios_at(const std::vector<double>& theta) const;

  /// Comparisons of every scenario's observations at `theta`, one vector per scenario.
  /// @throws SimulationError when the simulation fails
  std::vector<std::vector<ObservationComparison>> comparisons_at(const std::vector<double>& theta) const;

 private:
  struct Member {
    Scenario scenario;
    std::vector<WeightedObservation> observations;
    RunOptions options;
  };
  std::vector<Scenario> scenarios_;
  std::vector<Member> members_;
  std::vector<FreeParameter> free_;
  std::size_t residual_count_ = 0;
  double default_cv_;
};

/// Progress of a fit, reported between evaluations.
struct FitProgress {
  std::string stage;        ///< "start 2/8", "profile milk_max_synthesis_ml_h"
  std::size_t evaluations;  ///< simulations of all scenarios so far
  double best_chi_square;
};

/// How to fit.
struct FitSettings {
  std::size_t multistart = 0;        ///< extra starts from a Latin hypercube besides the given start
  std::uint64_t seed = 1;            ///< design seed; same seed, same starts
  bool profile = false;              ///< compute profile likelihoods
  std::size_t profile_points = 13;   ///< grid points per profile
  std::size_t max_iterations = 60;   ///< LM function evaluations per start (Eigen's maxfev)
  const CancellationToken* cancel = nullptr;    ///< cancelled (e.g. on SIGINT): stop with the best so far
  std::function<void(const FitProgress&)> progress;  ///< called between evaluations when set
};

/// One start of the multistart.
struct StartOutcome {
  std::vector<double> start;
  std::vector<double> estimate;
  double chi_square;
  int status;               ///< Eigen LevenbergMarquardtSpace::Status
  std::size_t evaluations;
};

/// A profile likelihood: the minimum chi-square over the other free parameters with one fixed.
struct Profile {
  std::string name;
  std::vector<double> values;
  std::vector<double> chi_square;             ///< NaN where the refit failed
  std::optional<double> lower_95, upper_95;   ///< where Δχ² crosses 3.84; empty: not within bounds
  bool flat = false;                          ///< Δχ² < 3.84 over the whole bounded range
  /// Why this interval needs a second look (profiled next to a parameter the data do not
  /// identify, so every profile point re-optimised it over a flat direction); empty when none.
  std::string warning;
};

/// A direction in (relative) parameter space the data barely constrain.
struct IdentifiabilityWarning {
  double eigenvalue;               ///< of the relative Fisher information (Δχ² per e-fold change²)
  std::vector<double> direction;   ///< unit eigenvector over the free parameters
  std::string message;
};

/// Everything a fit found.
struct FitResult {
  std::vector<FreeParameter> parameters;
  std::vector<double> estimate;
  std::vector<double> standard_error;          ///< NaN when the information is singular there
  std::vector<double> ci_lower, ci_upper;      ///< estimate ± 1.96 SE, clipped to the bounds
  std::vector<bool> at_bound;                  ///< estimate within 1e-4 of a bound (SE unreliable)
  std::vector<std::vector<double>> correlation;
  std::vector<double> fisher_eigenvalues;      ///< relative Fisher information, ascending
  std::vector<IdentifiabilityWarning> warnings;
  double chi_square = 0;
  std::size_t residuals = 0;
  std::vector<StartOutcome> starts;
  std::vector<Profile> profiles;
  std::size_t evaluations = 0;
  bool interrupted = false;
};

/// Runs the fit (of scenarios' observed data, or of any other least-squares problem, e.g. a
/// population calibration).
/// @throws InputError for bad settings; SimulationError when not even the start can be simulated
FitResult fit_parameters(const LeastSquaresProblem& problem, const FitSettings& settings);

/// Δχ² of a 95% likelihood-based interval for one parameter (χ²₁ quantile 0.95).
inline constexpr double kChiSquare95OneDof = 3.841458820694124;

/// Relative Fisher eigenvalue below which a direction is reported as not identifiable: an
/// e-fold change along it changes χ² by less than 1.
inline constexpr double kIdentifiabilityEigenvalue = 1.0;

}  // namespace lactsim
