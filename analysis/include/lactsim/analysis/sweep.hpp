#pragma once
/// @file sweep.hpp
/// Parameter sweeps: one simulation per design point, handed to a sink (CSV, memory, or the
/// caller's own) in sample order as results arrive (memory flat in the number of samples),
/// identical for any thread count and for any split into shards.

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lactsim/analysis/design.hpp"
#include "lactsim/engine/run_control.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/engine/simulation.hpp"
#include "lactsim/io/scenario.hpp"

namespace lactsim {

/// A contiguous part of the samples: shard `index` of `count` (0-based).
struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
  /// First sample of this shard out of `samples`.
  std::size_t begin(std::size_t samples) const { return samples * index / count; }
  /// One past the last sample of this shard.
  std::size_t end(std::size_t samples) const { return samples * (index + 1) / count; }
};

/// Parses "I/N" (1-based I, as in job-array indices) into a 0-based shard.
/// @throws InputError naming the argument "shard" when malformed or I is not in 1..N
Shard parse_shard(std::string_view text);

/// One sample's result, valid only during the SweepSink::write() call that receives it.
struct SweepRow {
  std::size_t sample = 0;                 ///< index in the design
  bool ok = false;                        ///< false: the sample failed (see error)
  std::span<const double> parameters;     ///< the design's values, in Design::names() order
  std::span<const double> endpoints;      ///< in endpoint_names(days) order; NaN when undefined or failed
  std::string_view error;                 ///< why it failed; empty when ok
};

/// Where a sweep's rows go: begin() once, then write() with the rows of each block, in
/// sample order. Under MPI only rank 0's sink is called.
class SweepSink {
 public:
  virtual ~SweepSink() = default;
  /// Called once before any row, with the column names.
  virtual void begin(const std::vector<std::string>& parameter_names,
                     const std::vector<std::string>& endpoint_names) = 0;
  /// Called with one block of rows, blocks in sample order; the rows' spans die on return.
  virtual void write(std::span<const SweepRow> rows) = 0;
};

/// Writes the sweep CSV: header sample,status,<parameters>,<endpoints>,error (unless told
/// not to, for a resumed file that has it), then one row per sample (failed samples: status
/// "failed", empty endpoints, reason; undefined endpoints: empty cells). A covariate column
/// (delivery, parity) holds its level's text.
class CsvSweepSink final : public SweepSink {
 public:
  /// @param write_header false when appending to a file that already holds the header
  explicit CsvSweepSink(std::ostream& out, bool write_header = true);
  void begin(const std::vector<std::string>& parameter_names, const std::vector<std::string>& endpoint_names) override;
  void write(std::span<const SweepRow> rows) override;

 private:
  std::ostream& out_;
  bool write_header_;
  std::string text_;  ///< one block's rows, reused
  std::vector<const CovariateVariableInfo*> covariates_;  ///< per parameter column; nullptr: a number
};

/// Keeps every row in memory, column by column (row-major matrices), e.g. for Python.
class MemorySweepSink final : public SweepSink {
 public:
  void begin(const std::vector<std::string>& parameter_names, const std::vector<std::string>& endpoint_names) override;
  void write(std::span<const SweepRow> rows) override;
  /// Rows received.
  std::size_t size() const { return samples.size(); }

  std::vector<std::string> parameter_names;
  std::vector<std::string> endpoint_names;
  std::vector<std::size_t> samples;   ///< sample index per row
  std::vector<unsigned char> ok;      ///< 1 when the sample succeeded
  std::vector<double> parameters;     ///< size() × parameter_names.size(), row-major
  std::vector<double> endpoints;      ///< size() × endpoint_names.size(), row-major; NaN when undefined or failed
  std::vector<std::string> errors;    ///< per row; empty when ok
};

/// What a sweep needs besides the design.
struct SweepOptions {
  SolverOptions solver;
  unsigned threads = 1;
  Shard shard;
  std::size_t block_size = 1024;  ///< samples held in memory at once (and written per SweepSink::write)
  std::size_t skip_samples = 0;   ///< samples of this shard already written (a resumed run): start after them
  /// Checked after each block: when cancelled, the sweep stops there (summary.interrupted).
  /// Under MPI only rank 0's is read, and its answer is shared with every rank.
  const CancellationToken* cancel = nullptr;
  /// (done, total) samples of this run after each block; under MPI on rank 0 only.
  ProgressCallback progress;
  /// The scenario `base` was made from: needed (and only read) when the design varies schedule
  /// variables, whose samples re-expand its schedules (rescheduled_sessions).
  const Scenario* scenario = nullptr;
};

