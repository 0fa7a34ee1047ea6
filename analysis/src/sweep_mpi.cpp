// Sweeps over MPI ranks (built only with -DLACTSIM_WITH_MPI=ON; sweep_no_mpi.cpp otherwise).
// Samples go to ranks in rounds: in round q, rank r runs block q·K + r of `block_size`
// samples; rank 0 gathers each round's rows and writes them in rank order, so the output
// is byte-identical to one process and memory stays flat (one round in flight).

#include <mpi.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "lactsim/analysis/sweep.hpp"

namespace lactsim {

bool mpi_available() { return true; }

namespace {
/// Ranks announced by the launcher (Open MPI's mpirun, or a PMI launcher such as srun).
int launcher_ranks() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* value = std::getenv(name)) return std::atoi(value);
  }
  return 1;
}
}  // namespace

MpiSession::MpiSession() {
  if (launcher_ranks() <= 1) return;
  MPI_Init(nullptr, nullptr);
  int ranks = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  active_ = true;
  if (ranks <= 1) active_ = false;
  initialised_here_ = true;
}

void MpiSession::abort_all(int exit_code) const {
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::exit(exit_code);  // MPI_Abort does not return; this satisfies [[noreturn]]
}

MpiSession::~MpiSession() {
  if (initialised_here_) MPI_Finalize();
}

SweepSummary run_sweep_mpi(const SimulationInput& base, const Design& design, const SweepOptions& options,
                           std::ostream& out) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  // Only rank 0 knows how many rows a resumed partial file already holds: share it.
  unsigned long long skip = options.skip_samples;
  MPI_Bcast(&skip, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  const std::size_t end = options.shard.end(design.size());
  const std::size_t begin = std::min<std::size_t>(end, options.shard.begin(design.size()) + skip);
  const std::size_t k = static_cast<std::size_t>(ranks);
  // Small sweeps still use every rank: a block is at most a K-th of the samples.
  const std::size_t block = std::max<std::size_t>(1, std::min(options.block_size, (end - begin + k - 1) / k));
  if (rank == 0 && options.write_header) out << sweep_csv_header(design, horizon_days(base.horizon_h));
  SweepRunner runner(base, design, options);
  ProgressBar progress(end - begin, "sims", options.progress && rank == 0);
  SweepSummary mine;
  bool interrupted = false;
  std::vector<int> sizes(k), offsets(k);
  std::string gathered;
  for (std::size_t round = begin; round < end; round += block * k) {
    const std::size_t my_begin = std::min(end, round + block * static_cast<std::size_t>(rank));
    const std::size_t my_end = std::min(end, my_begin + block);
    std::ostringstream rows;
    const SweepSummary part = runner.run(my_begin, my_end, rows, nullptr);
    mine.samples += part.samples;
    mine.failed += part.failed;
    const std::string text = rows.str();
    int size = static_cast<int>(text.size());
    MPI_Gather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (rank == 0) {
      int total = 0;
      for (std::size_t r = 0; r < k; ++r) {
        offsets[r] = total;
        total += sizes[r];
      }
      gathered.resize(static_cast<std::size_t>(total));
    }
    MPI_Gatherv(text.data(), size, MPI_CHAR, gathered.data(), sizes.data(), offsets.data(), MPI_CHAR, 0,
                MPI_COMM_WORLD);
    if (rank == 0) {
      out << gathered;
      progress.update(std::min(end, round + block * k) - begin);
    }
    // Rank 0 decides (flush, SIGINT) after each round; every rank follows, so none waits forever.
    int carry_on = 1;
    if (rank == 0 && options.after_block) carry_on = options.after_block() ? 1 : 0;
    MPI_Bcast(&carry_on, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (carry_on == 0 && round + block * k < end) {
      interrupted = true;
      break;
    }
  }
  progress.finish();
  unsigned long long counts[2] = {mine.samples, mine.failed}, totals[2] = {0, 0};
  MPI_Reduce(counts, totals, 2, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
  SweepSummary summary = rank == 0 ? SweepSummary{totals[0], totals[1], false} : mine;
  summary.interrupted = interrupted;
  return summary;
}

}  // namespace lactsim
