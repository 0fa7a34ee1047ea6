#pragma once
/// @file simulation.hpp
/// One simulated mother: inputs, options and results, and `simulate()`, the library's
/// main entry point (the CLI, tests and analyses all call it).

#include <optional>
#include <string>
#include <vector>

#include "lactsim/model/covariates.hpp"
#include "lactsim/model/lactation_model.hpp"
#include "lactsim/model/pain.hpp"
#include "lactsim/model/parameters.hpp"
#include "lactsim/engine/endpoints.hpp"
#include "lactsim/engine/errors.hpp"
#include "lactsim/engine/infant_weight.hpp"
#include "lactsim/engine/solver_options.hpp"
#include "lactsim/engine/timeline.hpp"

namespace lactsim {

/// Activation fraction that defines the onset of lactogenesis II (docs/model.md §Onset).
inline constexpr double kOnsetActivationThreshold = 0.5;

/// Whether state `x` is at or past the onset of lactogenesis II. A run whose initial state
/// already is has its onset at t = 0 (every solver and endpoint path uses this test).
inline bool onset_reached(const model::State& x) {
  return x[model::state::activation] >= kOnsetActivationThreshold;
}

/// Most rows one timeseries may hold (bounds memory, 136 bytes a row, and timeseries.csv);
/// 60 days at a 0.05-min step fit (docs/outputs.md).
inline constexpr std::size_t kMaxTimeseriesRows = 2'000'000;

/// Smallest timeseries spacing, h (0.001 min): far coarser than the 1e-9 h within which
/// grid times and segment edges are taken as the same time.
inline constexpr double kMinOutputStep_h = 0.001 / 60.0;

/// Rows a timeseries with spacing `output_step_h` over `horizon_h` holds: the grid times
/// 0, step, 2 step, ... below the horizon, and the horizon itself (0 when the step is 0).
/// Computed in floating point, so absurd grids give huge counts, not a wrapped integer.
double timeseries_row_count(double output_step_h, double horizon_h);

/// Refuses a timeseries grid before any work is done: a step that is not zero (no
/// timeseries) or finite and at least kMinOutputStep_h, or one giving more than
/// kMaxTimeseriesRows rows over `horizon_h`.
/// @throws InputError at `where` naming `field` (e.g. "output_step_h"),
///         with the step in minutes and the smallest step this horizon allows
void check_output_grid(double output_step_h, double horizon_h, const SourceLocation& where, const std::string& field);

/// Everything that defines one simulation.
struct SimulationInput {
  model::ModelParameters parameters;          ///< validated parameter values
  model::Covariates covariates;               ///< delivery mode and parity
  std::vector<model::PainPoint> observed_pain;///< empty: use the parametric pain profile
  std::vector<Session> sessions;              ///< feeds, pumping and massage
  double horizon_h = 168.0;                   ///< simulated time after birth, h
  double birth_weight_g = kDefaultBirthWeight_g; ///< infant's birth weight (docs/model.md §Infant weight)
};

/// What to record.
struct RunOptions {
  SolverOptions solver;
  /// Timeseries grid spacing, h; 0 = no timeseries (limits: check_output_grid). Grid points are
  /// sampled from the stepper's dense output, not integrated to, so they cost no solver steps.
  double output_step_h = 5.0 / 60.0;
};

/// One row of the timeseries.
struct TimeseriesRow {
  double time_h;
  model::State state;
  model::Stimulus stimulus;  ///< stimulus in force from this time on
  model::DerivedQuantities derived;
};

/// Totals of one day; day d covers hours [24(d-1), 24d) after birth.
struct DailyTotals {
  int day;
  double hours_covered;        ///< 24 except for a partial last day
  double milk_transferred_ml;  ///< milk to the infant during the day
  double milk_expressed_ml;    ///< milk pumped during the day
  double milk_synthesised_ml;  ///< milk synthesised during the day
  double infant_weight_g;      ///< infant weight at the day's end (docs/model.md §Infant weight)
  double infant_weight_change_percent;  ///< its change since birth, % of birth weight
  int feeds, pumps, massages;  ///< sessions starting during the day
};

/// Results of one simulation.
struct RunResult {
  std::vector<TimeseriesRow> timeseries;
  std::vector<DailyTotals> daily;
  /// Onset (first time activation reaches kOnsetActivationThreshold; 0 if it starts there),
  /// milk per day and totals, feed peaks, step counts.
  Endpoints endpoints;
  model::State initial_state;
  model::State final_state;
};

/// The checks every solver path runs once before integrating: parameters within their bounds
/// and rules, solver options in range, a positive finite horizon of at most kMaxEndpointDays.
/// @throws InputError naming the parameter, option or "horizon_h"
void validate_simulation(const SimulationInput& input, const SolverOptions& solver);

/// Runs one simulation.
/// @throws InputError when parameters or solver options are invalid
/// @throws SimulationError when the integrator fails
RunResult simulate(const SimulationInput& input, const RunOptions& options);

/// The model instance `simulate` would build (parameters, covariates, pain input).
model::LactationModel make_model(const SimulationInput& input);

}  // namespace lactsim
