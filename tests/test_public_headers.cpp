// The engine's public headers keep the solvers private (issue #13): a translation unit that
// includes every header of the library but the solvers' own (integrator, cascade_solver,
// step_interpolation, chebyshev_lobatto) must not see Boost.Odeint. simulation.hpp included
// integrator.hpp, and with it <boost/numeric/odeint.hpp>, into 51 of 85 sources. The check is
// made by the compiler, so this file does not build when a public header pulls Odeint in again.
#include <gtest/gtest.h>

#include <type_traits>

#include "lactsim/sim/bound_transform.hpp"
#include "lactsim/sim/cascade_caches.hpp"
#include "lactsim/sim/comparison.hpp"
#include "lactsim/sim/counter_rng.hpp"
#include "lactsim/sim/design.hpp"
#include "lactsim/sim/endpoints.hpp"
#include "lactsim/sim/errors.hpp"
#include "lactsim/sim/fast_endpoints.hpp"
#include "lactsim/sim/fit.hpp"
#include "lactsim/sim/fit_report.hpp"
#include "lactsim/sim/input_limits.hpp"
#include "lactsim/sim/json_writer.hpp"
#include "lactsim/sim/observables.hpp"
#include "lactsim/sim/output_files.hpp"
#include "lactsim/sim/parallel_runner.hpp"
#include "lactsim/sim/parameter_set.hpp"
#include "lactsim/sim/plot_adapters.hpp"
#include "lactsim/sim/plot_analysis_figures.hpp"
#include "lactsim/sim/plot_csv.hpp"
#include "lactsim/sim/plot_render.hpp"
#include "lactsim/sim/plot_results.hpp"
#include "lactsim/sim/plot_run_figures.hpp"
#include "lactsim/sim/plot_templates.hpp"
#include "lactsim/sim/population.hpp"
#include "lactsim/sim/resume.hpp"
#include "lactsim/sim/run_outputs.hpp"
#include "lactsim/sim/run_scenarios.hpp"
#include "lactsim/sim/sample_evaluation.hpp"
#include "lactsim/sim/scenario.hpp"
#include "lactsim/sim/sensitivity.hpp"
#include "lactsim/sim/sha256.hpp"
#include "lactsim/sim/simulation.hpp"
#include "lactsim/sim/solver_options.hpp"
#include "lactsim/sim/space_filling.hpp"
#include "lactsim/sim/streaming_output.hpp"
#include "lactsim/sim/sweep.hpp"
#include "lactsim/sim/text_format.hpp"
#include "lactsim/sim/timeline.hpp"
#include "lactsim/sim/unit_conversion.hpp"

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
