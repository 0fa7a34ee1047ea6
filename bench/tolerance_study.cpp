// Accuracy study of the integrator tolerances (docs/performance.md §Tolerances): for each
// shipped scenario, runs the fast path with both steppers at several tolerances and
// compares the endpoints with a tight-tolerance reference run (rtol 1e-12, atol 1e-14).
// Part 2 repeats the comparison over random parameter sets filling the registry's bounds,
// part 3 over corners of that box.
//   build/<dir>/bench/lactsim_tolerance_study [corners]

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "lactsim/model/parameter_registry.hpp"
#include <cmath>
#include <cstdio>

#include "lactsim/engine/fast_endpoints.hpp"
#include "lactsim/io/scenario.hpp"

namespace {

/// Worst errors of one stepper/tolerance over many parameter sets.
struct BoxErrors {
  double daily = 0, onset_h = 0, prl_peak = 0, ot_peak = 0;
  double steps = 0;
};

double relative(double a, double b, double floor = 1e-12) { return std::abs(a - b) / std::max(floor, std::abs(b)); }

/// Part 2: parameter sets drawn uniformly (log-uniformly for ranges over 20x) inside every
/// registered bound of the seed scenario; sets breaking a cross-parameter rule are skipped.
std::vector<lactsim::SimulationInput> random_box_inputs(const lactsim::SimulationInput& base) {
  std::vector<lactsim::SimulationInput> inputs;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto input = base;
    for (const auto& info : lactsim::model::parameter_registry()) {
      const double lo = info.lower_bound, hi = info.upper_bound, u = unit(rng);
      input.parameters.*(info.member) = (lo > 0 && hi / lo > 20) ? lo * std::pow(hi / lo, u) : lo + (hi - lo) * u;
    }
    if (lactsim::model::validate_parameters(input.parameters).empty()) inputs.push_back(std::move(input));
  }
  return inputs;
}

/// Part 3: corners of the same box. 2^d corners are far too many (d ~ 40), so: every
/// parameter at its lower bound, every one at its upper bound, then each parameter at its
/// lower or upper bound by a fair coin (std::mt19937_64 seeded 20261129), keeping corners
/// that satisfy the cross-parameter rules, until `count` are kept or 20 x count drawn
/// (the same corners as tests/test_support.cpp parameter_box_corner_inputs). `drawn`
/// receives how many corners were drawn.
std::vector<lactsim::SimulationInput> corner_box_inputs(const lactsim::SimulationInput& base, int count, int& drawn) {
  std::vector<lactsim::SimulationInput> inputs;
  std::mt19937_64 rng(20261129);
  int attempt = 0;
  for (; attempt < 20 * count && static_cast<int>(inputs.size()) < count; ++attempt) {
    auto input = base;
    for (const auto& info : lactsim::model::parameter_registry()) {
      const bool high = attempt == 0 ? false : attempt == 1 ? true : (rng() & 1u) != 0;
      input.parameters.*(info.member) = high ? info.upper_bound : info.lower_bound;
    }
    if (lactsim::model::validate_parameters(input.parameters).empty()) inputs.push_back(std::move(input));
  }
  drawn = attempt;
  return inputs;
}

/// Worst errors of each solver setting against rtol 1e-11 dopri5 over `inputs`.
void box_study(const std::vector<lactsim::SimulationInput>& inputs, int drawn, const char* what) {
  struct Setting {
    lactsim::SolverMethod method;
    double rtol;
  };
  const Setting settings[] = {{lactsim::SolverMethod::dormand_prince, 1e-6},
                              {lactsim::SolverMethod::exponential, 1e-6},
                              {lactsim::SolverMethod::exponential, 1e-7},
                              {lactsim::SolverMethod::exponential, 1e-8},
                              {lactsim::SolverMethod::cascade, 1e-6},
                              {lactsim::SolverMethod::cascade, 1e-4}};
  BoxErrors errors[std::size(settings)];
  lactsim::FastWorkspace workspace;
  for (const auto& input : inputs) {
    lactsim::SolverOptions tight;
    tight.relative_tolerance = 1e-11;
    tight.absolute_tolerance = 1e-13;
    tight.max_steps = 50'000'000;
    const auto reference = lactsim::simulate_endpoints(input, tight, workspace);
    for (std::size_t k = 0; k < std::size(settings); ++k) {
      const auto options =
          lactsim::solver_options_with_tolerances(settings[k].rtol, settings[k].rtol * 1e-2, settings[k].method);
      const auto e = lactsim::simulate_endpoints(input, options, workspace);
      BoxErrors& w = errors[k];
      for (int d = 0; d < e.days; ++d) {
        w.daily = std::max(w.daily, relative(e.milk_by_day_ml[d], reference.milk_by_day_ml[d], 1.0));
      }
      if (e.onset_h && reference.onset_h) w.onset_h = std::max(w.onset_h, std::abs(*e.onset_h - *reference.onset_h));
      w.prl_peak = std::max(w.prl_peak, relative(e.prl_peak_per_feed_ng_ml, reference.prl_peak_per_feed_ng_ml));
      w.ot_peak = std::max(w.ot_peak, relative(e.ot_peak_per_feed_uU_ml, reference.ot_peak_per_feed_uU_ml));
      w.steps += static_cast<double>(e.stats.accepted_steps + e.stats.rejected_steps);
    }
  }
  const double compared = static_cast<double>(inputs.size());
  std::printf("\nParameter box, %s: %zu valid sets of %d drawn; worst errors against rtol 1e-11 dopri5\n", what,
              inputs.size(), drawn);
  std::printf("%-12s %8s %12s %14s %12s %14s %14s\n", "method", "rtol", "mean_steps", "max_day_rel_err",
              "onset_err_h", "prl_peak_rel", "ot_peak_rel");
  for (std::size_t k = 0; k < std::size(settings); ++k) {
    const BoxErrors& w = errors[k];
    std::printf("%-12s %8.0e %12.0f %14.3e %12.3e %14.3e %14.3e\n",
                std::string(lactsim::solver_method_name(settings[k].method)).c_str(), settings[k].rtol,
                w.steps / compared, w.daily, w.onset_h, w.prl_peak, w.ot_peak);
  }
}

