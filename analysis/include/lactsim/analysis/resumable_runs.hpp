#pragma once
/// @file resumable_runs.hpp
/// Sweeps and population comparisons written to a file so that an interrupted run (a
/// cancelled token, SIGKILL, a power cut) can be resumed to the same bytes: rows stream
/// into PATH.partial beside a fingerprint of everything that determines them, and only a
/// finished run renames it to PATH (resume.hpp). The fingerprints record the run's inputs
/// as files and texts, so the same request on another day is recognised.

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "lactsim/analysis/comparison.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/resume.hpp"
#include "lactsim/analysis/sweep.hpp"

namespace lactsim {

/// Where a resumable run writes and whether it continues an earlier one.
struct ResumableTarget {
  std::filesystem::path path;   ///< the finished output; rows accumulate in PATH.partial
  RunFingerprint fingerprint;   ///< what determines the rows (sweep_fingerprint, compare_fingerprint)
  bool resume = false;          ///< continue PATH.partial when its fingerprint matches
  std::ostream* log = nullptr;  ///< notes such as "starting afresh" (none when null)
  /// The manifest written with the finished output (counts, fingerprint and end time filled
  /// in); null: a manifest of the library call alone (no command line).
  const RunManifest* manifest = nullptr;
};

/// The fingerprint entries of the solver: rtol, atol and solver name.
void add_solver_fingerprint(RunFingerprint& fingerprint, const SolverOptions& solver);

/// How a sweep was requested, as the user gave it (texts and files).
struct SweepRequestRecord {
  std::filesystem::path scenario_file;
  std::vector<std::string> set_assignments;  ///< "NAME=VALUE" overrides
  std::filesystem::path params_file;         ///< empty: none
  std::string design;                        ///< "grid", "lhs", "sobol" or "file:PATH"
  std::vector<std::string> ranges;           ///< "NAME=LO:HI[:log]" texts (generated designs)
  std::uint64_t seed = 0;                    ///< Latin hypercube seed
  std::string shard;                         ///< "I/N"; empty: the whole design
  SolverOptions solver;
};

/// Everything that changes a sweep row's bytes (thread count and block size do not):
/// lactsim version, scenario/params/design-file SHA-256, overrides, design, ranges, sample
/// count, seed (LHS), shard, solver and tolerances.
/// @throws InputError when a named file cannot be read
RunFingerprint sweep_fingerprint(const SweepRequestRecord& request, const Design& design);

/// The manifest of `lactsim sweep` started now: scenario, --params and design-file inputs,
/// --set overrides, the design (kind, size, seed for lhs, ranges), seeds and solver.
/// @throws InputError when a named file cannot be read
RunManifest sweep_manifest(const SweepRequestRecord& request, const Design& design,
                           std::vector<std::string> command_line);

/// The manifest of `lactsim compare` started now: scenario, --params and --population
/// inputs, --set overrides, solver, and the population's seed when one is run.
/// @throws InputError when a named file cannot be read
RunManifest compare_manifest(const std::vector<std::filesystem::path>& scenario_files,
                             const std::vector<std::string>& set_assignments, const std::filesystem::path& params_file,
                             const SolverOptions& solver, const std::filesystem::path& population_file,
                             const std::vector<Scenario>& scenarios, bool use_population,
                             std::vector<std::string> command_line);

/// Everything that changes a comparison's per-mother rows: lactsim version, each scenario's
/// stem and SHA-256, overrides, params SHA-256, solver and tolerances, and the population
/// file's SHA-256 when one replaces the scenarios' tables (`population_file` not empty).
/// @throws InputError when a named file cannot be read
RunFingerprint compare_fingerprint(const std::vector<std::filesystem::path>& scenario_files,
                                   const std::vector<std::string>& set_assignments,
                                   const std::filesystem::path& params_file, const SolverOptions& solver,
                                   const std::filesystem::path& population_file = {});

/// Result of a sweep written to a file.
struct FileSweepResult {
  SweepSummary summary;                ///< this run's samples (resumed ones not counted)
  std::size_t resumed_samples = 0;     ///< samples kept from an earlier, interrupted run
  std::size_t shard_samples = 0;       ///< samples the finished file holds
  std::filesystem::path partial_path;  ///< where the rows are kept when interrupted
};

/// Runs a sweep into target.path as a resumable CSV (checkpointed after every block) and
/// renames it into place when complete, after writing PATH.manifest.json (target.manifest
/// with the samples ok/failed over the whole file, the fingerprint and the end time); a cancelled token leaves PATH.partial with every
/// finished block (result.summary.interrupted). With an active `mpi` session every rank
/// must call this; rank 0 alone touches the files, and when it cannot open them every rank
/// throws (rank 0 the reason, the others an Error saying rank 0 failed).
/// @throws InputError for a mismatching partial file or a PATH naming a folder; Error
///         when files cannot be written
FileSweepResult run_sweep_to_file(const SimulationInput& base, const Design& design, const SweepOptions& options,
                                  const ResumableTarget& target, const MpiSession* mpi = nullptr);

/// Result of a comparison written to a file.
struct FileComparisonResult {
  Comparison comparison;               ///< interrupted: rows empty
  std::filesystem::path partial_path;  ///< where per-mother rows are kept when interrupted (population runs)
};

/// Compares scenarios and writes comparison_csv() to target.path together with
/// PATH.manifest.json (target.manifest with the mothers of all arms counted). With a population its
/// per-mother rows stream into PATH.partial (checkpointed per block), so a cancelled run
/// (result.comparison.interrupted) can be resumed to the same table; without one the table
/// is written at once and the fingerprint is not used.
/// @throws as compare_scenarios; Error when files cannot be written
FileComparisonResult compare_scenarios_to_file(const std::vector<Scenario>& scenarios, const CompareOptions& options,
                                               const ResumableTarget& target);

}  // namespace lactsim
