#pragma once
/// @file population_study.hpp
/// A population as its own study (`lactsim population`): every mother of a population run
/// around one scenario, written as she is computed to one row of DIR/mothers.csv (her drawn
/// parameters, endpoints and status), then summarised in DIR/summary.csv by passes over that
/// file (censored percentiles, fractions with Wilson intervals, n requested/included/failed),
/// so memory does not grow with the number of mothers. Resumable like a sweep.

#include <cstddef>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "lactsim/analysis/resumable_runs.hpp"
#include "lactsim/engine/run_control.hpp"
#include "lactsim/engine/solver_options.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/population_spec.hpp"
#include "lactsim/io/resume.hpp"
#include "lactsim/io/scenario.hpp"

namespace lactsim {

/// How to run a population study.
struct PopulationStudyOptions {
  SolverOptions solver;
  unsigned threads = 1;
  std::size_t block_size = 256;  ///< mothers per block: the checkpoint, progress and cancellation interval
  /// Checked after each block: when cancelled, the study stops there (result.interrupted).
  const CancellationToken* cancel = nullptr;
  ProgressCallback progress;  ///< (done, requested) mothers after each block
};

/// One row of summary.csv: one statistic of one endpoint over the included mothers.
struct PopulationSummaryRow {
  std::string endpoint;   ///< endpoint column of mothers.csv, e.g. "onset_h"
  std::string statistic;  ///< "p5", "p50", "p95", "fraction_after_72h", "fraction_not_reached" or "fraction_loss_10pct_or_more"
  double value = std::numeric_limits<double>::quiet_NaN();  ///< NaN when unknown (censored)
  /// A censored statistic (value NaN): what it is known to exceed (the statistic with every
  /// mother without onset at the horizon); NaN otherwise.
  double censored_above = std::numeric_limits<double>::quiet_NaN();
  double lower_95 = std::numeric_limits<double>::quiet_NaN();  ///< interval, when `interval` names one
  double upper_95 = std::numeric_limits<double>::quiet_NaN();
  std::string interval;   ///< "wilson" for fractions; empty for percentiles (no interval)
  std::string unit;       ///< of value and interval: "h", "mL", "ng/mL", "uU/mL" or "fraction"
  std::size_t n_censored = 0;  ///< included mothers whose value of this endpoint is right-censored
};

/// The summary of a population study.
struct PopulationSummary {
  std::size_t requested = 0, included = 0, failed = 0;
  std::string first_failure;  ///< reason the first failed mother failed
  double horizon_h = 0;
  std::vector<PopulationSummaryRow> rows;
};

/// Header line (with newline) of mothers.csv: mother_id, each varied parameter (as named in
/// the table, units in the name), each endpoint of a `days`-day horizon, onset_reached,
/// status, error.
std::string mothers_csv_header(const PopulationSpec& spec, int days);

/// The summary of a mothers.csv (or its .partial) holding every mother of `spec`, computed
/// in a few passes over the file (order_statistics.hpp): exact type-7 percentiles of each
/// endpoint with onsets not reached right-censored at `horizon_h` (as
/// censored_percentile_band), the fractions of mothers with onset after 72 h and without
/// onset, each with its Wilson interval. Memory independent of the number of mothers.
/// @throws InputError naming file:line when a row cannot be read
PopulationSummary summarize_mothers_csv(const std::filesystem::path& file, const PopulationSpec& spec, int days,
                                        double horizon_h);

/// Tidy CSV: endpoint,statistic,value,censored_above,lower_95,upper_95,interval,unit,
/// n_requested,n_included,n_failed,n_censored (docs/outputs.md, "lactsim population").
std::string population_summary_csv(const PopulationSummary& summary);

/// "N requested, I included, F failed" (with the first failure's reason when one failed).
std::string population_counts_line(const PopulationSummary& summary);

/// Plain-text table of the summary for the terminal.
std::string population_summary_table(const PopulationSummary& summary);

/// Result of a population study.
struct PopulationStudyResult {
  PopulationSummary summary;           ///< empty when interrupted
  bool interrupted = false;            ///< the cancellation token stopped it; mothers so far are kept
  std::size_t resumed_mothers = 0;     ///< mothers kept from an earlier, interrupted run
  std::filesystem::path partial_path;  ///< DIR/mothers.csv.partial
};

/// Everything that changes a population study's rows: lactsim version, the scenario's stem
/// and SHA-256, the population file's SHA-256 (or "scenario" for the scenario's own table),
/// overrides, params SHA-256, solver and tolerances.
/// @throws InputError when a named file cannot be read
RunFingerprint population_fingerprint(const std::filesystem::path& scenario_file,
                                      const std::filesystem::path& population_file,
                                      const std::vector<std::string>& set_assignments,
                                      const std::filesystem::path& params_file, const SolverOptions& solver);

/// The manifest of `lactsim population` started now: scenario, --population and --params
/// inputs, --set overrides, the population's seed (of `scenario`, its table chosen) and solver.
/// @throws InputError when a named file cannot be read
RunManifest population_manifest(const std::filesystem::path& scenario_file,
                                const std::filesystem::path& population_file,
                                const std::vector<std::string>& set_assignments,
                                const std::filesystem::path& params_file, const SolverOptions& solver,
                                const Scenario& scenario, std::vector<std::string> command_line);

/// Runs `scenario.population` around `scenario` into the folder target.path: rows stream into
/// mothers.csv.partial (fingerprint beside it, flushed after every block), and when every
/// mother is done summary.csv and manifest.json (target.manifest with the mothers counted
/// and the fingerprint; without one, a manifest of this call: the population's seed, the
/// solver and the scenario file when it exists) are written together and mothers.csv renamed
/// into place. With target.resume, mothers already in a matching
/// partial file are not recomputed; the files are identical to an uninterrupted run's, for
/// any thread count.
/// @throws InputError when the scenario has no population (argument "scenario.population")
///         or a resumed file does not match; SimulationError when every mother failed (nothing
///         committed; the rows stay in the partial file); Error when files cannot be written
PopulationStudyResult run_population_study(const Scenario& scenario, const PopulationStudyOptions& options,
                                           const ResumableTarget& target);

}  // namespace lactsim
