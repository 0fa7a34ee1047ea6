#pragma once
/// @file scenario_sensitivity.hpp
/// Sensitivity of a scenario's endpoints to ranges of its parameters: the unit model that
/// maps the hypercube onto the ranges and simulates, with its scientific choices (an onset
/// not reached within the horizon is censored at the horizon), run through sobol_analysis
/// or morris_analysis; the indices come back in memory, with CSV and text renderings.

#include <optional>
#include <string>
#include <vector>

#include "lactsim/analysis/design.hpp"
#include "lactsim/analysis/sensitivity.hpp"
#include "lactsim/engine/simulation.hpp"

namespace lactsim {

/// Which estimator.
enum class SensitivityMethod { sobol, morris };

/// Parses "sobol" or "morris".
/// @throws InputError naming the argument "method" otherwise
SensitivityMethod parse_sensitivity_method(std::string_view text);

/// What to analyse.
struct ScenarioSensitivityRequest {
  SensitivityMethod method = SensitivityMethod::sobol;
  std::vector<ParameterRange> ranges;  ///< the varied parameters, each once
  /// Endpoint names (as endpoint_names()); empty: milk_day3_ml (milk_day1_ml when the
  /// horizon is shorter than 3 days) and onset_h.
  std::vector<std::string> endpoints;
  SolverOptions solver;
  /// samples, threads, seed, bootstrap_replicates, confidence, morris_levels, progress and
  /// cancel; dimensions and outputs are set from `ranges` and `endpoints`.
  SensitivityOptions options;
};

/// The indices of a scenario sensitivity analysis.
struct ScenarioSensitivity {
  SensitivityMethod method = SensitivityMethod::sobol;
  std::vector<std::string> parameters;  ///< range names, in order
  std::vector<std::string> endpoints;   ///< endpoint names analysed, in order
  SensitivityOptions options;           ///< as run (dimensions and outputs filled in)
  std::optional<SobolResult> sobol;     ///< with method sobol
  std::optional<MorrisResult> morris;   ///< with method morris
};

/// Runs the analysis on `base`, each run the base with the ranges' values substituted.
/// @throws InputError naming the argument ("ranges" for a repeated or missing name,
///         "endpoints NAME" for an unknown endpoint, or as sobol_analysis/morris_analysis);
///         Cancelled when request.options.cancel is cancelled
ScenarioSensitivity scenario_sensitivity(const SimulationInput& base, const ScenarioSensitivityRequest& request);

/// Adds to `manifest` what the analysis was: the design (kind "sobol" or "morris", n = base
/// samples or trajectories, seed, ranges), the seed, the solver, and the base samples
/// (Sobol) or trajectories (Morris) requested, kept and dropped because a run failed.
void record_sensitivity_manifest(RunManifest& manifest, const ScenarioSensitivityRequest& request,
                                 const ScenarioSensitivity& result);

/// CSV: Sobol "endpoint,parameter,index,value,ci95_low,ci95_high" (index first|total);
/// Morris "endpoint,parameter,mu,mu_star,sigma"; undefined values are empty cells.
std::string sensitivity_csv(const ScenarioSensitivity& result);

/// Plain-text table for the terminal.
std::string sensitivity_table(const ScenarioSensitivity& result);

}  // namespace lactsim
