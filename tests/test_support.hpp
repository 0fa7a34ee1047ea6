#pragma once
// Shared helpers for the test suite: paths to shipped scenarios, running a scenario
// with overrides, and running the CLI as a subprocess.

#include <filesystem>
#include <string>
#include <vector>

#include "lactsim/sim/endpoints.hpp"
#include "lactsim/sim/scenario.hpp"
#include "lactsim/sim/simulation.hpp"

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

/// Runs the lactsim executable with `arguments` (shell-quoted by the caller where needed).
CliResult run_cli(const std::string& arguments);

/// A fresh empty directory under the system temp directory, unique per test.
std::filesystem::path fresh_temp_dir(const std::string& tag);

/// The whole content of a file.
std::string read_file(const std::filesystem::path& path);

/// Writes `content` to `path`, creating parent directories.
void write_text(const std::filesystem::path& path, const std::string& content);

}  // namespace lactsim::test
