#include "lactsim/engine/fast_endpoints.hpp"

#include <algorithm>

#include "endpoint_recorder.hpp"
#include "solvers/solver_interface.hpp"

namespace lactsim {

Endpoints simulate_endpoints(const SimulationInput& input, const SolverOptions& solver, FastWorkspace& workspace) {
  validate_simulation(input, solver);
  const model::LactationModel model = make_model(input);
  // The same segments as simulate(): sessions, pre-feed leads, day boundaries and pain kinks.
  workspace.extra_edges_h = model.pain().breakpoints_h();
  const double pre_feed_lead_h = input.parameters.ot_conditioned_lead_min / detail::kMinutesPerHour;
  const std::vector<Segment> segments =
      build_segments(input.sessions, pre_feed_lead_h, input.horizon_h, workspace.extra_edges_h);
  detail::sorted_feed_starts(input, workspace.feed_starts_h);

  Endpoints out;
  model::State x = model.initial_state();
  const model::State x0 = x;
  detail::EndpointRecorder recorder(workspace.feed_starts_h, input.sessions, input.parameters, input.birth_weight_g,
                                    out);
  // Only the cascade solver keeps caches between runs; made on a thread's first run.
  if (solver.method == SolverMethod::cascade && !workspace.cascade_caches) {
    workspace.cascade_caches = make_cascade_caches();
  }
  const SolverStats stats =
      integrate_segments(model, segments, x, solver, recorder, {.cascade_caches = workspace.cascade_caches.get()});
  recorder.finish(x0, x, stats);
  return out;
}

}  // namespace lactsim
