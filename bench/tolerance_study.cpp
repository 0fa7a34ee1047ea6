// Accuracy study of the integrator tolerances (docs/performance.md §Tolerances): for each
// shipped scenario, runs the fast path with both steppers at several tolerances and
// compares the endpoints with a tight-tolerance reference run (rtol 1e-12, atol 1e-14).
// Part 2 repeats the comparison over random parameter sets filling the registry's bounds.
//   build/<dir>/bench/lactsim_tolerance_study

#include <algorithm>
#include <chrono>
#include <random>
#include <string>

#include "lactsim/model/parameter_registry.hpp"
#include <cmath>
#include <cstdio>

#include "lactsim/sim/fast_endpoints.hpp"
#include "lactsim/sim/scenario.hpp"

namespace {

/// Worst errors of one stepper/tolerance over many parameter sets.
struct BoxErrors {
  double daily = 0, onset_h = 0, prl_peak = 0, ot_peak = 0;
  double steps = 0;
};

double relative(double a, double b, double floor = 1e-12) { return std::abs(a - b) / std::max(floor, std::abs(b)); }

/// Part 2: parameter sets drawn uniformly (log-uniformly for ranges over 20x) inside every
/// registered bound of the seed scenario; sets breaking a cross-parameter rule are skipped.
void parameter_box_study() {
  const auto base = lactsim::to_simulation_input(
      lactsim::load_scenario(std::string(LACTSIM_SOURCE_DIR "/scenarios/seed_case_massage.toml")));
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
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  lactsim::FastWorkspace workspace;
  int compared = 0;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto input = base;
    for (const auto& info : lactsim::model::parameter_registry()) {
      const double lo = info.lower_bound, hi = info.upper_bound, u = unit(rng);
      input.parameters.*(info.member) = (lo > 0 && hi / lo > 20) ? lo * std::pow(hi / lo, u) : lo + (hi - lo) * u;
    }
    if (!lactsim::model::validate_parameters(input.parameters).empty()) continue;
    ++compared;
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
  std::printf("\nParameter box: %d valid sets of 1000 drawn; worst errors against rtol 1e-11 dopri5\n", compared);
  std::printf("%-12s %8s %12s %14s %12s %14s %14s\n", "method", "rtol", "mean_steps", "max_day_rel_err",
              "onset_err_h", "prl_peak_rel", "ot_peak_rel");
  for (std::size_t k = 0; k < std::size(settings); ++k) {
    const BoxErrors& w = errors[k];
    std::printf("%-12s %8.0e %12.0f %14.3e %12.3e %14.3e %14.3e\n",
                std::string(lactsim::solver_method_name(settings[k].method)).c_str(), settings[k].rtol,
                w.steps / compared, w.daily, w.onset_h, w.prl_peak, w.ot_peak);
  }
}

}  // namespace

int main() {
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
  parameter_box_study();
  return 0;
}
