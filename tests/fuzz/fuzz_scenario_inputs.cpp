// libFuzzer target: scenario files, parameter-set files, the command-line parsers
// (--set NAME=VALUE, --vary NAME=LO:HI[:log], --shard I/N, --design) and the gnuplot
// figure scripts.
// Contract under test: any byte string either loads, or fails with InputError (exit 2);
// a loaded scenario either simulates to finite endpoints, or fails with SimulationError
// (exit 3). Anything else — a crash, another exception, a sanitizer report, a hang — is a bug.
// Figure scripts: pieces of the input become a result-folder name, a scenario name,
// observed labels and sources and CSV cells (and a parsed scenario's own name and observed
// series are used too); every figure built from them must keep them inside closed gnuplot
// literals — no hazard from scan_gnuplot_script(), only safe file names, and outside its
// literals the script must equal the one built with plain names. A violation aborts.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>
#include <unistd.h>

#include "lactsim/analysis/design.hpp"
#include "lactsim/engine/endpoints.hpp"
#include "lactsim/io/json_writer.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/io/parameter_set.hpp"
#include "plot_adapters.hpp"
#include "lactsim/plot/plot_results.hpp"
#include "plot_run_figures.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/engine/simulation.hpp"
#include "lactsim/analysis/sweep.hpp"

