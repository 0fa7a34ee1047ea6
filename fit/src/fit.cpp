// fit_parameters: multistart Levenberg–Marquardt, then uncertainty and profiles.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include <Eigen/Eigenvalues>

#include "lactsim/fit/fit.hpp"
#include "space_filling.hpp"
#include "least_squares.hpp"

namespace lactsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kZ95 = 1.959963984540054;  // standard normal 97.5% quantile
// Multistart draws stay inside this fraction of each bounded range, so no start sits on a bound.
constexpr double kDesignMargin = 0.02;
// An estimate this close to a bound (fraction of the transformed range) is reported "at bound".
constexpr double kAtBoundFraction = 1e-4;

}  // namespace

const model::ParameterInfo& free_parameter_info(const std::string& name) {
  const model::ParameterInfo* info = model::find_parameter(name);
  if (info == nullptr) {
    throw InputError({kArgumentsOrigin, 0, 0}, "free_names " + name,
                     "unknown parameter '" + name + "'; did you mean '" + model::closest_parameter_name(name) +
                         "'? (`lactsim params` lists them all)");
  }
  return *info;
}

bool estimate_at_bound(const BoundTransform& bounds, double estimate) {
  const double fraction = bounds.fraction(estimate);
  return fraction < kAtBoundFraction || fraction > 1.0 - kAtBoundFraction;
}

