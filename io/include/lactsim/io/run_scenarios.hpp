#pragma once
/// @file run_scenarios.hpp
/// What `lactsim run` does, as a library call: load scenarios, apply --set overrides,
/// simulate, and stage the output files.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "lactsim/engine/endpoints.hpp"
#include "lactsim/io/long_tables.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/engine/simulation.hpp"

namespace lactsim {

/// One scenario run: its scenario, result, endpoints and comparison with its observed data.
struct ScenarioRun {
  Scenario scenario;
  RunResult result;
  Endpoints endpoints;
  std::vector<ObservationComparison> observations;  ///< compare_observations(); empty without observed data
};

/// Loads every scenario and applies, in this order, the parameter-set file `params_file`
/// (--params, e.g. written by `lactsim fit`; none when empty) and `set_assignments`
/// ("NAME=VALUE", --set) to each, so the assignments win. All files are validated before
/// anything runs. `assignments_origin` is where the assignments are recorded as coming from
/// (summary.json provenance; the CLI says "<command line>").
/// @throws InputError for the first bad file or assignment (argument "set_assignments NAME=VALUE")
std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& files,
                                     const std::vector<std::string>& set_assignments,
                                     const std::filesystem::path& params_file = {},
                                     const std::string& assignments_origin = kArgumentsOrigin);

/// Simulates loaded scenarios in order.
/// @throws InputError for bad options, SimulationError when a run fails
std::vector<ScenarioRun> run_scenarios(std::vector<Scenario> scenarios, const RunOptions& options);

/// Longest result-folder name (a scenario file's stem), in bytes: figure files add up to
/// ~25 bytes around it, and a file name may have at most 255.
inline constexpr std::size_t kMaxResultFolderNameBytes = 200;

/// The result folder (under --out) of each scenario file, in order: the file's stem, e.g.
/// "seed_case" for scenarios/seed_case.toml. File names are untrusted, so a stem that
/// could leave --out, hide among lactsim's temporaries, pose as an option, take --plot's
/// folder or another file's folder, or carry control characters is refused, not rewritten:
/// empty, "." or "..", starting with '.' or '-', "figures", holding a C0/C1 control
/// character, DEL, U+2028 or U+2029, longer than kMaxResultFolderNameBytes, or the stem of an
/// earlier file too.
/// @throws InputError (exit 2) naming the file (both files for a shared stem)
std::vector<std::string> result_folder_names(const std::vector<std::filesystem::path>& scenario_files);

/// Name of the copy of its scenario file in each result folder (DIR/<stem>/scenario.toml):
/// what `lactsim plot` reads the observed data from, from any folder or machine.
inline constexpr const char* kScenarioCopyFileName = "scenario.toml";

/// Queues DIR/<result folder>/{summary.json,scenario.toml} and the tables `formats` chooses
/// for each run: wide (timeseries.csv, daily.csv), long (timeseries_long.csv, daily_long.csv,
/// their `scenario` column the result folder name), or both; observed.csv where the scenario
/// has observed data; manifest.json when `manifest` is given, with counts of runs filled in.
/// Folders as result_folder_names(). scenario.toml holds the scenario's text as it was parsed
/// (Scenario::text; none when that is empty).
/// @throws InputError as result_folder_names(), or naming the argument "formats" when it
///         selects no table
OutputStaging stage_run_outputs(const std::vector<ScenarioRun>& runs, const RunOptions& options,
                                const std::filesystem::path& out_dir, const RunTableFormats& formats = {},
                                const RunManifest* manifest = nullptr);

/// A plain-text table of daily milk per scenario side by side, with onset times.
std::string daily_milk_table(const std::vector<ScenarioRun>& runs);

}  // namespace lactsim
