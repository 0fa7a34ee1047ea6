#include "lactsim/sim/run_scenarios.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "lactsim/sim/observables.hpp"
#include "lactsim/sim/parameter_set.hpp"
#include "lactsim/sim/run_outputs.hpp"

namespace lactsim {

std::vector<Scenario> load_scenarios(const std::vector<std::filesystem::path>& files,
                                     const std::vector<std::string>& set_assignments,
                                     const std::filesystem::path& params_file) {
  std::vector<ParameterOverride> overrides;
  if (!params_file.empty()) overrides = load_parameter_set(params_file);
  for (const std::string& assignment : set_assignments) {
    overrides.push_back(parse_parameter_assignment(assignment, {"<command line>", 0, 0}));
  }
  std::vector<Scenario> scenarios;
  for (const auto& file : files) {
    Scenario scenario = load_scenario(file);
    apply_overrides(scenario, overrides);
    scenarios.push_back(std::move(scenario));
  }
  return scenarios;
}

std::vector<ScenarioRun> run_scenarios(std::vector<Scenario> scenarios, const RunOptions& options) {
  std::vector<ScenarioRun> runs;
  for (Scenario& scenario : scenarios) {
    RunResult result = simulate(to_simulation_input(scenario), options);
    Endpoints endpoints = compute_endpoints(result);
    runs.push_back({std::move(scenario), std::move(result), std::move(endpoints)});
  }
  return runs;
}

OutputStaging stage_run_outputs(const std::vector<ScenarioRun>& runs, const RunOptions& options,
                                const std::filesystem::path& out_dir) {
  OutputStaging staging;
  std::set<std::string> stems;
  for (const ScenarioRun& run : runs) {
    const std::string stem = run.scenario.file.stem().string();
    if (!stems.insert(stem).second) {
      throw InputError({run.scenario.file.string(), 0, 0}, "",
                       "two scenarios share the file name '" + stem + "'; their outputs would collide in " +
                           (out_dir / stem).string());
    }
    const auto dir = out_dir / stem;
    staging.add(dir / "timeseries.csv", timeseries_csv(run.scenario, run.result));
    staging.add(dir / "daily.csv", daily_csv(run.result));
    staging.add(dir / "summary.json", summary_json(run.scenario, options, run.result, run.endpoints));
    if (!run.scenario.observed.empty()) {
      staging.add(dir / "observed.csv", observed_csv(run.scenario, compare_observations(run.scenario, run.result)));
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
