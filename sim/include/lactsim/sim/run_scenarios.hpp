#pragma once
/// @file run_scenarios.hpp
/// What `lactsim run` does, as a library call: load scenarios, apply --set overrides,
/// simulate, and stage the output files.

#include <filesystem>
#include <string>
#include <vector>

#include "lactsim/sim/endpoints.hpp"
#include "lactsim/sim/output_files.hpp"
#include "lactsim/sim/scenario.hpp"
#include "lactsim/sim/simulation.hpp"

namespace lactsim {

/// One scenario run: its scenario, result and endpoints.
struct ScenarioRun {
  Scenario scenario;
  RunResult result;
  Endpoints endpoints;
};

/// Loads every scenario and applies, in this order, the parameter-set file `params_file`
/// (--params, e.g. written by `lactsim fit`; none when empty) and `set_assignments`
/// ("NAME=VALUE", --set) to each, so the command line wins. All files are validated before
/// anything runs.
/// @throws InputError for the first bad file or assignment
std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& files,
                                     const std::vector<std::string>& set_assignments,
                                     const std::filesystem::path& params_file = {});

/// Simulates loaded scenarios in order.
/// @throws InputError for bad options, SimulationError when a run fails
std::vector<ScenarioRun> run_scenarios(std::vector<Scenario> scenarios, const RunOptions& options);

/// Queues DIR/<file stem>/{timeseries.csv,daily.csv,summary.json} for each run.
/// @throws InputError when two scenarios share a file stem
OutputStaging stage_run_outputs(const std::vector<ScenarioRun>& runs, const RunOptions& options,
                                const std::filesystem::path& out_dir);

/// A plain-text table of daily milk per scenario side by side, with onset times.
std::string daily_milk_table(const std::vector<ScenarioRun>& runs);

}  // namespace lactsim
