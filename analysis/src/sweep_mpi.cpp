// Sweeps over MPI ranks (built only with -DLACTSIM_WITH_MPI=ON; sweep_no_mpi.cpp otherwise).
// Samples go to ranks in rounds: in round q, rank r runs block q·K + r of `block_size`
// samples; rank 0 gathers each round's rows and writes them in rank order, so the output
// is byte-identical to one process and memory stays flat (one round in flight).

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

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

namespace {

/// Rows of one rank's block, flattened for MPI_Gatherv: per row the sample index, ok flag,
/// parameter and endpoint values as raw doubles (so rank 0 formats the same bytes as one
/// process would) and the error text with its length.
class RowBuffer final : public SweepSink {
 public:
  void begin(const std::vector<std::string>&, const std::vector<std::string>&) override {}
  void write(std::span<const SweepRow> rows) override {
    for (const SweepRow& row : rows) {
      put(static_cast<std::uint64_t>(row.sample));
      put(static_cast<std::uint64_t>(row.ok ? 1 : 0));
      for (double v : row.parameters) put(v);
      for (double v : row.endpoints) put(v);
      put(static_cast<std::uint64_t>(row.error.size()));
      bytes.insert(bytes.end(), row.error.begin(), row.error.end());
    }
  }
  std::string bytes;

 private:
  template <class T>
  void put(T value) {
    char raw[sizeof(T)];
    std::memcpy(raw, &value, sizeof(T));
    bytes.append(raw, sizeof(T));
  }
};

/// Reads RowBuffer bytes back into rows (spans into `parameters`/`endpoints`/`errors`).
void decode_rows(const std::string& bytes, std::size_t parameter_count, std::size_t endpoint_count,
                 std::vector<double>& values, std::vector<std::string>& errors, std::vector<SweepRow>& rows) {
  std::size_t pos = 0;
  auto get = [&](auto& value) {
    std::memcpy(&value, bytes.data() + pos, sizeof(value));
    pos += sizeof(value);
  };
  struct Header { std::uint64_t sample, ok; };
  std::vector<Header> headers;
  values.clear();
  errors.clear();
  while (pos < bytes.size()) {
    Header h{};
    get(h.sample);
    get(h.ok);
    for (std::size_t j = 0; j < parameter_count + endpoint_count; ++j) {
      double v = 0;
      get(v);
      values.push_back(v);
    }
    std::uint64_t length = 0;
    get(length);
    errors.emplace_back(bytes.data() + pos, static_cast<std::size_t>(length));
    pos += static_cast<std::size_t>(length);
    headers.push_back(h);
  }
  rows.clear();
  const std::size_t width = parameter_count + endpoint_count;
  for (std::size_t r = 0; r < headers.size(); ++r) {
    const std::span<const double> all(values.data() + r * width, width);
    rows.push_back({static_cast<std::size_t>(headers[r].sample), headers[r].ok != 0, all.first(parameter_count),
                    all.subspan(parameter_count), errors[r]});
  }
}

}  // namespace

SweepSummary run_sweep_mpi(const SimulationInput& base, const Design& design, const SweepOptions& options,
                           SweepSink& sink) {
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
  const int days = horizon_days(base.horizon_h);
  const std::vector<std::string> endpoints = endpoint_names(days);
  if (rank == 0) sink.begin(design.names(), endpoints);
  SweepOptions local = options;
  local.cancel = nullptr;  // rank 0 decides once per round, below
  local.progress = nullptr;
  SweepRunner runner(base, design, local);
  SweepSummary mine;
  bool interrupted = false;
  std::vector<int> sizes(k), offsets(k);
  std::string gathered;
  std::vector<double> values;
  std::vector<std::string> errors;
  std::vector<SweepRow> rows;
  for (std::size_t round = begin; round < end; round += block * k) {
    const std::size_t my_begin = std::min(end, round + block * static_cast<std::size_t>(rank));
    const std::size_t my_end = std::min(end, my_begin + block);
    RowBuffer buffer;
    const SweepSummary part = runner.run(my_begin, my_end, buffer);
    mine.samples += part.samples;
    mine.failed += part.failed;
    int size = static_cast<int>(buffer.bytes.size());
    MPI_Gather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (rank == 0) {
      int total = 0;
      for (std::size_t r = 0; r < k; ++r) {
        offsets[r] = total;
        total += sizes[r];
      }
      gathered.resize(static_cast<std::size_t>(total));
    }
    MPI_Gatherv(buffer.bytes.data(), size, MPI_CHAR, gathered.data(), sizes.data(), offsets.data(), MPI_CHAR, 0,
                MPI_COMM_WORLD);
    if (rank == 0) {
      decode_rows(gathered, design.names().size(), endpoints.size(), values, errors, rows);
      sink.write(rows);
      if (options.progress) options.progress(std::min(end, round + block * k) - begin, end - begin);
    }
    // Rank 0 decides (cancellation) after each round; every rank follows, so none waits forever.
    int carry_on = 1;
    if (rank == 0 && is_cancelled(options.cancel)) carry_on = 0;
    MPI_Bcast(&carry_on, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (carry_on == 0 && round + block * k < end) {
      interrupted = true;
      break;
    }
  }
  unsigned long long counts[2] = {mine.samples, mine.failed}, totals[2] = {0, 0};
  MPI_Reduce(counts, totals, 2, MPI_UNSIGNED_LONG_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
  SweepSummary summary = rank == 0 ? SweepSummary{totals[0], totals[1], false} : mine;
  summary.interrupted = interrupted;
  return summary;
}

}  // namespace lactsim