namespace {

/// Standard errors, correlation and identifiability from the Jacobian at the estimate.
void add_uncertainty(const LeastSquaresProblem& problem, detail::LeastSquaresObjective& objective, FitResult& out) {
  const std::size_t n = out.estimate.size();
  out.standard_error.assign(n, kNaN);
  out.ci_lower.assign(n, kNaN);
  out.ci_upper.assign(n, kNaN);
  out.at_bound.assign(n, false);
  out.correlation.assign(n, std::vector<double>(n, kNaN));
  const Eigen::VectorXd u = objective.coordinates(out.estimate);
  Eigen::MatrixXd jac_u;
  if (!objective.jacobian(u, jac_u)) return;
  // Chain rule: dr/dθ = dr/du · (dθ/du)^-1 per column.
  Eigen::MatrixXd jac(jac_u.rows(), jac_u.cols());
  for (std::size_t k = 0; k < n; ++k) {
    const auto& bounds = problem.free_parameters()[k].bounds;
    out.at_bound[k] = estimate_at_bound(bounds, out.estimate[k]);
    const double dtheta_du = bounds.derivative(u[static_cast<Eigen::Index>(k)]);
    jac.col(static_cast<Eigen::Index>(k)) = jac_u.col(static_cast<Eigen::Index>(k)) / dtheta_du;
  }
  // Fisher information for known SDs: F = JᵀJ; covariance = F⁻¹ (not rescaled by χ²/dof,
  // because the SDs are given with the data; docs/fitting.md §Uncertainty).
  const Eigen::MatrixXd fisher = jac.transpose() * jac;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(fisher);
  const double largest = eig.eigenvalues().cwiseAbs().maxCoeff();
  Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  bool singular = false;
  for (Eigen::Index i = 0; i < eig.eigenvalues().size(); ++i) {
    const double lambda = eig.eigenvalues()[i];
    if (lambda <= 1e-12 * largest || lambda <= 0.0) {
      singular = true;
      continue;
    }
    covariance += eig.eigenvectors().col(i) * eig.eigenvectors().col(i).transpose() / lambda;
  }
  for (std::size_t k = 0; k < n; ++k) {
    const auto kk = static_cast<Eigen::Index>(k);
    if (singular || !(covariance(kk, kk) > 0.0)) continue;
    const double se = std::sqrt(covariance(kk, kk));
    const auto& bounds = problem.free_parameters()[k].bounds;
    out.standard_error[k] = se;
    out.ci_lower[k] = std::max(bounds.lower(), out.estimate[k] - kZ95 * se);
    out.ci_upper[k] = std::min(bounds.upper(), out.estimate[k] + kZ95 * se);
    for (std::size_t l = 0; l < n; ++l) {
      const auto ll = static_cast<Eigen::Index>(l);
      if (covariance(ll, ll) > 0.0) {
        out.correlation[k][l] = covariance(kk, ll) / std::sqrt(covariance(kk, kk) * covariance(ll, ll));
      }
    }
  }
  // Identifiability on a relative scale: S F S with S = diag(|θ|) (or the bound span when θ = 0),
  // so eigenvalue λ is the χ² change for an e-fold change along its direction.
  Eigen::VectorXd scale(static_cast<Eigen::Index>(n));
  for (std::size_t k = 0; k < n; ++k) {
    const auto& bounds = problem.free_parameters()[k].bounds;
    scale[static_cast<Eigen::Index>(k)] =
        out.estimate[k] != 0.0 ? std::abs(out.estimate[k]) : bounds.upper() - bounds.lower();
  }
  const Eigen::MatrixXd relative = scale.asDiagonal() * fisher * scale.asDiagonal();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> rel(relative);
  for (Eigen::Index i = 0; i < rel.eigenvalues().size(); ++i) {
    const double lambda = std::max(0.0, rel.eigenvalues()[i]);
    out.fisher_eigenvalues.push_back(lambda);
    if (lambda >= kIdentifiabilityEigenvalue) continue;
    IdentifiabilityWarning w;
    w.eigenvalue = lambda;
    std::string involved;
    for (std::size_t k = 0; k < n; ++k) {
      const double c = rel.eigenvectors()(static_cast<Eigen::Index>(k), i);
      w.direction.push_back(c);
      if (std::abs(c) >= 0.3) {
        char text[128];
        std::snprintf(text, sizeof text, "%s%+.2f %s", involved.empty() ? "" : ", ", c, problem.free_parameters()[k].name.c_str());
        involved += text;
      }
    }
    char text[160];
    std::snprintf(text, sizeof text, "not identifiable: a 2.7-fold (e-fold) change along this direction changes "
                                     "chi-square by only %.3g: ", lambda);
    w.message = text + involved;
    out.warnings.push_back(std::move(w));
  }
}

/// Δχ² crossing between two profile points, by linear interpolation.
double crossing(double x0, double d0, double x1, double d1) {
  return x0 + (kChiSquare95OneDof - d0) * (x1 - x0) / (d1 - d0);
}

// The crossing of Δχ² = 3.84 is refined until Δχ² there is this close to 3.84, so the interval
// does not depend on how coarse the walk's steps were (e.g. without a standard error).
constexpr double kCrossingTolerance = 0.02;
constexpr int kMaxCrossingRefinements = 12;

/// Warning for the profile of parameter k when another free parameter is flagged: part of a
/// non-identifiable direction, or at a bound. Empty when none is.
std::string profile_neighbour_warning(const LeastSquaresProblem& problem, const FitResult& fit, std::size_t k) {
  std::string flagged;
  for (std::size_t j = 0; j < fit.estimate.size(); ++j) {
    if (j == k) continue;
    bool unidentified = false;
    for (const IdentifiabilityWarning& w : fit.warnings) unidentified = unidentified || std::abs(w.direction[j]) >= 0.3;
    if (!unidentified && !fit.at_bound[j]) continue;
    flagged += (flagged.empty() ? "" : ", ") + problem.free_parameters()[j].name +
               (unidentified ? " (not identifiable)" : " (at a bound)");
  }
  if (flagged.empty()) return {};
  return "the profile of " + problem.free_parameters()[k].name + " was computed with " + flagged +
         " free and re-optimised at every point; its interval holds whatever value that takes within its bounds. "
         "Check profile.csv for a smooth curve, or fix that parameter (--set) and fit again";
}

/// Profile of parameter k: walk outward from the estimate in the optimiser coordinate, refitting
/// the others from the previous point, until Δχ² exceeds twice the 95% level or the bound; the
/// step where Δχ² first passes 3.84 is then narrowed (regula falsi with a bisection guard).
Profile profile_parameter(const LeastSquaresProblem& problem, const FitSettings& settings, detail::LeastSquaresObjective& objective,
                          const FitResult& fit, std::size_t k) {
  const FreeParameter& p = problem.free_parameters()[k];
  Profile profile;
  profile.name = p.name;
  profile.warning = profile_neighbour_warning(problem, fit, k);
  // Walk from inside the bounds even when the estimate sits on one (u = ±20 there), so the
  // first steps move the parameter by a visible amount.
  const double u_hat = std::clamp(p.bounds.to_internal(fit.estimate[k]), -7.0, 7.0);
  // First step: one standard error in u where known, else one unit of u (a fixed fraction of
  // the bounded range); the refinement below makes the interval independent of it.
  double step = 1.0;
  if (std::isfinite(fit.standard_error[k])) {
    step = std::clamp(fit.standard_error[k] / p.bounds.derivative(u_hat), 0.05, 2.0);
  }
  const std::size_t per_side = std::max<std::size_t>(2, (settings.profile_points - 1) / 2);
  std::vector<std::pair<double, double>> points{{fit.estimate[k], fit.chi_square}};
  objective.set_stage("profile " + p.name);
  // Refits with parameter k at u_hat + side × offset, warm-started from `start`.
  auto refit_at = [&](int side, double offset, const std::vector<double>& start) {
    const double value = p.bounds.to_parameter(u_hat + side * offset);
    objective.fix(k, value);
    std::vector<double> theta = start;
    theta[k] = value;
    const detail::LmOutcome refit = detail::minimise(objective, objective.coordinates(theta), settings.max_iterations);
    points.emplace_back(value, refit.chi_square);
    return std::pair{objective.parameters(refit.u), refit.chi_square - fit.chi_square};
  };
  for (int side : {-1, +1}) {
    std::vector<double> theta = fit.estimate;
    double offset = 0.0, stride = step, inside_offset = 0.0, inside_delta = 0.0;
    bool crossed = false;
    for (std::size_t i = 0; i < per_side && !objective.stopped(); ++i) {
      offset += stride;
      stride *= 1.4;
      const auto [refitted, delta] = refit_at(side, offset, theta);
      if (!crossed && std::isfinite(delta) && delta >= kChiSquare95OneDof) {
        crossed = true;
        // Narrow [inside, offset] around Δχ² = 3.84, warm-starting from the inside end.
        double outside_offset = offset, outside_delta = delta;
        std::vector<double> inside_theta = theta;
        for (int r = 0; r < kMaxCrossingRefinements && !objective.stopped(); ++r) {
          if (outside_delta - kChiSquare95OneDof <= kCrossingTolerance ||
              kChiSquare95OneDof - inside_delta <= kCrossingTolerance) {
            break;
          }
          const double width = outside_offset - inside_offset;
          const double secant = inside_offset + (kChiSquare95OneDof - inside_delta) * width / (outside_delta - inside_delta);
          const double middle = std::clamp(secant, inside_offset + 0.1 * width, outside_offset - 0.1 * width);
          const auto [middle_theta, middle_delta] = refit_at(side, middle, inside_theta);
          if (!std::isfinite(middle_delta)) break;
          if (middle_delta >= kChiSquare95OneDof) {
            outside_offset = middle, outside_delta = middle_delta;
          } else {
            inside_offset = middle, inside_delta = middle_delta, inside_theta = middle_theta;
          }
        }
      }
      theta = refitted;
      if (std::isfinite(delta) && delta < kChiSquare95OneDof) inside_offset = offset, inside_delta = delta;
      const double fraction = p.bounds.fraction(p.bounds.to_parameter(u_hat + side * offset));
      if (delta > 2.0 * kChiSquare95OneDof || fraction < 1e-3 || fraction > 1.0 - 1e-3) break;
    }
  }
  objective.release();
  std::sort(points.begin(), points.end());
  for (const auto& [value, chi_square] : points) {
    profile.values.push_back(value);
    profile.chi_square.push_back(chi_square);
  }
  // The profile minimum may lie slightly below the fit's χ² (a better point found): use it.
  double minimum = fit.chi_square;
  for (double c : profile.chi_square) {
    if (std::isfinite(c)) minimum = std::min(minimum, c);
  }
  const auto centre = static_cast<std::size_t>(
      std::find(profile.values.begin(), profile.values.end(), fit.estimate[k]) - profile.values.begin());
  for (std::size_t i = centre; i-- > 0;) {
    const double d0 = profile.chi_square[i + 1] - minimum, d1 = profile.chi_square[i] - minimum;
    if (std::isfinite(d1) && d1 >= kChiSquare95OneDof) {
      profile.lower_95 = crossing(profile.values[i + 1], d0, profile.values[i], d1);
      break;
    }
  }
  for (std::size_t i = centre + 1; i < profile.values.size(); ++i) {
    const double d0 = profile.chi_square[i - 1] - minimum, d1 = profile.chi_square[i] - minimum;
    if (std::isfinite(d1) && d1 >= kChiSquare95OneDof) {
      profile.upper_95 = crossing(profile.values[i - 1], d0, profile.values[i], d1);
      break;
    }
  }
  profile.flat = !profile.lower_95 && !profile.upper_95;
  return profile;
}

}  // namespace

