// Accuracy study of the integrator tolerances (docs/performance.md §Tolerances): for each
// shipped scenario, runs the fast path at several tolerances and compares the endpoints
// with a tight-tolerance reference run (rtol 1e-12, atol 1e-14).
//   build/<dir>/bench/lactsim_tolerance_study

#include <chrono>
#include <cmath>
#include <cstdio>

#include "lactsim/sim/fast_endpoints.hpp"
#include "lactsim/sim/scenario.hpp"

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
    for (const auto method : {lactsim::SolverMethod::dormand_prince, lactsim::SolverMethod::exponential})
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
                  method == lactsim::SolverMethod::exponential ? "exponential" : "dopri5", s.rtol, s.atol,
                  e.stats.accepted_steps + e.stats.rejected_steps, worst, onset_error, us);
    }
  }
  return 0;
}
