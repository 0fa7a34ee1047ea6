#pragma once
/// @file run_outputs.hpp
/// The files `lactsim run` writes for one scenario (docs/outputs.md describes them).

#include <string>

#include "lactsim/engine/endpoints.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/engine/simulation.hpp"

namespace lactsim {

/// lactsim's version and the git commit it was built from ("unknown" outside git).
struct BuildInfo {
  std::string version;
  std::string git_commit;
};

/// Version information compiled into this build.
BuildInfo build_info();

/// timeseries.csv: one row per output time, units in the column names.
std::string timeseries_csv(const Scenario& scenario, const RunResult& result);

/// daily.csv: one row per day.
std::string daily_csv(const RunResult& result);

/// summary.json: endpoints and provenance (version, commit, scenario SHA-256, every
/// parameter value with its origin, solver settings and statistics).
std::string summary_json(const Scenario& scenario, const RunOptions& options, const RunResult& result,
                         const Endpoints& endpoints);

}  // namespace lactsim
