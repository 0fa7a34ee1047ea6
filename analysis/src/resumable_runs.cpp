#include "lactsim/analysis/resumable_runs.hpp"

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "lactsim/io/output_files.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "lactsim/io/streaming_output.hpp"
#include "lactsim/engine/text_format.hpp"

#ifdef LACTSIM_WITH_MPI
#include <mpi.h>
#endif

namespace lactsim {

namespace {

std::string joined(const std::vector<std::string>& texts) {
  std::string out;
  for (const auto& t : texts) out += (out.empty() ? "" : " ") + t;
  return out;
}

void add_version(RunFingerprint& f, const char* command) {
  const BuildInfo build = build_info();
  f.add("lactsim_version", build.version + " (" + build.git_commit + ")");
  f.add("command", command);
}

/// A CSV sink over a resumable file that hands every block to the OS after writing it, so
/// a killed run loses at most the block in flight.
class CheckpointedCsvSink final : public SweepSink {
 public:
  explicit CheckpointedCsvSink(ResumableOutputFile& file) : file_(file), csv_(file.stream(), false) {}
  void begin(const std::vector<std::string>& parameter_names, const std::vector<std::string>& endpoint_names) override {
    csv_.begin(parameter_names, endpoint_names);
  }
  void write(std::span<const SweepRow> rows) override {
    csv_.write(rows);
    file_.checkpoint();
  }

