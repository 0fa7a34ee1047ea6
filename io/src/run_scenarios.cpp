#include "lactsim/io/run_scenarios.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "lactsim/io/json_writer.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/io/parameter_set.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/io/run_outputs.hpp"

namespace lactsim {
namespace {

/// Whether `text` holds a character a terminal or a line-based tool acts on: a C0 control
/// (newline, escape, ...), DEL, a C1 control (UTF-8 C2 80-C2 9F) or U+2028/U+2029.
bool has_control_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = [&](std::size_t at) { return at < text.size() ? static_cast<unsigned char>(text[at]) : 0u; };
    if (byte(i) < 0x20 || byte(i) == 0x7f) return true;
    if (byte(i) == 0xc2 && byte(i + 1) >= 0x80 && byte(i + 1) <= 0x9f) return true;
    if (byte(i) == 0xe2 && byte(i + 1) == 0x80 && (byte(i + 2) == 0xa8 || byte(i + 2) == 0xa9)) return true;
  }
  return false;
}

/// `file` for an error message: as given, or as a JSON string (escapes shown, not
/// replayed) when its name holds control characters.
std::string shown_path(const std::filesystem::path& file) {
  return has_control_character(file.string()) ? json_quote(file.string()) : file.string();
}

}  // namespace

std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& files,
                                     const std::vector<std::string>& set_assignments,
                                     const std::filesystem::path& params_file,
                                     const std::string& assignments_origin) {
  std::vector<ParameterOverride> overrides;
  if (!params_file.empty()) overrides = load_parameter_set(params_file);
  for (const std::string& assignment : set_assignments) {
    overrides.push_back(parse_parameter_assignment(assignment, {assignments_origin, 0, 0}));
  }
  std::vector<Scenario> scenarios;
  for (const auto& file : files) {
    scenarios.push_back(load_scenario(file, overrides));
  }
  return scenarios;
}

std::vector<ScenarioRun> run_scenarios(std::vector<Scenario> scenarios, const RunOptions& options) {
  std::vector<ScenarioRun> runs;
  for (Scenario& scenario : scenarios) {
    RunResult result = simulate(to_simulation_input(scenario), options);
    Endpoints endpoints = result.endpoints;
    // Computed once here for observed.csv, summary.json and the terminal.
    std::vector<ObservationComparison> observations;
    if (!scenario.observed.empty()) observations = compare_observations(scenario, result);
    runs.push_back({std::move(scenario), std::move(result), std::move(endpoints), std::move(observations)});
  }
  return runs;
}

std::vector<std::string> result_folder_names(const std::vector<std::filesystem::path>& scenario_files) {
  std::vector<std::string> names;
  std::map<std::string, std::filesystem::path> file_of_name;
  for (const std::filesystem::path& file : scenario_files) {
    const std::string name = file.stem().string();
    const auto refuse = [&](const std::string& why) {
      throw InputError({shown_path(file), 0, 0}, "",
                       "the file name gives the result folder name " + json_quote(name) + ", which " + why +
                           "; rename the file");
    };
    if (name.empty() || name == "." || name == "..") refuse("is not a folder inside --out");
    if (name.front() == '.') refuse("would be hidden (names starting with '.' are lactsim's temporaries)");
    if (name.front() == '-') refuse("starts with '-' (other command-line tools would read it as an option)");
    if (has_control_character(name)) refuse("holds a control or line-break character");
    if (name == kFiguresFolderName) refuse("is the folder --plot draws its figures into");
    // Figure files add a prefix and suffix (traces_NAME_sessions.csv); a file name may have
    // at most 255 bytes on common file systems.
    if (name.size() > kMaxResultFolderNameBytes) {
      refuse("is longer than " + std::to_string(kMaxResultFolderNameBytes) +
             " bytes (figure file names built from it would be too long for the file system)");
    }
    const auto [earlier, inserted] = file_of_name.emplace(name, file);
    if (!inserted) {
      throw InputError({shown_path(file), 0, 0}, "",
                       "this file and " + shown_path(earlier->second) + " both give the result folder name " +
                           json_quote(name) + ": their outputs would overwrite each other; rename one of them");
    }
    names.push_back(name);
  }
  return names;
}

OutputStaging stage_run_outputs(const std::vector<ScenarioRun>& runs, const RunOptions& options,
                                const std::filesystem::path& out_dir, const RunTableFormats& formats,
                                const RunManifest* manifest) {
  if (!formats.wide && !formats.long_format) {
    throw InputError({kArgumentsOrigin, 0, 0}, "formats", "select the wide or the long tables, or both");
  }
  std::vector<std::filesystem::path> files;
  for (const ScenarioRun& run : runs) files.push_back(run.scenario.file);
  const std::vector<std::string> folders = result_folder_names(files);
  OutputStaging staging;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const ScenarioRun& run = runs[i];
    const auto dir = out_dir / folders[i];
    if (formats.wide) {
      staging.add(dir / "timeseries.csv", timeseries_csv(run.scenario, run.result));
      staging.add(dir / "daily.csv", daily_csv(run.result));
    }
    if (formats.long_format) {
      staging.add(dir / "timeseries_long.csv", timeseries_long_csv(folders[i], run.scenario, run.result));
      staging.add(dir / "daily_long.csv", daily_long_csv(folders[i], run.result));
    }
    staging.add(dir / "summary.json", summary_json(run.scenario, options, run.result, run.endpoints, run.observations));
    if (!run.scenario.observed.empty()) staging.add(dir / "observed.csv", observed_csv(run.scenario, run.observations));
    if (!run.scenario.text.empty()) staging.add(dir / kScenarioCopyFileName, run.scenario.text);
    if (manifest != nullptr) {
      // Each result folder is replaced on its own (FolderTransaction), so each carries the
      // manifest of the command that wrote it.
      RunManifest complete = *manifest;
      complete.counts = ManifestCounts{"runs", runs.size(), runs.size(), 0};
      stage_manifest(staging, dir / kManifestFileName, complete);
    }
  }
  return staging;
}

std::string daily_milk_table(const std::vector<ScenarioRun>& runs) {
  std::size_t width = 14;
  for (const auto& run : runs) width = std::max(width, run.scenario.file.stem().string().size() + 2);
  auto cell = [&](const std::string& text) {
    return std::string(width > text.size() ? width - text.size() : 1, ' ') + text;
  };
  auto number = [](double value, const char* format) {
    char text[32];
    std::snprintf(text, sizeof text, format, value);
    return std::string(text);
  };
  std::string out = "Milk transferred to the infant per day (mL/day)\n";
  out += "day  ";
  for (const auto& run : runs) out += cell(run.scenario.file.stem().string());
  out += "\n";
  std::size_t days = 0;
  for (const auto& run : runs) days = std::max(days, run.endpoints.milk_transferred_ml_by_day.size());
  for (std::size_t d = 0; d < days; ++d) {
    out += number(static_cast<double>(d + 1), "%3.0f") + "  ";
    for (const auto& run : runs) {
      const auto& by_day = run.endpoints.milk_transferred_ml_by_day;
      out += cell(d < by_day.size() ? number(by_day[d], "%.1f") : "-");
    }
    out += "\n";
  }
  out += "onset of lactogenesis II (h)\n     ";
  for (const auto& run : runs) {
    out += cell(run.endpoints.onset_h ? number(*run.endpoints.onset_h, "%.1f") : "not reached");
  }
  out += "\n";
  return out;
}

}  // namespace lactsim