namespace {

namespace fs = std::filesystem;

// Keep each execution short; long horizons are exercised by the test suite.
constexpr double kMaxSimulatedHours = 72.0;

void check_finite(double value) {
  if (!std::isfinite(value)) std::abort();
}

// ---- figure scripts ----

[[noreturn]] void script_violation(const lactsim::Figure& figure, const std::string& what) {
  std::fprintf(stderr, "fuzz: figure '%s': %s\n", lactsim::safe_file_stem(figure.name).c_str(), what.c_str());
  std::abort();
}

/// Aborts unless `figure` keeps every name inside closed literals; `plain` is the same
/// figure built with plain names (nullptr: no skeleton comparison).
void check_figure(const lactsim::Figure& figure, const lactsim::Figure* plain) {
  const lactsim::GnuplotScriptScan scan = lactsim::scan_gnuplot_script(figure.script);
  if (!scan.hazard.empty()) script_violation(figure, scan.hazard);
  if (!lactsim::is_safe_file_name(figure.name)) script_violation(figure, "unsafe figure name");
  for (const auto& data_file : figure.data_files) {
    if (!lactsim::is_safe_file_name(data_file.first)) script_violation(figure, "unsafe data file name");
  }
  if (plain != nullptr && scan.skeleton != lactsim::scan_gnuplot_script(plain->script).skeleton) {
    script_violation(figure, "text outside the literals differs from the script with plain names");
  }
}

/// `count` bytes of `text` from `from` (fewer at the end).
std::string piece(std::string_view text, std::size_t from, std::size_t count) {
  return std::string(text.substr(std::min(from, text.size()), count));
}

std::string csv_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

/// A 3-day run output in memory, with `observed` as its scenario file's observed series.
lactsim::PlotScenario plot_scenario(const std::string& stem, const std::string& name,
                                    std::vector<lactsim::ObservedSeries> observed) {
  lactsim::PlotScenario scenario;
  scenario.stem = stem;
  scenario.name = name;
  scenario.onset_h = 50.0;
  scenario.days = {1, 2, 3};
  scenario.milk_ml_per_day = {40.0, 200.0, 450.0};
  for (int minute = 0; minute <= 72 * 60; minute += 60) {
    const double h = minute / 60.0;
    scenario.trace.push_back({h, 5.0, 4.0, 10.0, 100.0, h / 72.0, 20.0, std::fmod(h, 3.0) < 0.5, false, h == 49.0});
  }
  scenario.observed = std::move(observed);
  return scenario;
}

/// `series` with label and source replaced by plain tokens, equal where the originals are
/// equal (so the daily-milk figure merges the same series).
std::vector<lactsim::ObservedSeries> plain_series(std::vector<lactsim::ObservedSeries> series) {
  std::map<std::string, std::string> tokens;
  auto token = [&](const std::string& text) {
    if (text.empty()) return std::string();
    return tokens.emplace(text, "plain" + std::to_string(tokens.size())).first->second;
  };
  for (auto& s : series) s.label = token(s.label), s.source = token(s.source);
  return series;
}

/// Figures 1-6 from names in memory: with the fuzzed names and with plain ones.
void check_figures_in_memory(const std::string& stem, const std::string& name, const std::string& cell,
                             const std::vector<lactsim::ObservedSeries>& observed) {
  auto run_figures = [](const std::string& s, const std::string& n, const std::vector<lactsim::ObservedSeries>& o) {
    const std::vector<lactsim::PlotScenario> scenarios = {plot_scenario(s, n, o), plot_scenario(s + "2", n + " 2", {})};
    return std::vector<lactsim::Figure>{lactsim::daily_milk_figure(scenarios), lactsim::traces_figure(scenarios[0]),
                                        lactsim::comparison_figure(scenarios, 1)};
  };
  const auto fuzzed = run_figures(stem, name, observed);
  const auto plain = run_figures("plain", "plain", plain_series(observed));
  for (std::size_t k = 0; k < fuzzed.size(); ++k) check_figure(fuzzed[k], &plain[k]);

  // Figures 4-6 draw CSV cells as text; a cell that is no valid CSV is bad input.
  const std::string c = csv_quoted(cell);
  const std::vector<std::pair<std::string, std::string>> tables = {
      {"population_bands.csv", "day,milk_ml_p05,milk_ml_p50,milk_ml_p95\n1,20,50,90\n2,50,100,180\n"},
      {"sensitivity_indices.csv", "parameter,index,estimate,ci_low,ci_high\n" + c + "," + c + ",0.5,0.4,0.6\n"},
      {"sweep_grid.csv", c + "," + csv_quoted(cell + "y") + "," + csv_quoted(cell + "z") + "\n1,1,5\n1,2,6\n2,1,7\n2,2,8\n"},
      {"fit_observed_predicted.csv",
       "series,day,observed,observed_low,observed_high,predicted,unit\n" + c + ",1,40,30,50,45," + c + "\n"},
      {"profile_likelihood.csv",
       "parameter,value,neg_log_likelihood,unit\n" + c + ",1,3," + c + "\n" + c + ",2,1," + c + "\n" + c + ",3,5," + c + "\n"}};
  std::optional<lactsim::CsvTable> observed_table;
  try {
    observed_table.emplace("label,day,value,low,high\n" + c + ",1,40,30,50\n", "population_observed.csv");
  } catch (const lactsim::InputError&) {
  }
  std::vector<std::string> notes;
  for (const auto& [file, text] : tables) {
    try {
      const lactsim::CsvTable table(text, file);
      const lactsim::CsvTable* overlay = observed_table ? &*observed_table : nullptr;
      for (const auto& figure : lactsim::figures_from_table(table, "", " (" + name + ")", overlay, notes)) {
        check_figure(figure, nullptr);
      }
    } catch (const lactsim::InputError&) {
    }
  }
}

/// `lactsim plot DIR` without gnuplot: a run output and a figure-input CSV in folders named
/// by the input, collected from disk as the CLI does.
void check_figures_from_folders(const std::string& folder, const std::string& name) {
  std::string dir_name = folder.substr(0, 200);
  for (char& c : dir_name) {
    if (c == '/' || c == '\0') c = '_';  // the only bytes a folder name cannot hold
  }
  if (dir_name.empty() || dir_name.front() == '.' || dir_name == "figures") return;
  static const fs::path results = fs::temp_directory_path() / ("lactsim-fuzz-plot-" + std::to_string(::getpid()));
  std::error_code ignored;
  fs::remove_all(results, ignored);
  const fs::path run_dir = results / dir_name;
  fs::create_directories(run_dir);
  lactsim::write_file_atomically(run_dir / "summary.json", "{\"scenario\": {\"name\": " + lactsim::json_quote(name) +
                                                              ", \"file\": \"\"}, \"endpoints\": "
                                                              "{\"onset_lactogenesis_ii_h\": 50}}\n");
  lactsim::write_file_atomically(run_dir / "daily.csv", "day,milk_ml\n1,40\n2,200\n3,450\n");
  std::string series =
      "time_h,pain_nrs,effective_pain_nrs,oxytocin_uU_ml,prolactin_ng_ml,activation,milk_stored_ml,feeding,pumping,massage\n";
  for (int h = 0; h <= 72; h += 6) series += std::to_string(h) + ",5,4,10,100,0.5,20," + (h % 12 == 0 ? "1" : "0") + ",0,0\n";
  lactsim::write_file_atomically(run_dir / "timeseries.csv", series);
  fs::create_directories(results / (dir_name + " bands"));
  lactsim::write_file_atomically(results / (dir_name + " bands") / "population_bands.csv",
                                 "day,milk_ml_p05,milk_ml_p50,milk_ml_p95\n1,20,50,90\n2,50,100,180\n");
  std::vector<std::string> notes;
  try {
    for (const auto& figure : lactsim::collect_figures(results, {}, notes)) check_figure(figure, nullptr);
    for (const auto& figure : lactsim::collect_figures(run_dir, {}, notes)) check_figure(figure, nullptr);
  } catch (const lactsim::InputError&) {
  }
  fs::remove_all(results, ignored);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // The first line doubles as each command-line argument; the whole text as a parameter set.
  const std::string_view first_line = text.substr(0, text.find('\n'));
  const lactsim::SourceLocation where{"<fuzz>", 0, 0};
  try {
    lactsim::parse_parameter_assignment(first_line, where);
  } catch (const lactsim::InputError&) {
  }
  try {
    lactsim::parse_parameter_range(first_line, where);
  } catch (const lactsim::InputError&) {
  }
  try {
    lactsim::parse_shard(first_line);
  } catch (const lactsim::InputError&) {
  }
  try {
    std::filesystem::path design_file;
    lactsim::parse_design_kind(first_line, &design_file);
  } catch (const lactsim::InputError&) {
  }
  try {
    lactsim::parse_parameter_set(text, "fuzz-params.toml");
  } catch (const lactsim::InputError&) {
  }

  std::optional<lactsim::Scenario> scenario;
  try {
    scenario = lactsim::parse_scenario(text, "fuzz.toml");
  } catch (const lactsim::InputError&) {
  }

  // Names for the figure scripts: the first bytes (line breaks included) as a folder and
  // scenario name, bytes from the middle as labels; a loaded scenario's own name and
  // observed series as they are.
  const std::string folder = piece(text, 0, 64);
  const std::string label = piece(text, text.size() / 2, 64);
  std::vector<lactsim::ObservedSeries> observed;
  if (scenario) {
    observed = scenario->observed;
  } else {
    lactsim::ObservedPoint day_point;
    day_point.day = 1, day_point.value = 50.0, day_point.sd = 10.0;
    lactsim::ObservedPoint onset_point;
    onset_point.time_h = 60.0, onset_point.value = 60.0;
    observed.push_back({"milk_transferred_daily", "mL/day", label, label, {day_point}, {}});
    observed.push_back({"onset_time", "h", piece(text, 0, 32), label, {onset_point}, {}});
  }
  const std::string name = scenario ? scenario->name : piece(text, 0, 96);
  check_figures_in_memory(folder, name, label, observed);
  check_figures_from_folders(folder, name);

  if (!scenario || scenario->horizon_h() > kMaxSimulatedHours) return 0;
  try {
    lactsim::RunOptions options;
    options.output_step_h = 0;
    options.solver.max_steps = 200'000;
    const auto result = lactsim::simulate(lactsim::to_simulation_input(*scenario), options);
    const auto endpoints = result.endpoints;
    for (double ml : endpoints.milk_transferred_ml_by_day) check_finite(ml);
    check_finite(endpoints.milk_synthesised_total_ml);
  } catch (const lactsim::SimulationError&) {
  }
  return 0;
}
