#pragma once
/// @file comparison.hpp
/// Scenario comparison: the same endpoints for every scenario side by side, with the
/// difference and ratio to the first; with a population, every arm is run on the same
/// virtual mothers and paired differences get percentile intervals.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
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
  bool interrupted = false;  ///< the checkpoint's after_block stopped the run; rows are then empty
};

/// Where a population comparison keeps its per-mother endpoint rows while it runs, so an
/// interrupted comparison can be resumed and give the same table (`lactsim compare --resume`).
/// Rows are "row,scenario,mother,status,<endpoints>,error" with row = arm × size + mother,
/// endpoint values written shortest-round-trip so that read back they are the same doubles.
struct PopulationCheckpoint {
  std::ostream* rows = nullptr;           ///< per-mother rows are appended here, block by block
  std::filesystem::path resumed_file;     ///< file holding rows of an earlier run (when completed_rows > 0)
  std::size_t completed_rows = 0;         ///< rows already in `resumed_file`: not recomputed
  std::size_t block_size = 256;           ///< mothers per block (the checkpoint interval)
  /// Called after each block of rows is written (e.g. to flush); return false to stop (SIGINT).
  std::function<bool()> after_block;
};

/// Header line (with newline) of the per-mother checkpoint rows for a horizon of `days`.
std::string population_rows_header(int days);

/// Compares scenarios (all must have the same duration). When `use_population` and the
/// first scenario has a [population], every arm runs that population (same mothers) and
/// the rows also report "onset_after_72h_fraction".
/// @throws InputError when durations differ or fewer than one scenario is given
/// With a `checkpoint`, per-mother rows are streamed to it and rows of an earlier run read
/// back instead of recomputed; the result is identical to a run without one.
/// @throws InputError when a resumed row cannot be read back (naming file and line)
Comparison compare_scenarios(const std::vector<Scenario>& scenarios, const SolverOptions& solver, unsigned threads,
                             bool use_population, bool progress, const PopulationCheckpoint* checkpoint = nullptr);

/// Tidy CSV: endpoint,scenario,value,difference,ratio[,p5,p50,p95,paired_diff_p5,
/// paired_diff_p50,paired_diff_p95,n_requested,n_included,n_failed] — empty cells where
/// undefined; the n columns are the row's arm's mothers.
std::string comparison_csv(const Comparison& comparison);

/// With a population: one line per arm, "  ARM: N requested, I included, F failed" (plus the
/// first failure's reason), after a line naming the population; empty without one.
std::string population_counts_text(const Comparison& comparison);

/// Plain-text table for the terminal.
std::string comparison_table(const Comparison& comparison);

}  // namespace lactsim
