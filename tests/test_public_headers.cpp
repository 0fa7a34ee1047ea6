// The engine's public headers keep the solvers private (issue #13): a translation unit that
// includes every public header of every library (engine/solvers/ is private) must not see
// Boost.Odeint. simulation.hpp included
// integrator.hpp, and with it <boost/numeric/odeint.hpp>, into 51 of 85 sources. The check is
// made by the compiler, so this file does not build when a public header pulls Odeint in again.
#include <gtest/gtest.h>

#include <type_traits>

#include "lactsim/analysis/comparison.hpp"
#include "lactsim/analysis/design.hpp"
#include "lactsim/analysis/interval_estimates.hpp"
#include "lactsim/analysis/order_statistics.hpp"
#include "lactsim/analysis/parallel_runner.hpp"
#include "lactsim/analysis/population.hpp"
#include "lactsim/analysis/population_study.hpp"
#include "lactsim/analysis/resumable_runs.hpp"
#include "lactsim/analysis/scenario_sensitivity.hpp"
#include "lactsim/analysis/sensitivity.hpp"
#include "lactsim/analysis/sweep.hpp"
#include "lactsim/engine/cascade_caches.hpp"
#include "lactsim/engine/endpoints.hpp"
#include "lactsim/engine/errors.hpp"
#include "lactsim/engine/fast_endpoints.hpp"
#include "lactsim/engine/run_control.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/engine/simulation.hpp"
#include "lactsim/engine/solver_options.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/engine/timeline.hpp"
#include "lactsim/engine/unit_conversion.hpp"
#include "lactsim/fit/bound_transform.hpp"
#include "lactsim/fit/fit.hpp"
#include "lactsim/fit/fit_report.hpp"
#include "lactsim/fit/population_calibration.hpp"
#include "lactsim/fit/population_targets.hpp"
#include "lactsim/io/counter_rng.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/json_reader.hpp"
#include "lactsim/io/json_writer.hpp"
#include "lactsim/io/long_tables.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/io/parameter_set.hpp"
#include "lactsim/io/population_calibration_config.hpp"
#include "lactsim/io/population_file.hpp"
#include "lactsim/io/population_spec.hpp"
#include "lactsim/io/resume.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/io/streaming_output.hpp"
#include "lactsim/plot/plot_render.hpp"
#include "lactsim/plot/plot_results.hpp"
#include "lactsim/plot/plot_templates.hpp"

#ifdef BOOST_NUMERIC_ODEINT_HPP_INCLUDED
#error "a public engine header includes <boost/numeric/odeint.hpp>; only the solvers (integrator.hpp) may"
#endif

namespace lactsim {
namespace {

TEST(PublicHeaders, SimulateAndTheEndpointsNeedNoSolverHeader) {
  // What a library user writes with the public headers alone: every solver by name, and one
  // endpoints type for both paths.
  for (const SolverMethod method : kSolverMethods) {
    EXPECT_EQ(parse_solver_method(solver_method_name(method)), method);
  }
  static_assert(std::is_same_v<decltype(RunResult::endpoints), Endpoints>);
}

}  // namespace
}  // namespace lactsim
