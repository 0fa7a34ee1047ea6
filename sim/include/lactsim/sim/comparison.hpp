#pragma once
/// @file comparison.hpp
/// Scenario comparison: the same endpoints for every scenario side by side, with the
/// difference and ratio to the first; with a population, every arm is run on the same
/// virtual mothers and paired differences get percentile intervals.

#include <optional>
#include <string>
#include <vector>

#include "lactsim/sim/population.hpp"
#include "lactsim/sim/scenario.hpp"

namespace lactsim {

/// One row of a comparison: one endpoint in one scenario.
struct ComparisonRow {
  std::string endpoint;  ///< name with unit suffix, e.g. "milk_day3_ml"
  std::string scenario;  ///< scenario file stem
  double value = 0;      ///< deterministic run (the scenario's own parameters); NaN if undefined
  double difference = 0; ///< value − first scenario's value
  double ratio = 0;      ///< value / first scenario's value (NaN when that is 0)
  std::optional<PercentileBand> population;   ///< this arm's 5/50/95 percentiles
  std::optional<PercentileBand> paired_difference;  ///< per-mother (this − first) percentiles
};

/// Result of a comparison.
struct Comparison {
  std::vector<std::string> scenarios;  ///< file stems, first = reference
  std::vector<ComparisonRow> rows;     ///< endpoint-major, scenarios in order
  std::optional<PopulationSpec> population;  ///< the population used (the first scenario's)
  std::vector<std::size_t> failed_mothers;   ///< per scenario
  std::vector<std::string> first_failure;    ///< per scenario: the reason of the first failed mother
};

/// Compares scenarios (all must have the same duration). When `use_population` and the
/// first scenario has a [population], every arm runs that population (same mothers) and
/// the rows also report "onset_after_72h_fraction".
/// @throws InputError when durations differ or fewer than one scenario is given
Comparison compare_scenarios(const std::vector<Scenario>& scenarios, const SolverOptions& solver, unsigned threads,
                             bool use_population, bool progress);

/// Tidy CSV: endpoint,scenario,value,difference,ratio[,p5,p50,p95,paired_diff_p5,
/// paired_diff_p50,paired_diff_p95] — empty cells where undefined.
std::string comparison_csv(const Comparison& comparison);

/// Plain-text table for the terminal.
std::string comparison_table(const Comparison& comparison);

}  // namespace lactsim
