#pragma once
/// @file sweep.hpp
/// Parameter sweeps: one simulation per design point, streamed to CSV in sample order as
/// results arrive (memory flat in the number of samples), identical for any thread count
/// and for any split into shards.

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "lactsim/analysis/design.hpp"
#include "lactsim/analysis/parallel_runner.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/engine/simulation.hpp"

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
/// @throws InputError naming --shard when malformed or I is not in 1..N
Shard parse_shard(std::string_view text);

/// What a sweep needs besides the design.
struct SweepOptions {
  SolverOptions solver;
  unsigned threads = 1;
  Shard shard;
  std::size_t block_size = 1024;  ///< samples held in memory at once
  bool progress = false;          ///< draw a progress bar on stderr
  std::size_t skip_samples = 0;   ///< samples of this shard already written (a resumed run): start after them
  bool write_header = true;       ///< false when appending to a resumed partial file that has its header
  /// Called after each block of rows is written to the output (e.g. to flush it); return
  /// false to stop there (SIGINT). Under MPI only rank 0's is called, and its answer is
  /// shared with every rank.
  std::function<bool()> after_block;
};

/// Counts of a finished sweep.
struct SweepSummary {
  std::size_t samples = 0;  ///< samples run (this shard)
  std::size_t failed = 0;   ///< samples recorded as failed
  bool interrupted = false; ///< after_block asked to stop before the last sample
};

/// The CSV header: sample,status,<parameters>,<endpoints>,error.
std::string sweep_csv_header(const Design& design, int days);

/// Runs the design's samples of `options.shard` on `base` and writes the header and one
/// CSV row per sample to `out` (failed samples: status "failed", empty endpoints, reason).
/// `options.skip_samples`, `write_header` and `after_block` let a resumed run append the
/// missing rows and an interrupted one stop at a block boundary.
SweepSummary run_sweep(const SimulationInput& base, const Design& design, const SweepOptions& options,
                       std::ostream& out);

/// The workers of a sweep (per-thread design cursors and evaluators, one block of result
/// slots), reusable over several sample ranges (e.g. the blocks of one MPI rank).
class SweepRunner {
 public:
  SweepRunner(const SimulationInput& base, const Design& design, const SweepOptions& options);
  /// Writes the CSV rows (no header) of samples [begin, end) to `out`, in order, one block
  /// of `block_size` at a time; after each block calls `after_block` (when set) and stops
  /// early (summary.interrupted) when it returns false.
  SweepSummary run(std::size_t begin, std::size_t end, std::ostream& out, ProgressBar* progress,
                   const std::function<bool()>& after_block = {});

 private:
  const Design& design_;
  SweepOptions options_;
  int days_;
  std::size_t endpoint_count_;
  unsigned threads_;
  std::vector<Design::Cursor> cursors_;
  std::vector<SampleEvaluator> evaluators_;
  std::vector<std::vector<double>> values_;
  std::vector<SampleOutcome> outcomes_;
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
/// to ranks, rank 0 gathers them in sample order and writes `out` (other ranks ignore it),
/// so the file equals a single-process run. MPI must be initialised by the caller.
/// @throws Error when the build has no MPI
SweepSummary run_sweep_mpi(const SimulationInput& base, const Design& design, const SweepOptions& options,
                           std::ostream& out);

/// Days covered by a horizon (a partial last day counts).
int horizon_days(double horizon_h);

}  // namespace lactsim