/// Counts of a finished sweep.
struct SweepSummary {
  std::size_t samples = 0;  ///< samples run (this shard)
  std::size_t failed = 0;   ///< samples recorded as failed
  bool interrupted = false; ///< the token was cancelled before the last sample
};

/// Checks that every schedule variable of `design` has a scenario to act on: `scenario` is
/// given with its text, and some entry of the variable's section uses the variable's key.
/// @throws InputError naming the argument "ranges NAME" otherwise
void check_schedule_variables(const Design& design, const Scenario* scenario);

/// The CSV header: sample,status,<parameters>,<endpoints>,error.
std::string sweep_csv_header(const Design& design, int days);

/// Runs the design's samples of `options.shard` (after `options.skip_samples`) on `base`
/// and hands their rows to `sink` in sample order, one block at a time. A cancelled token
/// stops it at a block boundary (summary.interrupted). Rows are identical for any thread
/// count and block size.
SweepSummary run_sweep(const SimulationInput& base, const Design& design, const SweepOptions& options,
                       SweepSink& sink);

/// The workers of a sweep (per-thread design cursors and evaluators, one block of result
/// slots), reusable over several sample ranges (e.g. the blocks of one MPI rank).
class SweepRunner {
 public:
  SweepRunner(const SimulationInput& base, const Design& design, const SweepOptions& options);
  /// Hands the rows of samples [begin, end) to `sink.write`, in order, one block of
  /// `block_size` at a time; after each block reports progress (as `done` counted from
  /// `begin`, out of `end - begin`) and stops early (summary.interrupted) when
  /// `options.cancel` is cancelled. Does not call sink.begin().
  SweepSummary run(std::size_t begin, std::size_t end, SweepSink& sink);

 private:
  /// A sample of a design with schedule variables: its sessions re-expanded, then simulated.
  SampleOutcome evaluate_rescheduled(std::span<const double> values, unsigned worker);

  const Design& design_;
  SweepOptions options_;
  int days_;
  std::size_t endpoint_count_;
  unsigned threads_;
  std::vector<Design::Cursor> cursors_;
  std::vector<SampleEvaluator> evaluators_;
  std::vector<std::vector<double>> values_;
  std::vector<SampleOutcome> outcomes_;
  std::vector<std::vector<double>> endpoint_values_;
  std::vector<SweepRow> rows_;
  // Designs with schedule variables only: which columns are parameters and which schedule
  // keys, and per-worker buffers for each.
  std::vector<std::size_t> parameter_columns_;
  std::vector<std::size_t> schedule_columns_;
  std::vector<std::vector<double>> parameter_values_;
  std::vector<std::vector<ScheduleSetting>> schedule_settings_;
};

/// True when this build can split sweeps over MPI ranks (CMake option LACTSIM_WITH_MPI).
bool mpi_available();

/// MPI_Init on construction and MPI_Finalize on destruction, when the build has MPI and
/// the process was started by mpirun with more than one rank; otherwise inactive.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  /// True when MPI is initialised and there is more than one rank.
  bool active() const { return active_; }
  /// This process's rank (0 when inactive).
  int rank() const { return rank_; }
  /// Ends every rank with `exit_code` (MPI_Abort), for an error on rank 0 before the
  /// other ranks' first collective call, which they would otherwise wait in forever.
  [[noreturn]] void abort_all(int exit_code) const;

 private:
  bool active_ = false;
  bool initialised_here_ = false;
  int rank_ = 0;
};

/// Runs the sweep over all MPI ranks of MPI_COMM_WORLD: blocks of samples go round-robin
/// to ranks, rank 0 gathers them in sample order and hands them to its `sink` (other ranks'
/// sinks are not called), so the output equals a single-process run. MPI must be
/// initialised by the caller (MpiSession).
/// @throws Error when the build has no MPI
SweepSummary run_sweep_mpi(const SimulationInput& base, const Design& design, const SweepOptions& options,
                           SweepSink& sink);

/// Days covered by a horizon (a partial last day counts).
int horizon_days(double horizon_h);

}  // namespace lactsim