void parameter_box_study(bool corners_only) {
  const auto base = lactsim::to_simulation_input(
      lactsim::load_scenario(std::string(LACTSIM_SOURCE_DIR "/scenarios/seed_case_massage.toml")));
  if (!corners_only) box_study(random_box_inputs(base), 1000, "random draws");
  constexpr int kCorners = 300;
  int drawn = 0;
  const auto corners = corner_box_inputs(base, kCorners, drawn);
  box_study(corners, drawn, "corners (all low, all high, fixed-seed lo/hi coins)");
}

}  // namespace

int main(int argc, char** argv) {
  // `lactsim_tolerance_study corners`: only the corner part (part 3).
  const bool corners_only = argc > 1 && std::string(argv[1]) == "corners";
  if (corners_only) {
    parameter_box_study(true);
    return 0;
  }
  const char* scenarios[] = {"seed_case_massage", "seed_case_control", "reference_vaginal", "reference_caesarean"};
  struct Setting {
    double rtol, atol;
  };
  const Setting settings[] = {{1e-4, 1e-6}, {1e-5, 1e-7}, {1e-6, 1e-8}, {1e-7, 1e-9}, {1e-8, 1e-10}};
  std::printf("%-22s %-12s %8s %8s %8s %14s %14s %12s\n", "scenario", "method", "rtol", "atol", "steps", "max_day_rel_err",
              "onset_err_h", "us_per_sim");
  for (const char* name : scenarios) {
    const auto input = lactsim::to_simulation_input(
        lactsim::load_scenario(std::string(LACTSIM_SOURCE_DIR "/scenarios/") + name + ".toml"));
    lactsim::FastWorkspace workspace;
    lactsim::SolverOptions tight;
    tight.relative_tolerance = 1e-12;
    tight.absolute_tolerance = 1e-14;
    tight.max_steps = 50'000'000;
    const auto reference = lactsim::simulate_endpoints(input, tight, workspace);
    for (const auto method : {lactsim::SolverMethod::dormand_prince, lactsim::SolverMethod::exponential,
                              lactsim::SolverMethod::cascade})
    for (const auto& s : settings) {
      lactsim::SolverOptions options;
      options.method = method;
      options.relative_tolerance = s.rtol;
      options.absolute_tolerance = s.atol;
      constexpr int kRepeats = 20;
      lactsim::FastEndpoints e;
      const auto start = std::chrono::steady_clock::now();
      for (int r = 0; r < kRepeats; ++r) e = lactsim::simulate_endpoints(input, options, workspace);
      const double us =
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / kRepeats;
      double worst = 0;
      for (int d = 0; d < e.days; ++d) {
        worst = std::max(worst, std::abs(e.milk_by_day_ml[d] - reference.milk_by_day_ml[d]) /
                                    std::max(1e-9, std::abs(reference.milk_by_day_ml[d])));
      }
      const double onset_error =
          (e.onset_h && reference.onset_h) ? std::abs(*e.onset_h - *reference.onset_h) : std::nan("");
      std::printf("%-22s %-12s %8.0e %8.0e %8zu %14.3e %14.3e %12.0f\n", name,
                  std::string(lactsim::solver_method_name(method)).c_str(), s.rtol, s.atol,
                  e.stats.accepted_steps + e.stats.rejected_steps, worst, onset_error, us);
    }
  }
  parameter_box_study(false);
  return 0;
}
