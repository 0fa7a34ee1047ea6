/// @file bind_simulation.cpp
/// One simulation: simulate() with its tables, and endpoints() on the fast path.

#include <limits>

#include "bindings.hpp"
#include "lactsim/engine/endpoints.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/engine/simulation.hpp"
#include "lactsim/engine/unit_conversion.hpp"
#include "lactsim/analysis/sweep.hpp"

namespace lactsim::python {
namespace {

/// simulate(): the run's tables, its summary endpoints and solver statistics.
py::dict simulate_scenario(const Scenario& scenario, const std::optional<std::string>& solver, double rtol,
                           double atol, double output_step_min) {
  RunOptions options;
  options.solver = solver_options(solver, rtol, atol);
  options.output_step_h = output_step_min / kMinutesPerHour;
  check_output_grid(options.output_step_h, scenario.horizon_h(), kPythonArgument, "output_step_min");
  RunResult result;
  {
    py::gil_scoped_release release;
    result = simulate(to_simulation_input(scenario), options);
  }
  const Endpoints& endpoints = result.endpoints;
  py::dict summary;
  summary["onset_h"] = endpoints.onset_h;
  summary["milk_transferred_ml_by_day"] = to_array(std::vector<double>(endpoints.milk_transferred_ml_by_day.begin(), endpoints.milk_transferred_ml_by_day.end()));
  summary["milk_transferred_total_ml"] = endpoints.milk_transferred_total_ml;
  summary["milk_expressed_total_ml"] = endpoints.milk_expressed_total_ml;
  summary["milk_synthesised_total_ml"] = endpoints.milk_synthesised_total_ml;
  summary["mass_balance_relative_error"] = endpoints.mass_balance_relative_error;
  summary["first_colostrum_time_h"] = endpoints.first_colostrum_h;
  summary["perceived_onset_time_h"] = endpoints.perceived_onset_h;
  // The infant weight endpoints under their sweep-column names (NaN when undefined).
  const int days = horizon_days(scenario.horizon_h());
  const std::vector<std::string> names = endpoint_names(days);
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (names[k].starts_with("infant_")) summary[py::str(names[k])] = endpoint_value(endpoints, k, days);
  }
  py::dict stats;
  stats["solver"] = std::string(solver_method_name(options.solver.method));
  stats["accepted_steps"] = result.endpoints.stats.accepted_steps;
  stats["rejected_steps"] = result.endpoints.stats.rejected_steps;
  py::dict out;
  out["timeseries"] = to_table(timeseries_table(scenario, result));
  out["daily"] = to_table(daily_table(result));
  out["endpoints"] = summary;
  out["stats"] = stats;
  return out;
}

/// endpoints(): the sweep endpoints (names as sweep CSV columns) of the scenario as it is.
py::dict scenario_endpoints(const Scenario& scenario, const std::optional<std::string>& solver, double rtol,
                            double atol) {
  const SolverOptions options = solver_options(solver, rtol, atol);
  const SimulationInput input = to_simulation_input(scenario);
  const int days = horizon_days(input.horizon_h);
  SampleOutcome outcome;
  {
    py::gil_scoped_release release;
    SampleEvaluator evaluator(input, {}, options);
    outcome = evaluator.evaluate_parameters(input.parameters);
  }
  if (!outcome.ok) throw SimulationError(std::numeric_limits<double>::quiet_NaN(), "", outcome.error);
  py::dict out;
  const std::vector<std::string> names = endpoint_names(days);
  for (std::size_t k = 0; k < names.size(); ++k) out[py::str(names[k])] = endpoint_value(outcome.endpoints, k, days);
  return out;
}

}  // namespace

void bind_simulation(py::module_& module) {
  module.def("simulate", &simulate_scenario, py::arg("scenario"), py::arg("solver"), py::arg("rtol"), py::arg("atol"),
             py::arg("output_step_min"), "Simulates one scenario: tables, summary endpoints, solver statistics.");
  module.def("endpoints", &scenario_endpoints, py::arg("scenario"), py::arg("solver"), py::arg("rtol"),
             py::arg("atol"), "The scenario's endpoints by name, as a sweep row reports them.");
}

}  // namespace lactsim::python
