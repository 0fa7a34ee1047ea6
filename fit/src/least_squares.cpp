#include "least_squares.hpp"

#include <cmath>

#include <unsupported/Eigen/LevenbergMarquardt>

namespace lactsim::detail {
namespace {

// Residual given to every observation when the parameters are invalid together or the
// simulation fails: large enough that LM rejects the step, finite so its QR stays sane.
constexpr double kPenaltyResidual = 1e4;
// Central-difference step in the optimiser coordinate (a logistic/log-logistic scale):
// truncation error ~1e-6, integration noise (rtol 1e-8) / step ~1e-5 relative.
constexpr double kDifferenceStep = 1e-3;

/// Adapter from LeastSquaresObjective to Eigen's functor interface.
struct EigenFunctor : Eigen::DenseFunctor<double> {
  EigenFunctor(LeastSquaresObjective& objective)
      : Eigen::DenseFunctor<double>(static_cast<int>(objective.optimised_count()),
                                    static_cast<int>(objective.residual_count())),
        objective_(objective) {}
  int operator()(const Eigen::VectorXd& u, Eigen::VectorXd& r) const { return objective_.evaluate(u, r) ? 0 : -1; }
  int df(const Eigen::VectorXd& u, Eigen::MatrixXd& jac) const { return objective_.jacobian(u, jac) ? 0 : -1; }
  LeastSquaresObjective& objective_;
};

}  // namespace

LeastSquaresObjective::LeastSquaresObjective(const LeastSquaresProblem& problem, const FitSettings& settings,
                                             std::size_t& evaluations)
    : problem_(problem), settings_(settings), evaluations_(evaluations) {}

std::vector<double> LeastSquaresObjective::parameters(const Eigen::VectorXd& u) const {
  const auto& free = problem_.free_parameters();
  std::vector<double> theta(free.size());
  Eigen::Index j = 0;
  for (std::size_t k = 0; k < free.size(); ++k) {
    theta[k] = fixed_index_ && *fixed_index_ == k ? fixed_value_ : free[k].bounds.to_parameter(u[j++]);
  }
  return theta;
}

Eigen::VectorXd LeastSquaresObjective::coordinates(const std::vector<double>& theta) const {
  const auto& free = problem_.free_parameters();
  Eigen::VectorXd u(static_cast<Eigen::Index>(optimised_count()));
  Eigen::Index j = 0;
  for (std::size_t k = 0; k < free.size(); ++k) {
    if (fixed_index_ && *fixed_index_ == k) continue;
    u[j++] = free[k].bounds.to_internal(theta[k]);
  }
  return u;
}

bool LeastSquaresObjective::evaluate(const Eigen::VectorXd& u, Eigen::VectorXd& r) {
  if (stopped()) return false;
  const std::vector<double> theta = parameters(u);
  ++evaluations_;
  r.resize(static_cast<Eigen::Index>(problem_.residual_count()));
  if (problem_.residuals(theta, scratch_)) {
    for (std::size_t i = 0; i < scratch_.size(); ++i) r[static_cast<Eigen::Index>(i)] = scratch_[i];
  } else {
    r.setConstant(kPenaltyResidual);
  }
  const double chi_square = r.squaredNorm();
  if (!fixed_index_ && chi_square < best_chi_square_) {
    best_chi_square_ = chi_square;
    best_parameters_ = theta;
  }
  if (settings_.progress) settings_.progress({stage_, evaluations_, best_chi_square_});
  return true;
}

bool LeastSquaresObjective::jacobian(const Eigen::VectorXd& u, Eigen::MatrixXd& jac) {
  const Eigen::Index m = static_cast<Eigen::Index>(problem_.residual_count());
  jac.resize(m, u.size());
  Eigen::VectorXd shifted = u, plus(m), minus(m);
  for (Eigen::Index j = 0; j < u.size(); ++j) {
    shifted[j] = u[j] + kDifferenceStep;
    if (!evaluate(shifted, plus)) return false;
    shifted[j] = u[j] - kDifferenceStep;
    if (!evaluate(shifted, minus)) return false;
    shifted[j] = u[j];
    jac.col(j) = (plus - minus) / (2.0 * kDifferenceStep);
  }
  return true;
}

LmOutcome minimise(LeastSquaresObjective& objective, const Eigen::VectorXd& u0, std::size_t max_iterations) {
  Eigen::VectorXd u = u0;
  Eigen::VectorXd r;
  if (u.size() == 0) {  // nothing to optimise (a one-parameter profile): just evaluate
    objective.evaluate(u, r);
    return {u, r.squaredNorm(), 0};
  }
  EigenFunctor functor(objective);
  Eigen::LevenbergMarquardt<EigenFunctor> lm(functor);
  lm.setMaxfev(static_cast<Eigen::Index>(max_iterations));
  lm.setXtol(1e-8);
  lm.setFtol(1e-10);
  const int status = static_cast<int>(lm.minimize(u));
  if (!objective.evaluate(u, r)) return {u, std::numeric_limits<double>::quiet_NaN(), status};
  return {u, r.squaredNorm(), status};
}

}  // namespace lactsim::detail
