#pragma once
/// @file fast_endpoints.hpp
/// The sweep fast path: one simulation reduced straight to its endpoints while it
/// integrates (no timeseries, no per-day table), on the same edge-exact segments and with the
/// same endpoint recorder as `simulate()`, whose `RunResult::endpoints` it reproduces
/// exactly for the same solver.

#include <vector>

#include "lactsim/engine/cascade_caches.hpp"
#include "lactsim/engine/endpoints.hpp"
#include "lactsim/engine/simulation.hpp"

namespace lactsim {

/// Reusable buffers, one per thread, so repeated runs allocate nothing once warm.
struct FastWorkspace {
  std::vector<double> extra_edges_h;
  std::vector<double> feed_starts_h;
  CascadeCachesHandle cascade_caches;  ///< made on the first cascade run
};

/// Simulates `input` and returns its endpoints.
/// @throws InputError for invalid parameters or options, SimulationError when integration fails
Endpoints simulate_endpoints(const SimulationInput& input, const SolverOptions& solver, FastWorkspace& workspace);

}  // namespace lactsim
