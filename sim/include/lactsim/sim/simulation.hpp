#pragma once
/// @file simulation.hpp
/// One simulated mother: inputs, options and results, and `simulate()`, the library's
/// main entry point (the CLI, tests and analyses all call it).

#include <optional>
#include <vector>

#include "lactsim/model/covariates.hpp"
#include "lactsim/model/lactation_model.hpp"
#include "lactsim/model/pain.hpp"
#include "lactsim/model/parameters.hpp"
#include "lactsim/sim/integrator.hpp"
#include "lactsim/sim/solver_options.hpp"
#include "lactsim/sim/timeline.hpp"

namespace lactsim {

/// Activation fraction that defines the onset of lactogenesis II (docs/model.md §Onset).
inline constexpr double kOnsetActivationThreshold = 0.5;

/// Everything that defines one simulation.
struct SimulationInput {
  model::ModelParameters parameters;          ///< validated parameter values
  model::Covariates covariates;               ///< delivery mode and parity
  std::vector<model::PainPoint> observed_pain;///< empty: use the parametric pain profile
  std::vector<Session> sessions;              ///< feeds, pumping and massage
  double horizon_h = 168.0;                   ///< simulated time after birth, h
};

/// What to record.
struct RunOptions {
  SolverOptions solver;
  double output_step_h = 5.0 / 60.0;  ///< timeseries grid spacing, h; 0 = no timeseries
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
  int feeds, pumps, massages;  ///< sessions starting during the day
};

/// Results of one simulation.
struct RunResult {
  std::vector<TimeseriesRow> timeseries;
  std::vector<DailyTotals> daily;
  std::optional<double> onset_h;  ///< first time activation reaches kOnsetActivationThreshold
  model::State initial_state;
  model::State final_state;
  SolverStats stats;
};

/// Runs one simulation.
/// @throws InputError when parameters or solver options are invalid
/// @throws SimulationError when the integrator fails
RunResult simulate(const SimulationInput& input, const RunOptions& options);

/// The model instance `simulate` would build (parameters, covariates, pain input).
model::LactationModel make_model(const SimulationInput& input);

}  // namespace lactsim
