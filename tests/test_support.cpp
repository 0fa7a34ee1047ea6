#include "test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "lactsim/model/parameter_registry.hpp"

namespace lactsim::test {

std::filesystem::path scenario_path(const std::string& file_name) {
  return std::filesystem::path(LACTSIM_SOURCE_DIR) / "scenarios" / file_name;
}

Scenario load_shipped(const std::string& file_name, const std::vector<std::string>& overrides) {
  Scenario scenario = load_scenario(scenario_path(file_name));
  std::vector<ParameterOverride> parsed;
  for (const auto& text : overrides) parsed.push_back(parse_parameter_assignment(text, {"<test>", 0, 0}));
  apply_overrides(scenario, parsed);
  return scenario;
}

RunResult run(const Scenario& scenario, const RunOptions& options) {
  return simulate(to_simulation_input(scenario), options);
}

std::filesystem::path fresh_temp_dir(const std::string& tag) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("lactsim-test-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string quoted(const std::filesystem::path& path) {
  std::string out = "'";
  for (char c : path.string()) out += c == '\'' ? std::string("'\\''") : std::string(1, c);  // ' ends, \' adds one, ' reopens
  return out + "'";
}

std::string short_vaginal_scenario_toml(const std::string& name) {
  return "[scenario]\nname = \"" + name +
         "\"\nduration_days = 3\n[delivery]\nmode = \"vaginal\"\n[patient]\nparity = \"multiparous\"\n"
         "[[feeds]]\nevery_h = 3.0\nfirst_h = 1.0\nduration_min = 15\n";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::filesystem::path& path, const std::string& content) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

CliResult run_cli(const std::string& arguments) {
  const auto dir = fresh_temp_dir("cli");
  const auto out = dir / "stdout", err = dir / "stderr";
  const std::string command = std::string("'") + LACTSIM_CLI + "' " + arguments + " >'" + out.string() + "' 2>'" +
                              err.string() + "' </dev/null";
  const int status = std::system(command.c_str());
  CliResult result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
  std::filesystem::remove_all(dir);
  return result;
}

SolverOptions tight_reference_solver() {
  SolverOptions options = solver_options_with_tolerances(1e-11, 1e-13);
  options.max_steps = 50'000'000;
  return options;
}

double worst_daily_relative_error(const Endpoints& a, const Endpoints& b) {
  double worst = 0.0;
  const std::size_t days = std::min(a.milk_transferred_ml_by_day.size(), b.milk_transferred_ml_by_day.size());
  for (std::size_t i = 0; i < days; ++i) {
    worst = std::max(worst, std::abs(a.milk_transferred_ml_by_day[i] - b.milk_transferred_ml_by_day[i]) /
                                std::max(1.0, std::abs(b.milk_transferred_ml_by_day[i])));
  }
  return worst;
}

void expect_shipped_scenarios_match_reference(const SolverOptions& solver, const ShippedAccuracyBounds& bounds) {
  for (const char* file : kShippedScenarios) {
    const SimulationInput input = to_simulation_input(load_shipped(file));
    FastWorkspace workspace;
    const Endpoints reference = simulate_endpoints(input, tight_reference_solver(), workspace);
    const Endpoints fast = simulate_endpoints(input, solver, workspace);
    ASSERT_EQ(fast.milk_transferred_ml_by_day.size(), reference.milk_transferred_ml_by_day.size()) << file;
    EXPECT_LT(worst_daily_relative_error(fast, reference), bounds.daily_milk) << file;
    ASSERT_EQ(fast.onset_h.has_value(), reference.onset_h.has_value()) << file;
    if (reference.onset_h) {
      EXPECT_NEAR(*fast.onset_h, *reference.onset_h, bounds.onset_h) << file;
    }
    auto relative = [](double a, double b) { return std::abs(a - b) / std::abs(b); };
    EXPECT_LT(relative(fast.prl_peak_per_feed_ng_ml, reference.prl_peak_per_feed_ng_ml), bounds.prl_peak) << file;
    EXPECT_LT(relative(fast.ot_peak_per_feed_uU_ml, reference.ot_peak_per_feed_uU_ml), bounds.ot_peak) << file;
    EXPECT_LT(relative(fast.milk_synthesised_total_ml, reference.milk_synthesised_total_ml), bounds.milk_synthesised)
        << file;
    EXPECT_EQ(fast.feeds, reference.feeds) << file;
  }
}

ParameterBoxErrors worst_daily_errors_over_parameter_box(const SimulationInput& base, const SolverOptions& first,
                                                         const SolverOptions& second) {
  ParameterBoxErrors errors;
  FastWorkspace workspace;
  for (const SimulationInput& input : random_parameter_box_inputs(base, 20261128, 25, 400)) {
    const Endpoints reference = simulate_endpoints(input, tight_reference_solver(), workspace);
    errors.first = std::max(errors.first,
                            worst_daily_relative_error(simulate_endpoints(input, first, workspace), reference));
    errors.second = std::max(errors.second,
                             worst_daily_relative_error(simulate_endpoints(input, second, workspace), reference));
    ++errors.compared;
  }
  return errors;
}

namespace {

/// Parameters that do not enter the ODE: the infant's losses (docs/model.md §Infant weight) and
/// the observation models' thresholds (§Observation models). The parameter boxes leave them at
/// their defaults, so the samples stay those measured before they existed.
bool not_in_the_ode(std::string_view name) {
  return name.starts_with("infant_") || name == "colostrum_visible_threshold_ml" ||
         name == "perceived_onset_stored_ml";
}

}  // namespace

std::vector<SimulationInput> parameter_box_corner_inputs(const SimulationInput& base, unsigned long seed, int count) {
  std::mt19937_64 rng(seed);
  std::vector<SimulationInput> inputs;
  for (int attempt = 0; attempt < 20 * count && static_cast<int>(inputs.size()) < count; ++attempt) {
    SimulationInput input = base;
    for (const auto& info : model::parameter_registry()) {
      if (not_in_the_ode(info.name)) continue;
      const bool high = attempt == 0 ? false : attempt == 1 ? true : (rng() & 1u) != 0;
      input.parameters.*(info.member) = high ? info.upper_bound : info.lower_bound;
    }
    if (model::validate_parameters(input.parameters).empty()) inputs.push_back(std::move(input));
  }
  return inputs;
}

std::vector<double> worst_daily_errors_against_reference(const std::vector<SimulationInput>& inputs,
                                                         const std::vector<SolverOptions>& solvers) {
  std::vector<double> worst(solvers.size(), 0.0);
  FastWorkspace workspace;
  for (const SimulationInput& input : inputs) {
    const Endpoints reference = simulate_endpoints(input, tight_reference_solver(), workspace);
    for (std::size_t k = 0; k < solvers.size(); ++k) {
      worst[k] = std::max(worst[k],
                          worst_daily_relative_error(simulate_endpoints(input, solvers[k], workspace), reference));
    }
  }
  return worst;
}

std::vector<SimulationInput> random_parameter_box_inputs(const SimulationInput& base, unsigned long seed, int count,
                                                         int attempts) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<SimulationInput> inputs;
  for (int attempt = 0; attempt < attempts && static_cast<int>(inputs.size()) < count; ++attempt) {
    SimulationInput input = base;
    for (const auto& info : model::parameter_registry()) {
      if (not_in_the_ode(info.name)) continue;  // keeps the samples as measured before
      const double lo = info.lower_bound, hi = info.upper_bound, u = unit(rng);
      input.parameters.*(info.member) = (lo > 0.0 && hi / lo > 20.0) ? lo * std::pow(hi / lo, u) : lo + (hi - lo) * u;
    }
    if (model::validate_parameters(input.parameters).empty()) inputs.push_back(std::move(input));
  }
  return inputs;
}

CompareOptions compare_options(unsigned threads, bool use_population) {
  CompareOptions options;
  options.threads = threads;
  options.use_population = use_population;
  return options;
}

}  // namespace lactsim::test
