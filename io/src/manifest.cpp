#include "lactsim/io/manifest.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <ctime>
#include <fstream>

#include "lactsim/engine/errors.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/json_reader.hpp"
#include "lactsim/io/json_writer.hpp"
#include "lactsim/io/population_calibration_config.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/io/streaming_output.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

/// Now as ISO 8601 UTC to the second, e.g. "2026-11-29T18:05:00Z".
std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string host_name() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

fs::path absolute_path(const fs::path& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  return ec ? path : absolute.lexically_normal();
}

}  // namespace

void RunManifest::add_input(std::string role, const fs::path& file) {
  inputs.push_back({std::move(role), absolute_path(file), file_sha256(file)});
}

void RunManifest::add_parameter_overrides(const std::vector<std::string>& set_assignments) {
  for (const std::string& assignment : set_assignments) {
    const ParameterOverride parsed = parse_parameter_assignment(assignment, {kArgumentsOrigin, 0, 0});
    auto same = std::find_if(parameter_overrides.begin(), parameter_overrides.end(),
                             [&](const auto& entry) { return entry.first == parsed.name; });
    if (same != parameter_overrides.end()) parameter_overrides.erase(same);  // the last one wins, as in the run
    parameter_overrides.emplace_back(parsed.name, parsed.value);
  }
}

void RunManifest::add_scenario_inputs(const std::vector<fs::path>& scenario_files, const fs::path& params_file,
                                      const std::vector<std::string>& set_assignments) {
  for (const fs::path& file : scenario_files) add_input("scenario", file);
  if (!params_file.empty()) add_input("params", params_file);
  add_parameter_overrides(set_assignments);
}

void RunManifest::add_population_calibration_inputs(const PopulationCalibrationConfig& config) {
  inputs.push_back({"config", absolute_path(config.file), config.sha256});
  for (const CalibrationSubgroup& subgroup : config.subgroups) {
    const fs::path path = absolute_path(subgroup.scenario.file);
    // Subgroups may share a scenario file: it is one input.
    if (std::any_of(inputs.begin(), inputs.end(), [&](const ManifestInput& input) { return input.path == path; })) {
      continue;
    }
    inputs.push_back({"scenario", path, subgroup.scenario.sha256});
  }
}

RunManifest begin_manifest(std::string command, std::vector<std::string> command_line) {
  RunManifest manifest;
  manifest.command = std::move(command);
  manifest.command_line = std::move(command_line);
  std::error_code ec;
  manifest.working_directory = fs::current_path(ec);
  manifest.started_utc = utc_now();
  manifest.host = host_name();
  return manifest;
}

std::string manifest_json(const RunManifest& m) {
  const BuildInfo build = build_info();
  JsonWriter json;
  json.begin_object();
  json.key("manifest_version").value(1);
  json.key("lactsim_version").value(build.version);
  json.key("git_commit").value(build.git_commit);
  json.key("command").value(m.command);
  json.key("command_line").begin_array();
  for (const std::string& argument : m.command_line) json.value(argument);
  json.end_array();
  json.key("working_directory").value(m.working_directory.string());
  json.key("host").value(m.host);
  json.key("started_utc").value(m.started_utc);
  json.key("finished_utc").value(utc_now());

  json.key("inputs").begin_array();
  for (const ManifestInput& input : m.inputs) {
    json.begin_object();
    json.key("role").value(input.role);
    json.key("path").value(input.path.string());
    json.key("sha256").value(input.sha256);
    json.end_object();
  }
  json.end_array();

  json.key("parameter_overrides").begin_object();
  for (const auto& [name, value] : m.parameter_overrides) json.key(name).value(value);
  json.end_object();

  json.key("design");
  if (m.design) {
    json.begin_object();
    json.key("kind").value(m.design->kind);
    json.key("n").value(m.design->n);
    json.key("seed");
    if (m.design->seed) {
      json.value(static_cast<std::size_t>(*m.design->seed));  // unsigned: any 64-bit seed
    } else {
      json.null();
    }
    json.key("ranges").begin_array();
    for (const ManifestRange& range : m.design->ranges) {
      json.begin_object();
      json.key("name").value(range.name);
      json.key("low").value(range.low);
      json.key("high").value(range.high);
      json.key("log_scale").value(range.log_scale);
      json.end_object();
    }
    json.end_array();
    json.end_object();
  } else {
    json.null();
  }

  json.key("seeds").begin_object();
  for (const auto& [what, seed] : m.seeds) json.key(what).value(static_cast<std::size_t>(seed));
  json.end_object();

  json.key("solver");
  if (m.solver) {
    json.begin_object();
    json.key("name").value(solver_method_name(m.solver->method));
    json.key("rtol").value(m.solver->relative_tolerance);
    json.key("atol").value(m.solver->absolute_tolerance);
    json.end_object();
  } else {
    json.null();
  }

  json.key("counts");
  if (m.counts) {
    json.begin_object();
    json.key("unit").value(m.counts->unit);
    json.key("requested").value(m.counts->requested);
    json.key("ok").value(m.counts->ok);
    json.key("failed").value(m.counts->failed);
    json.end_object();
  } else {
    json.null();
  }

  json.key("fingerprint");
  if (m.fingerprint) {
    json.begin_object();
    for (const auto& [key, value] : m.fingerprint->entries()) json.key(key).value(value);
    json.end_object();
  } else {
    json.null();
  }
  json.end_object();
  return json.str();
}

fs::path manifest_path_beside(const fs::path& output_file) {
  fs::path path = output_file;
  path += ".manifest.json";
  return path;
}

void stage_manifest(OutputStaging& staging, const fs::path& path, const RunManifest& manifest) {
  staging.add(path, manifest_json(manifest));
}

void write_file_with_manifest(const fs::path& output_file, const std::string& content, const RunManifest& manifest) {
  OutputStaging staging;
  staging.add(output_file, content);
  stage_manifest(staging, manifest_path_beside(output_file), manifest);
  staging.commit();
}

fs::path recorded_fingerprint_path(const fs::path& output_file) {
  const fs::path manifest = manifest_path_beside(output_file);
  std::error_code ec;
  return fs::exists(manifest, ec) ? manifest : provenance_path(output_file);
}

std::optional<RunFingerprint> read_recorded_fingerprint(const fs::path& output_file) {
  const fs::path file = recorded_fingerprint_path(output_file);
  std::error_code ec;
  if (!fs::exists(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  const bool opened = static_cast<bool>(in);
  const std::string text = opened ? read_bounded(in, file, limits::kMaxJsonFileBytes, "") : std::string();
  if (file != provenance_path(output_file)) {
    std::unique_ptr<JsonNode> document;
    try {
      document = parse_json(text, file);
    } catch (const InputError&) {
    }
    const JsonNode* fingerprint = document ? document->member("fingerprint") : nullptr;
    if (fingerprint != nullptr && fingerprint->kind == JsonNode::Kind::object) {
      RunFingerprint out;
      bool all_text = true;
      for (const auto& [key, value] : fingerprint->members) {
        all_text = all_text && value->kind == JsonNode::Kind::string;
        out.add(key, value->text);
      }
      if (all_text) return out;
    }
    throw InputError({file.string(), 0, 0}, "fingerprint", "missing or unreadable (not what lactsim sweep writes)");
  }
  std::optional<RunFingerprint> old = opened ? RunFingerprint::from_json(text) : std::nullopt;
  if (!old) throw InputError({file.string(), 0, 0}, "provenance", "unreadable (not what lactsim sweep writes)");
  return old;
}

}  // namespace lactsim
