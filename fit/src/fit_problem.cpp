// FitProblem: scenarios + free parameters → weighted residual vector.

#include <algorithm>
#include <cmath>
#include <set>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/fit/fit.hpp"
#include "lactsim/io/input_limits.hpp"

namespace lactsim {
namespace {

const SourceLocation kArguments{kArgumentsOrigin, 0, 0};

/// Tolerances for fitting runs: tighter than `run`'s default so that finite-difference
/// Jacobians (relative step 1e-3 in the optimiser coordinate) are not dominated by
/// integration noise.
RunOptions fit_run_options(double output_step_h) {
  RunOptions options;
  options.solver = fit_solver_options();
  options.output_step_h = output_step_h;
  return options;
}

}  // namespace

SolverOptions fit_solver_options() {
  SolverOptions solver;
  solver.relative_tolerance = 1e-8;
  solver.absolute_tolerance = 1e-10;
  return solver;
}

std::pair<std::string, std::pair<double, double>> parse_bound_assignment(const std::string& text) {
  const std::string field = "bounds " + text;
  const auto equals = text.find('='), colon = text.find(':');
  if (equals == std::string::npos || colon == std::string::npos || colon < equals) {
    throw InputError(kArguments, field, "expected NAME=LO:HI, e.g. activation_rate_per_h=0.01:1");
  }
  const std::string name = text.substr(0, equals);
  const model::ParameterInfo* info = model::find_parameter(name);
  if (info == nullptr) {
    throw InputError(kArguments, field,
                     "unknown parameter '" + name + "'; did you mean '" + model::closest_parameter_name(name) + "'?");
  }
  auto number = [&](const std::string& part) {
    const auto value = parse_plain_number(part);
    if (!value) {
      throw InputError(kArguments, field,
                       "'" + part + "' is not a finite number in plain decimal notation (such as 3, -0.5 or 1e-3)");
    }
    return *value;
  };
  const double lo = number(text.substr(equals + 1, colon - equals - 1));
  const double hi = number(text.substr(colon + 1));
  if (!(lo < hi)) throw InputError(kArguments, field, "LO must be smaller than HI");
  if (lo < info->lower_bound || hi > info->upper_bound) {
    throw InputError(kArguments, field,
                     "bounds must lie within the parameter's plausible range [" + std::to_string(info->lower_bound) +
                         ", " + std::to_string(info->upper_bound) + "] " + std::string(info->unit));
  }
  return {name, {lo, hi}};
}

FitProblem::FitProblem(std::vector<Scenario> scenarios, const std::vector<std::string>& free_names,
                       const std::vector<std::pair<std::string, std::pair<double, double>>>& bounds,
                       double default_cv)
    : scenarios_(std::move(scenarios)), default_cv_(default_cv) {
  if (scenarios_.empty()) throw InputError(kArguments, "scenarios", "give at least one scenario file");
  if (free_names.empty()) throw InputError(kArguments, "free_names", "name at least one parameter to estimate");
  std::set<std::string> seen;
  for (const std::string& name : free_names) {
    const model::ParameterInfo* info = &free_parameter_info(name);
    if (!seen.insert(name).second) throw InputError(kArguments, "free_names " + name, "named twice");
    double lo = info->lower_bound, hi = info->upper_bound;
    for (const auto& [bound_name, range] : bounds) {
      if (bound_name == name) lo = range.first, hi = range.second;
    }
    const double start = scenarios_.front().parameters.*(info->member);
    for (const Scenario& s : scenarios_) {
      if (s.parameters.*(info->member) != start) {
        throw InputError({s.file.string(), 0, 0}, "parameters." + name,
                         "scenarios start " + name + " at different values; a fit estimates one shared value, so " +
                             "remove the scenario's own setting or pass --set " + name + "=VALUE");
      }
    }
    if (start < lo || start > hi) {
      throw InputError(kArguments, "bounds " + name,
                       "the start value " + std::to_string(start) + " " + std::string(info->unit) +
                           " lies outside the bounds [" + std::to_string(lo) + ", " + std::to_string(hi) +
                           "]; widen the bounds or set a start inside them with --set " + name + "=VALUE");
    }
    free_.push_back({name, std::string(info->unit), BoundTransform(lo, hi), start});
  }
  for (const auto& [bound_name, range] : bounds) {
    if (!seen.count(bound_name)) {
      throw InputError(kArguments, "bounds " + bound_name, "bounds given for a parameter that is not free");
    }
  }
  for (const Scenario& s : scenarios_) {
    Member m{s, weighted_observations(s, default_cv_), {}};
    m.options = fit_run_options(observation_output_step_h(m.observations));
    residual_count_ += m.observations.size();
    members_.push_back(std::move(m));
  }
  if (residual_count_ == 0) {
    throw InputError({scenarios_.front().file.string(), 0, 0}, "observed",
                     "no observed data to fit: none of the scenarios has an [[observed]] series");
  }
  if (residual_count_ < free_.size()) {
    throw InputError(kArguments, "free_names",
                     std::to_string(free_.size()) + " free parameters but only " + std::to_string(residual_count_) +
                         " observations; free at most as many parameters as there are observations");
  }
}

bool FitProblem::residuals(const std::vector<double>& theta, std::vector<double>& out) const {
  out.clear();
  for (const Member& m : members_) {
    if (m.observations.empty()) continue;  // nothing to compare: no need to simulate
    SimulationInput input = to_simulation_input(m.scenario);
    for (std::size_t k = 0; k < free_.size(); ++k) {
      input.parameters.*(model::find_parameter(free_[k].name)->member) = theta[k];
    }
    try {
      const RunResult result = simulate(input, m.options);  // validates the parameters: InputError rejects theta
      for (const WeightedObservation& o : m.observations) {
        const double simulated = simulated_value(o, result, input);
        out.push_back((simulated - o.observed) / o.sigma);
      }
    } catch (const Error&) {
      return false;
    }
  }
  // The cost is the sum of squares: a finite residual whose square overflows is no better.
  return std::all_of(out.begin(), out.end(), [](double r) { return std::isfinite(r * r); });
}

std::vector<Scenario> FitProblem::scenarios_at(const std::vector<double>& theta) const {
  std::vector<ParameterOverride> overrides;
  for (std::size_t k = 0; k < free_.size(); ++k) {
    overrides.push_back({free_[k].name, theta[k], {"<fit estimate>", 0, 0}});
  }
  std::vector<Scenario> out = scenarios_;
  for (Scenario& s : out) apply_overrides(s, overrides);
  return out;
}

std::vector<std::vector<ObservationComparison>> FitProblem::comparisons_at(const std::vector<double>& theta) const {
  std::vector<std::vector<ObservationComparison>> out;
  for (const Scenario& s : scenarios_at(theta)) {
    RunOptions options = fit_run_options(0.0);
    options.output_step_h = observation_output_step_h(weighted_observations(s, default_cv_));
    out.push_back(compare_observations(s, simulate(to_simulation_input(s), options), default_cv_));
  }
  return out;
}

}  // namespace lactsim
