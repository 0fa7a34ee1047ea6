#pragma once
/// @file comparison.hpp
/// Scenario comparison: the same endpoints for every scenario side by side, with the
/// difference and ratio to the first; with a population, every arm is run on the same
/// virtual mothers and paired differences get percentile intervals.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lactsim/analysis/interval_estimates.hpp"
#include "lactsim/analysis/population.hpp"
#include "lactsim/engine/run_control.hpp"
#include "lactsim/io/scenario.hpp"

namespace lactsim {

/// The mean over mothers of a paired difference (this arm − the first, mother by mother) with
/// its paired-bootstrap 95% percentile interval (PoissonBootstrapMeans, kBootstrapReplicates
/// replicates, seed kBootstrapSeed).
struct PairedMeanDifference {
  double mean = std::numeric_limits<double>::quiet_NaN();   ///< NaN when censored or no pair
  double lower = std::numeric_limits<double>::quiet_NaN();
  double upper = std::numeric_limits<double>::quiet_NaN();
  std::size_t pairs = 0;  ///< mothers included in both arms (with a value in both)
};

/// One row of a comparison: one endpoint in one scenario.
struct ComparisonRow {
  std::string endpoint;  ///< name with unit suffix, e.g. "milk_day3_ml"
  std::string scenario;  ///< scenario file stem
  double value = 0;      ///< deterministic run (the scenario's own parameters); NaN if undefined
                         ///< (and on the population-only onset_after_72h_fraction rows)
  double difference = 0; ///< value − first scenario's value
  double ratio = 0;      ///< value / first scenario's value (NaN when that is 0)
  std::optional<PercentileBand> population;   ///< this arm's 5/50/95 percentiles
  std::optional<PercentileBand> paired_difference;  ///< per-mother (this − first) percentiles
  /// With a population: the mean paired difference (on onset_after_72h_fraction rows, the
  /// difference of fractions) and its bootstrap interval.
  std::optional<PairedMeanDifference> paired_mean;
  /// On onset_after_72h_fraction rows: this arm's fraction with its Wilson interval.
  std::optional<ProportionInterval> fraction;
  /// With a population, on the onset_h rows: the fraction of this arm's mothers (failed ones
  /// left out) who did not reach onset within the horizon; NaN on other rows.
  double not_reached_fraction = std::numeric_limits<double>::quiet_NaN();
  /// The horizon H when that fraction is above 0: those mothers' onsets are only known to be
  /// later than H (right-censored), and a band percentile they decide is NaN; NaN otherwise.
  double censored_above_h = std::numeric_limits<double>::quiet_NaN();
};

/// Result of a comparison.
struct Comparison {
  std::vector<std::string> scenarios;  ///< file stems, first = reference
  std::vector<ComparisonRow> rows;     ///< endpoint-major, scenarios in order
  std::optional<PopulationSpec> population;  ///< the population used (the first scenario's)
  std::vector<std::size_t> failed_mothers;   ///< per scenario
  std::vector<std::string> first_failure;    ///< per scenario: the reason of the first failed mother
  bool interrupted = false;  ///< the cancellation token stopped the run; rows are then empty
};

/// How to compare.
struct CompareOptions {
  SolverOptions solver;
  unsigned threads = 1;
  bool use_population = true;   ///< run the first scenario's [population] on every arm, when it has one
  std::size_t block_size = 256; ///< mothers per block (the checkpoint and cancellation interval)
  /// Checked after each block of mothers: when cancelled, the comparison stops there
  /// (Comparison::interrupted, rows empty).
  const CancellationToken* cancel = nullptr;
  /// (done, total) mothers over all arms, after each block.
  ProgressCallback progress;
};

/// Where a population comparison keeps its per-mother endpoint rows while it runs, so an
/// interrupted comparison can be resumed and give the same table (`lactsim compare --resume`).
/// Rows are "row,scenario,mother,status,<endpoints>,error" with row = arm × size + mother,
/// endpoint values written shortest-round-trip so that read back they are the same doubles.
struct PopulationCheckpoint {
  std::ostream* rows = nullptr;           ///< per-mother rows are appended here, block by block
  /// The file `rows` writes to: rows of an earlier run (completed_rows > 0) are kept there, and
  /// every statistic is computed by passes over it once all rows are written.
  std::filesystem::path resumed_file;
  std::size_t completed_rows = 0;         ///< rows already in `resumed_file`: not recomputed
  /// Called after each block of rows is written (e.g. to hand them to the OS).
  std::function<void()> after_block;
};

/// Header line (with newline) of the per-mother checkpoint rows for a horizon of `days`.
std::string population_rows_header(int days);

/// Compares scenarios (all must have the same duration). When `options.use_population` and
/// the first scenario has a [population], every arm runs that population (same mothers) and
/// the rows also report percentiles and paired differences.
/// With a `checkpoint`, per-mother rows are streamed to it, rows of an earlier run are not
/// recomputed, and the statistics are computed by passes over the file, so memory does not
/// grow with the number of mothers; the result is identical to a run without one (which
/// holds every mother's endpoints in memory).
/// @throws InputError when durations differ or no scenario is given (argument "scenarios"),
///         or when a resumed row cannot be read back (naming file and line)
Comparison compare_scenarios(const std::vector<Scenario>& scenarios, const CompareOptions& options,
                             const PopulationCheckpoint* checkpoint = nullptr);

/// Percentiles (type 7, as percentile_band) of values each known only to lie in
/// [low[i], high[i]]: an exact value has low == high; a right-censored one (an onset not
/// reached within the horizon H) has low = H and high = +inf. Entries with a NaN bound (failed
/// mothers) are left out; `count` counts the others, censored ones included. A percentile is
/// reported only when it is the same with every value at its lower and at its upper bound,
/// i.e. when censored values cannot move it; otherwise it is NaN (censored). Leaving censored
/// values out instead would report, e.g., the median onset of only the mothers who reached
/// onset as the population's median.
PercentileBand censored_percentile_band(const std::vector<double>& low, const std::vector<double>& high);

/// The columns comparison_csv writes after `ratio` when there is a population, by name, one
/// value per row (NaN for an empty cell): population_p5/p50/p95, paired_difference_p5/p50/p95,
/// paired_mean_difference with _lower_95 and _upper_95, n_paired, fraction with _lower_95
/// and _upper_95, not_reached_fraction, censored_above_h, n_requested, n_included, n_failed
/// (the n columns of the row's arm last). Empty without a population.
std::vector<std::pair<std::string, std::vector<double>>> comparison_population_columns(const Comparison& comparison);

/// Tidy CSV: endpoint,scenario,value,difference,ratio, then comparison_population_columns()
/// (docs/analyses.md) — empty cells where undefined or censored.
std::string comparison_csv(const Comparison& comparison);

/// With a population: one line per arm, "  ARM: N requested, I included, F failed" (plus the
/// first failure's reason), after a line naming the population; empty without one.
std::string population_counts_text(const Comparison& comparison);

/// Plain-text table for the terminal.
std::string comparison_table(const Comparison& comparison);

}  // namespace lactsim