 private:
  ResumableOutputFile& file_;
  CsvSweepSink csv_;
};

/// True on every rank when rank 0 opened its output; rank 0 alone rethrows its error.
bool every_rank_knows_rank0_opened([[maybe_unused]] const MpiSession* mpi, [[maybe_unused]] bool opened) {
#ifdef LACTSIM_WITH_MPI
  if (mpi != nullptr && mpi->active()) {
    int ok = opened ? 1 : 0;
    MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return ok == 1;
  }
#endif
  return opened;
}

/// The comparison's counts: mothers over all arms when a population ran, else one run per arm.
ManifestCounts comparison_counts(const Comparison& comparison) {
  const std::size_t arms = comparison.scenarios.size();
  if (!comparison.population) return {"runs", arms, arms, 0};
  std::size_t failed = 0;
  for (std::size_t f : comparison.failed_mothers) failed += f;
  const std::size_t requested = comparison.population->size * arms;
  return {"mothers", requested, requested - std::min(failed, requested), failed};
}

/// PATH.manifest.json of a finished sweep: counts over every row of the file (resumed ones too).
void write_sweep_manifest(RunManifest manifest, const ResumableTarget& target, const ResumableOutputFile& file,
                          std::size_t shard_samples) {
  std::ifstream rows(file.partial_path(), std::ios::binary);
  if (!rows) throw Error("cannot read " + file.partial_path().string() + " to count its samples");
  const auto [ok, failed] = count_sweep_statuses(rows);
  manifest.counts = ManifestCounts{"samples", shard_samples, ok, failed};
  manifest.fingerprint = target.fingerprint;
  write_file_atomically(manifest_path_beside(target.path), manifest_json(manifest));
}

}  // namespace

RunManifest sweep_manifest(const SweepRequestRecord& request, const Design& design,
                           std::vector<std::string> command_line) {
  RunManifest manifest = begin_manifest("sweep", std::move(command_line));
  manifest.add_scenario_inputs({request.scenario_file}, request.params_file, request.set_assignments);
  std::filesystem::path design_file;
  const DesignKind kind = parse_design_kind(request.design, &design_file);
  ManifestDesign recorded;
  recorded.kind = kind == DesignKind::file ? "file" : request.design;
  recorded.n = design.size();
  if (kind == DesignKind::file) {
    manifest.add_input("design", design_file);
  } else {
    std::vector<ParameterRange> ranges;
    for (const std::string& text : request.ranges) ranges.push_back(parse_parameter_range(text, {kArgumentsOrigin, 0, 0}));
    recorded.ranges = manifest_ranges(ranges);
  }
  if (kind == DesignKind::lhs) {  // grid and Sobol designs do not depend on a seed
    recorded.seed = request.seed;
    manifest.seeds.emplace_back("design", request.seed);
  }
  manifest.design = std::move(recorded);
  manifest.solver = request.solver;
  return manifest;
}

RunManifest compare_manifest(const std::vector<std::filesystem::path>& scenario_files,
                             const std::vector<std::string>& set_assignments, const std::filesystem::path& params_file,
                             const SolverOptions& solver, const std::filesystem::path& population_file,
                             const std::vector<Scenario>& scenarios, bool use_population,
                             std::vector<std::string> command_line) {
  RunManifest manifest = begin_manifest("compare", std::move(command_line));
  manifest.add_scenario_inputs(scenario_files, params_file, set_assignments);
  if (!population_file.empty()) manifest.add_input("population", population_file);
  if (use_population && !scenarios.empty() && scenarios.front().population) {
    manifest.seeds.emplace_back("population", scenarios.front().population->seed);
  }
  manifest.solver = solver;
  return manifest;
}

void add_solver_fingerprint(RunFingerprint& fingerprint, const SolverOptions& solver) {
  fingerprint.add("rtol", format_number(solver.relative_tolerance));
  fingerprint.add("atol", format_number(solver.absolute_tolerance));
  fingerprint.add("solver", std::string(solver_method_name(solver.method)));
}

RunFingerprint sweep_fingerprint(const SweepRequestRecord& request, const Design& design) {
  // Everything that changes a row's bytes; thread count and block size do not.
  RunFingerprint f;
  add_version(f, "sweep");
  f.add("scenario_sha256", file_sha256(request.scenario_file));
  f.add("set", joined(request.set_assignments));
  f.add("params_sha256", request.params_file.empty() ? std::string("none") : file_sha256(request.params_file));
  std::filesystem::path design_file;
  const DesignKind kind = parse_design_kind(request.design, &design_file);
  f.add("design", kind == DesignKind::file ? "file" : request.design);
  if (kind == DesignKind::file) f.add("design_file_sha256", file_sha256(design_file));
  f.add("vary", joined(request.ranges));
  f.add("samples", std::to_string(design.size()));
  if (kind == DesignKind::lhs) f.add("seed", std::to_string(request.seed));
  f.add("shard", request.shard.empty() ? "1/1" : request.shard);
  add_solver_fingerprint(f, request.solver);
  return f;
}

RunFingerprint compare_fingerprint(const std::vector<std::filesystem::path>& scenario_files,
                                   const std::vector<std::string>& set_assignments,
                                   const std::filesystem::path& params_file, const SolverOptions& solver,
                                   const std::filesystem::path& population_file) {
  // Everything that changes a per-mother row; thread count and block size do not.
  RunFingerprint f;
  add_version(f, "compare");
  for (std::size_t i = 0; i < scenario_files.size(); ++i) {
    f.add("scenario_" + std::to_string(i + 1), scenario_files[i].stem().string());
    f.add("scenario_" + std::to_string(i + 1) + "_sha256", file_sha256(scenario_files[i]));
  }
  f.add("set", joined(set_assignments));
  f.add("params_sha256", params_file.empty() ? std::string("none") : file_sha256(params_file));
  add_solver_fingerprint(f, solver);
  if (!population_file.empty()) f.add("population_sha256", file_sha256(population_file));
  return f;
}

FileSweepResult run_sweep_to_file(const SimulationInput& base, const Design& design, const SweepOptions& options,
                                  const ResumableTarget& target, const MpiSession* mpi) {
  const RunManifest manifest = target.manifest != nullptr ? *target.manifest : begin_manifest("sweep");
  const bool distributed = mpi != nullptr && mpi->active();
  FileSweepResult result;
  const std::size_t first = options.shard.begin(design.size());
  result.shard_samples = options.shard.end(design.size()) - first;
  std::ostringstream no_log;
  std::unique_ptr<ResumableOutputFile> file;
  if (!distributed || mpi->rank() == 0) {
    try {
      file = std::make_unique<ResumableOutputFile>(target.path, target.fingerprint,
                                                   sweep_csv_header(design, horizon_days(base.horizon_h)), first,
                                                   result.shard_samples, target.resume,
                                                   target.log != nullptr ? *target.log : no_log);
    } catch (...) {
      // The other ranks wait for rank 0 in the sweep: tell them before rethrowing.
      if (distributed) every_rank_knows_rank0_opened(mpi, false);
      throw;
    }
    if (distributed) every_rank_knows_rank0_opened(mpi, true);
  } else if (!every_rank_knows_rank0_opened(mpi, false)) {
    throw Error("rank 0 could not open " + target.path.string() + " (see its message)");
  }
  SweepOptions resumed = options;
  if (file) {
    result.resumed_samples = file->completed_rows();
    result.partial_path = file->partial_path();
    resumed.skip_samples = file->completed_rows();
  }
  if (!file) {  // an MPI rank other than 0: computes its blocks, rank 0 writes them
    MemorySweepSink unused;
    result.summary = run_sweep_mpi(base, design, resumed, unused);
    return result;
  }
  CheckpointedCsvSink sink(*file);
  result.summary = distributed ? run_sweep_mpi(base, design, resumed, sink) : run_sweep(base, design, resumed, sink);
  if (result.summary.interrupted) {
    file->checkpoint();
    return result;
  }
  file->checkpoint();
  write_sweep_manifest(manifest, target, *file, result.shard_samples);
  file->commit();
  return result;
}

FileComparisonResult compare_scenarios_to_file(const std::vector<Scenario>& scenarios, const CompareOptions& options,
                                               const ResumableTarget& target) {
  RunManifest manifest = target.manifest != nullptr ? *target.manifest : begin_manifest("compare");
  // The table and its manifest, both or neither.
  auto write_outputs = [&](const Comparison& comparison) {
    manifest.counts = comparison_counts(comparison);
    manifest.fingerprint = target.fingerprint;
    write_file_with_manifest(target.path, comparison_csv(comparison), manifest);
  };
  FileComparisonResult result;
  if (scenarios.empty()) throw InputError({kArgumentsOrigin, 0, 0}, "scenarios", "give at least one scenario");
  const bool population = options.use_population && scenarios.front().population.has_value();
  if (!population) {
    result.comparison = compare_scenarios(scenarios, options);
    if (!result.comparison.interrupted) write_outputs(result.comparison);
    return result;
  }
  // Percentiles need every mother: keep per-mother rows in PATH.partial as they complete.
  std::ostringstream no_log;
  const std::size_t rows = scenarios.front().population->size * scenarios.size();
  ResumableOutputFile file(target.path, target.fingerprint,
                           population_rows_header(horizon_days(scenarios.front().horizon_h())), 0, rows, target.resume,
                           target.log != nullptr ? *target.log : no_log);
  result.partial_path = file.partial_path();
  PopulationCheckpoint checkpoint;
  checkpoint.rows = &file.stream();
  checkpoint.resumed_file = file.partial_path();
  checkpoint.completed_rows = file.completed_rows();
  checkpoint.after_block = [&] { file.checkpoint(); };
  result.comparison = compare_scenarios(scenarios, options, &checkpoint);
  file.checkpoint();
  if (result.comparison.interrupted) return result;
  write_outputs(result.comparison);
  file.discard();
  return result;
}

}  // namespace lactsim
