#pragma once
// Shared helpers for the test suite: paths to shipped scenarios, running a scenario
// with overrides, and running the CLI as a subprocess.

#include <filesystem>
#include <string>
#include <vector>

#include "lactsim/analysis/comparison.hpp"
#include "lactsim/engine/endpoints.hpp"
#include "lactsim/engine/fast_endpoints.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/engine/simulation.hpp"

namespace lactsim::test {

/// Path of a file under the source tree's scenarios/.
std::filesystem::path scenario_path(const std::string& file_name);

/// Loads a shipped scenario and applies "NAME=VALUE" overrides.
Scenario load_shipped(const std::string& file_name, const std::vector<std::string>& overrides = {});

/// Simulates a scenario with default options (or the given ones).
RunResult run(const Scenario& scenario, const RunOptions& options = {});

/// Result of running the lactsim executable.
struct CliResult {
  int exit_code;
  std::string out;
  std::string err;
};

/// `path` quoted for the shell, for run_cli arguments (any bytes; a single quote as '\'').
std::string quoted(const std::filesystem::path& path);

/// The first lines of a short scenario (3 days, vaginal birth, multiparous mother, 15-min
/// feeds every 3 h from 1 h) named `name`; callers append their own tables.
std::string short_vaginal_scenario_toml(const std::string& name);

/// Runs the lactsim executable with `arguments` (shell-quoted by the caller where needed).
CliResult run_cli(const std::string& arguments);

/// A fresh empty directory under the system temp directory, unique per test.
std::filesystem::path fresh_temp_dir(const std::string& tag);

/// The whole content of a file.
std::string read_file(const std::filesystem::path& path);

/// Writes `content` to `path`, creating parent directories.
void write_text(const std::filesystem::path& path, const std::string& content);

/// The shipped scenarios the solver-accuracy tests run.
inline const char* const kShippedScenarios[] = {"seed_case_massage.toml", "seed_case_control.toml",
                                                "reference_vaginal.toml", "reference_caesarean.toml"};

/// Classical dopri5 at rtol 1e-11, atol 1e-13: the reference the faster solvers are checked against.
SolverOptions tight_reference_solver();

/// Largest relative difference of the daily milk totals of two runs (denominator at least 1 mL).
double worst_daily_relative_error(const FastEndpoints& a, const FastEndpoints& b);

/// Largest errors a fast solver may make against tight_reference_solver() on a shipped
/// scenario (relative unless the name says h).
struct ShippedAccuracyBounds {
  double daily_milk;
  double onset_h;
  double prl_peak;
  double ot_peak;
  double milk_synthesised;  ///< total synthesised over the horizon
};

/// Runs every shipped scenario with `solver` and with the tight reference, and checks (as
/// GoogleTest expectations naming the file) daily milk, onset, feed peaks, milk synthesised
/// and the feed count within `bounds`.
void expect_shipped_scenarios_match_reference(const SolverOptions& solver, const ShippedAccuracyBounds& bounds);

/// Worst daily-milk errors against tight_reference_solver() of two solver settings over the
/// same random parameter sets (random_parameter_box_inputs(base, 20261128, 25, 400)), and how
/// many sets were compared.
struct ParameterBoxErrors {
  double first = 0.0, second = 0.0;
  int compared = 0;
};
ParameterBoxErrors worst_daily_errors_over_parameter_box(const SimulationInput& base, const SolverOptions& first,
                                                         const SolverOptions& second);

/// Up to `count` corners of the registry's parameter box around `base` (2^d corners are far
/// too many for d ~ 40): every parameter at its lower bound, every one at its upper bound,
/// then each parameter at its lower or upper bound by a fair coin from a std::mt19937_64
/// seeded with `seed`, skipping corners that break a cross-parameter rule; at most
/// 20 x `count` draws. bench/tolerance_study.cpp draws the same corners (seed 20261129).
std::vector<SimulationInput> parameter_box_corner_inputs(const SimulationInput& base, unsigned long seed, int count);

/// Worst daily-milk error (worst_daily_relative_error) of each of `solvers` against
/// tight_reference_solver() over `inputs`, in the order of `solvers`.
std::vector<double> worst_daily_errors_against_reference(const std::vector<SimulationInput>& inputs,
                                                         const std::vector<SolverOptions>& solvers);

/// Up to `count` copies of `base` with every registered parameter drawn uniformly inside its
/// bounds (log-uniformly where the range spans more than 20x), skipping draws that break a
/// cross-parameter rule; at most `attempts` draws from a generator seeded with `seed`.
std::vector<SimulationInput> random_parameter_box_inputs(const SimulationInput& base, unsigned long seed, int count,
                                                         int attempts);

/// Comparison options with `threads` and `use_population`, the rest default.
CompareOptions compare_options(unsigned threads, bool use_population);

}  // namespace lactsim::test
