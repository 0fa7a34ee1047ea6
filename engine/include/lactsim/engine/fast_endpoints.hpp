#pragma once
/// @file fast_endpoints.hpp
/// The sweep fast path: one simulation reduced straight to its endpoints while it
/// integrates (no timeseries, no per-day vectors), on the same edge-exact segments as
/// `simulate()`. `simulate()` + `compute_endpoints()` stays the reference path; a test
/// checks the two agree on the shipped scenarios.

#include <array>
#include <optional>
#include <vector>

#include "solvers/cascade_solver.hpp"
#include "lactsim/engine/simulation.hpp"

namespace lactsim {

/// Longest horizon the fast path reports per day (scenario files allow at most 60 days).
inline constexpr std::size_t kMaxEndpointDays = 60;

/// Endpoints of one simulation, as computed on the fast path.
struct FastEndpoints {
  std::optional<double> onset_h;                        ///< activation reaches 0.5, h
  std::array<double, kMaxEndpointDays> milk_by_day_ml{};///< milk to the infant per day
  int days = 0;                                         ///< valid entries of milk_by_day_ml
  double milk_transferred_total_ml = 0;                 ///< over the whole horizon
  double milk_expressed_total_ml = 0;                   ///< pumped over the whole horizon
  double milk_synthesised_total_ml = 0;                 ///< synthesised over the whole horizon
  double prl_peak_per_feed_ng_ml = 0;  ///< mean over feeds of the peak total PRL within 2 h of feed start
  double ot_peak_per_feed_uU_ml = 0;   ///< mean over feeds of the peak OT within 2 h of feed start
  int feeds = 0;                       ///< feeds in the horizon
  SolverStats stats;
};

/// Reusable buffers, one per thread, so repeated runs allocate nothing once warm.
struct FastWorkspace {
  std::vector<double> extra_edges_h;
  std::vector<double> feed_starts_h;
  CascadeCachesHandle cascade_caches;  ///< made on the first cascade run
};

/// Simulates `input` and returns its endpoints.
/// @throws InputError for invalid parameters or options, SimulationError when integration fails
FastEndpoints simulate_endpoints(const SimulationInput& input, const SolverOptions& solver,
                                 FastWorkspace& workspace);

/// How long after a feed's start its PRL and OT peaks are looked for, h (PRL peaks about
/// 45 min after suckling starts: Noel, Suh & Frantz 1974, J Clin Endocrinol Metab 38:413).
inline constexpr double kFeedResponseWindow_h = 2.0;

}  // namespace lactsim
