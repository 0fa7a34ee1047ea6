#pragma once
/// @file manifest.hpp
/// manifest.json: the one provenance record every command writes beside its outputs
/// (docs/outputs.md, "manifest.json"): lactsim version and commit, the command line, the
/// working directory, every input file by absolute path and SHA-256, parameter overrides,
/// the design, seeds, solver and tolerances, start and end time (UTC), host, and how many
/// samples/mothers/runs were requested, succeeded and failed. Values are typed JSON
/// (numbers as numbers, booleans, arrays), so a script reads them without parsing text.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lactsim/engine/solver_options.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/io/resume.hpp"

namespace lactsim {

struct PopulationCalibrationConfig;

/// Name of the manifest of a command that writes a directory: DIR/manifest.json.
inline constexpr const char* kManifestFileName = "manifest.json";

/// One input file of a command.
struct ManifestInput {
  std::string role;             ///< "scenario", "params", "population", "design", "config", "shard"
  std::filesystem::path path;   ///< absolute
  std::string sha256;           ///< lower-case hex SHA-256 of the bytes, read when recorded
};

/// One varied parameter of a design, in the parameter's unit.
struct ManifestRange {
  std::string name;
  double low = 0, high = 0;
  bool log_scale = false;
};

/// The design of a sweep or sensitivity analysis.
struct ManifestDesign {
  std::string kind;                   ///< "grid", "lhs", "sobol", "file", "morris"
  std::size_t n = 0;                  ///< points of the design (sweep) or base samples/trajectories (sensitivity)
  std::optional<std::uint64_t> seed;  ///< the design's seed, where it has one
  std::vector<ManifestRange> ranges;  ///< empty for a file design
};

/// How many samples, mothers or runs a command requested, completed and lost to failures.
struct ManifestCounts {
  std::string unit;  ///< "samples", "mothers", "runs" or "scenarios"
  std::size_t requested = 0, ok = 0, failed = 0;
};

/// What manifest_json() writes; begin_manifest() fills the command, command line, working
/// directory, host and start time, the command adds the rest.
struct RunManifest {
  std::string command;                    ///< "run", "sweep", ... ; "python population_study" from Python
  std::vector<std::string> command_line;  ///< argv as given (empty when called as a library)
  std::filesystem::path working_directory;
  std::string started_utc;                ///< ISO 8601, e.g. "2026-11-29T18:05:00Z"
  std::string host;
  std::vector<ManifestInput> inputs;
  /// --set overrides, name → value in the parameter's unit, in command-line order (a
  /// repeated name keeps its last value, as the run does).
  std::vector<std::pair<std::string, double>> parameter_overrides;
  std::optional<ManifestDesign> design;
  /// Seeds by what they seed, e.g. {"design", 1}, {"population", 42}, {"multistart", 7}.
  std::vector<std::pair<std::string, std::uint64_t>> seeds;
  std::optional<SolverOptions> solver;
  std::optional<ManifestCounts> counts;
  /// The resume fingerprint of a resumable output (what `merge` and `--resume` compare),
  /// written as an object of strings.
  std::optional<RunFingerprint> fingerprint;

  /// Records `file` as an input: its absolute path and the SHA-256 of its bytes now.
  /// @throws InputError naming the file when it cannot be read
  void add_input(std::string role, const std::filesystem::path& file);
  /// Records the "NAME=VALUE" --set assignments (as parse_parameter_assignment reads them).
  /// @throws InputError for a malformed assignment (argument "set_assignments NAME=VALUE")
  void add_parameter_overrides(const std::vector<std::string>& set_assignments);
  /// The usual inputs of a scenario command at once: each scenario file, the --params file
  /// (none when empty) and the --set assignments.
  void add_scenario_inputs(const std::vector<std::filesystem::path>& scenario_files,
                           const std::filesystem::path& params_file, const std::vector<std::string>& set_assignments);
  /// The inputs of `calibrate-population`: the configuration file (role "config") and each
  /// subgroup's scenario file (role "scenario", once per file), with the SHA-256 of the bytes
  /// that were parsed.
  void add_population_calibration_inputs(const PopulationCalibrationConfig& config);
};

/// A manifest of `command` started now: command line `command_line` (argv), the current
/// working directory, this host's name and the start time.
RunManifest begin_manifest(std::string command, std::vector<std::string> command_line = {});

/// manifest.json's text for `manifest`, with this build's version and commit and the end
/// time (now, UTC).
std::string manifest_json(const RunManifest& manifest);

/// The manifest beside a single output file: FILE.manifest.json (e.g. sweep.csv.manifest.json).
std::filesystem::path manifest_path_beside(const std::filesystem::path& output_file);

/// Queues `manifest` as `path` (DIR/manifest.json or FILE.manifest.json) in `staging`, so it
/// is committed with the outputs it describes.
void stage_manifest(OutputStaging& staging, const std::filesystem::path& path, const RunManifest& manifest);

/// Writes `content` to `output_file` and its manifest to manifest_path_beside(output_file),
/// both or neither (OutputStaging).
/// @throws as OutputStaging::commit
void write_file_with_manifest(const std::filesystem::path& output_file, const std::string& content,
                              const RunManifest& manifest);

/// The resume fingerprint recorded beside a finished resumable output: the "fingerprint" of
/// FILE.manifest.json, else (files written before manifests) FILE.provenance.json;
/// std::nullopt when neither exists.
/// @throws InputError naming the file when it exists but holds no readable fingerprint
std::optional<RunFingerprint> read_recorded_fingerprint(const std::filesystem::path& output_file);

/// The file read_recorded_fingerprint() takes the fingerprint from: FILE.manifest.json when
/// it exists, else FILE.provenance.json (for messages).
std::filesystem::path recorded_fingerprint_path(const std::filesystem::path& output_file);

}  // namespace lactsim