FitResult fit_parameters(const LeastSquaresProblem& problem, const FitSettings& settings) {
  if (settings.max_iterations < 1) throw InputError({kArgumentsOrigin, 0, 0}, "max_iterations", "must be positive");
  if (settings.profile && settings.profile_points < 3) {
    throw InputError({kArgumentsOrigin, 0, 0}, "profile_points", "must be at least 3");
  }
  FitResult out;
  out.parameters = problem.free_parameters();
  out.residuals = problem.residual_count();
  detail::LeastSquaresObjective objective(problem, settings, out.evaluations);
  const std::size_t n = problem.parameter_count();

  std::vector<std::vector<double>> starts;
  {
    std::vector<double> given;
    for (const FreeParameter& p : problem.free_parameters()) given.push_back(p.start);
    starts.push_back(given);
  }
  const std::vector<double> design = latin_hypercube(settings.multistart, n, settings.seed);
  for (std::size_t i = 0; i < settings.multistart; ++i) {
    std::vector<double> theta(n);
    for (std::size_t k = 0; k < n; ++k) {
      const double fraction = kDesignMargin + (1.0 - 2.0 * kDesignMargin) * design[i * n + k];
      const auto& bounds = problem.free_parameters()[k].bounds;
      theta[k] = bounds.to_parameter(std::log(fraction / (1.0 - fraction)));
    }
    starts.push_back(theta);
  }

  for (std::size_t s = 0; s < starts.size() && !objective.stopped(); ++s) {
    objective.set_stage("start " + std::to_string(s + 1) + "/" + std::to_string(starts.size()));
    const std::size_t before = out.evaluations;
    const detail::LmOutcome lm = detail::minimise(objective, objective.coordinates(starts[s]), settings.max_iterations);
    out.starts.push_back({starts[s], objective.parameters(lm.u), lm.chi_square, lm.status, out.evaluations - before});
  }
  if (objective.best_parameters().empty()) {
    throw SimulationError(0.0, "", "the fit could not simulate any start point (interrupted or invalid parameters)");
  }
  out.interrupted = objective.stopped();
  out.estimate = objective.best_parameters();
  out.chi_square = objective.best_chi_square();
  if (!out.interrupted) add_uncertainty(problem, objective, out);
  if (out.interrupted || out.standard_error.empty()) {
    out.standard_error.assign(n, kNaN), out.ci_lower.assign(n, kNaN), out.ci_upper.assign(n, kNaN);
    out.at_bound.assign(n, false), out.correlation.assign(n, std::vector<double>(n, kNaN));
  }
  if (settings.profile && !out.interrupted) {
    for (std::size_t k = 0; k < n && !objective.stopped(); ++k) {
      out.profiles.push_back(profile_parameter(problem, settings, objective, out, k));
    }
    out.interrupted = objective.stopped();
    // A profile may find a lower χ² than the multistart did: report that point instead.
    if (objective.best_chi_square() < out.chi_square - 1e-9 && !out.interrupted) {
      out.estimate = objective.best_parameters();
      out.chi_square = objective.best_chi_square();
      out.fisher_eigenvalues.clear(), out.warnings.clear();
      add_uncertainty(problem, objective, out);
    }
  }
  return out;
}

}  // namespace lactsim
