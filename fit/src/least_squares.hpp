#pragma once
// Internal: the weighted least-squares objective in optimiser coordinates and one
// Levenberg–Marquardt minimisation with Eigen's unsupported LevenbergMarquardt module.

#include <atomic>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include <Eigen/Dense>

#include "lactsim/fit/fit.hpp"

namespace lactsim::detail {

/// Residuals r(u) over the free parameters, with at most one of them held fixed (profiles).
/// Tracks the best point seen, counts evaluations and honours the stop flag.
class LeastSquaresObjective {
 public:
  LeastSquaresObjective(const LeastSquaresProblem& problem, const FitSettings& settings, std::size_t& evaluations);

  /// Holds parameter `index` at `value` (profile likelihood); the optimiser sees the others.
  void fix(std::size_t index, double value) { fixed_index_ = index, fixed_value_ = value; }
  void release() { fixed_index_.reset(); }

  std::size_t optimised_count() const { return problem_.parameter_count() - (fixed_index_ ? 1 : 0); }
  std::size_t residual_count() const { return problem_.residual_count(); }

  /// Full parameter vector for optimiser coordinates u (fixed one inserted).
  std::vector<double> parameters(const Eigen::VectorXd& u) const;
  /// Optimiser coordinates of a full parameter vector (fixed one left out).
  Eigen::VectorXd coordinates(const std::vector<double>& theta) const;

  /// r(u); false when stopped. Invalid parameter combinations give a large penalty residual.
  bool evaluate(const Eigen::VectorXd& u, Eigen::VectorXd& r);
  /// Central-difference Jacobian dr/du; false when stopped.
  bool jacobian(const Eigen::VectorXd& u, Eigen::MatrixXd& jac);

  bool stopped() const { return is_cancelled(settings_.cancel); }
  /// Best chi-square seen with nothing fixed, and its parameters.
  double best_chi_square() const { return best_chi_square_; }
  const std::vector<double>& best_parameters() const { return best_parameters_; }
  void set_stage(std::string stage) { stage_ = std::move(stage); }

 private:
  const LeastSquaresProblem& problem_;
  const FitSettings& settings_;
  std::size_t& evaluations_;
  std::optional<std::size_t> fixed_index_;
  double fixed_value_ = 0;
  double best_chi_square_ = std::numeric_limits<double>::infinity();
  std::vector<double> best_parameters_;
  std::vector<double> scratch_;
  std::string stage_;
};

/// Result of one LM run.
struct LmOutcome {
  Eigen::VectorXd u;
  double chi_square;
  int status;
};

/// Minimises |r(u)|² from u0 with Eigen's LevenbergMarquardt (at most `max_iterations`
/// function evaluations). Returns the final point even when stopped.
LmOutcome minimise(LeastSquaresObjective& objective, const Eigen::VectorXd& u0, std::size_t max_iterations);

}  // namespace lactsim::detail
