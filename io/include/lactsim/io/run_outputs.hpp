#pragma once
/// @file run_outputs.hpp
/// The files `lactsim run` writes for one scenario (docs/outputs.md describes them).

#include <string>
#include <string_view>
#include <vector>

#include "lactsim/engine/endpoints.hpp"
#include "lactsim/io/observables.hpp"
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

/// One column of a result table (timeseries.csv, daily.csv), in the unit its name ends with.
struct ResultColumn {
  std::string_view name;  ///< CSV header, e.g. "oxytocin_uU_ml"
  std::string_view unit;  ///< unit as in docs/outputs.md, e.g. "uU/mL"; "" for the day index only
  bool integer = false;   ///< written as an integer (day, counts, 0/1 stimulus flags)
  std::vector<double> values;
};

/// The timeseries as named columns, in timeseries.csv's order (what timeseries_csv writes and
/// the Python package returns).
std::vector<ResultColumn> timeseries_table(const Scenario& scenario, const RunResult& result);

/// The daily totals as named columns, in daily.csv's order.
std::vector<ResultColumn> daily_table(const RunResult& result);

/// The text of `column`'s value in `row` as every result CSV writes it: an integer column as
/// an integer, any other through format_number.
std::string result_cell_text(const ResultColumn& column, std::size_t row);

/// timeseries.csv: one row per output time, units in the column names.
std::string timeseries_csv(const Scenario& scenario, const RunResult& result);

/// daily.csv: one row per day.
std::string daily_csv(const RunResult& result);

/// summary.json: endpoints and provenance (version, commit, scenario path as given and
/// absolute, scenario SHA-256, every
/// parameter value with its origin, solver settings and statistics), and the fit metrics of
/// `observations` (compare_observations(scenario, result)) when the scenario has observed data.
std::string summary_json(const Scenario& scenario, const RunOptions& options, const RunResult& result,
                         const Endpoints& endpoints, const std::vector<ObservationComparison>& observations);

}  // namespace lactsim
