// The exponential (Lawson) Dormand–Prince stepper against independent oracles: closed-form
// solutions of the model's linear parts, and the classical Boost.Odeint path at tight
// tolerance (the reference path, OpenMM-style). Bounds come from docs/performance.md's
// accuracy study and are stated with each test.

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/engine/fast_endpoints.hpp"
#include "solvers/integrator.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {


SolverOptions exponential(double rtol = 1e-6, double atol = 1e-8) {
  return solver_options_with_tolerances(rtol, atol, SolverMethod::exponential);
}



/// Records the state at every segment edge.
struct EdgeRecorder {
  std::vector<std::pair<double, model::State>> edges;
  void on_edge(double t, const model::State& x, const Segment*) { edges.emplace_back(t, x); }
  void on_step(const StepView&) {}
};

model::State state_at_edge(const EdgeRecorder& recorder, double t) {
  for (const auto& [time, x] : recorder.edges) {
    if (std::abs(time - t) < 1e-12) return x;
  }
  ADD_FAILURE() << "no edge at t = " << t;
  return {};
}

/// Integrates `sessions` over [0, horizon_h] and returns the edge states.
EdgeRecorder integrate(const std::vector<Session>& sessions, double horizon_h, const SolverOptions& options) {
  SimulationInput input = to_simulation_input(test::load_shipped("seed_case_control.toml"));
  input.sessions = sessions;
  input.horizon_h = horizon_h;
  model::LactationModel model = make_model(input);
  const auto pain_edges = model.pain().breakpoints_h();
  const auto segments = build_segments(input.sessions, input.parameters.ot_conditioned_lead_min / 60.0,
                                       input.horizon_h, pain_edges);
  model::State x = model.initial_state();
  EdgeRecorder recorder;
  integrate_segments(model, segments, x, options, recorder);
  return recorder;
}

TEST(ExponentialStepper, MassageReliefAndReleaseDriveFollowTheirClosedFormsAtAnyTolerance) {
  // Relief and the PRL release drive are linear with constant input over a segment, so
  // the stepper integrates them exactly: r = 1 − e^{−k_on t} during a massage, then
  // r e^{−k_off t}; D = 1 − e^{−k_D t} during a feed. A loose tolerance (1e-3) shows it is
  // the method, not the step size: classical dopri5 at the same tolerance misses by far more.
  const model::ModelParameters p = to_simulation_input(test::load_shipped("seed_case_control.toml")).parameters;
  const double k_on = 60.0 / p.massage_relief_onset_min;
  const double k_off = std::numbers::ln2 / p.massage_relief_half_life_h;
  const double k_drive = 60.0 / p.prl_release_time_constant_min;
  const std::vector<Session> sessions{{SessionKind::massage, 2.0, 2.25}, {SessionKind::feed, 6.0, 6.25}};
  const double relief_end = 1.0 - std::exp(-k_on * 0.25);
  const double relief_later = relief_end * std::exp(-k_off * (6.0 - 2.25));
  const double drive_end = 1.0 - std::exp(-k_drive * 0.25);

  const EdgeRecorder fast = integrate(sessions, 8.0, exponential(1e-3, 1e-5));
  EXPECT_NEAR(state_at_edge(fast, 2.25)[model::state::massage_relief], relief_end, 1e-13);
  EXPECT_NEAR(state_at_edge(fast, 6.0)[model::state::massage_relief], relief_later, 1e-13);
  EXPECT_NEAR(state_at_edge(fast, 6.25)[model::state::prolactin_release_drive], drive_end, 1e-13);

  const EdgeRecorder classical = integrate(sessions, 8.0, solver_options_with_tolerances(1e-3, 1e-5));
  const double classical_error =
      std::abs(state_at_edge(classical, 6.25)[model::state::prolactin_release_drive] - drive_end) +
      std::abs(state_at_edge(classical, 2.25)[model::state::massage_relief] - relief_end);
  EXPECT_GT(classical_error, 1e-9);
}

TEST(ExponentialStepper, MatchesTheTightReferenceOnShippedScenarios) {
  // Accuracy study (docs/performance.md): on the shipped scenarios the daily totals agree
  // to ~2e-6 relative at the default tolerances; 1e-4 leaves room for platform rounding
  // and still fails for any real defect (a wrong tableau weight gives ~1e-2).
  test::expect_shipped_scenarios_match_reference(
      exponential(), {.daily_milk = 1e-4, .onset_h = 0.01, .prl_peak = 0.01, .ot_peak = 0.01, .milk_synthesised = 1e-4});
}

TEST(ExponentialStepper, ConvergesToTheReferenceAcrossTheParameterBox) {
  // Random parameter sets inside every registered bound (log-uniform where the range spans
  // more than 20x); sets violating cross-parameter constraints are skipped. The worst daily
  // error over 140 sets was 5.5e-4 at rtol 1e-6 and 1.1e-5 at rtol 1e-8 (accuracy study):
  // the error must shrink with the tolerance and stay below 1e-4 at rtol 1e-8.
  const SimulationInput base = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  const auto errors = test::worst_daily_errors_over_parameter_box(base, exponential(), exponential(1e-8, 1e-10));
  ASSERT_GE(errors.compared, 20);
  EXPECT_LT(errors.second, 1e-4);
  EXPECT_LT(errors.second, errors.first);
  EXPECT_LT(errors.first, 5e-3);
}

TEST(ExponentialStepper, CoincidentProlactinRatesStayAccurate) {
  // When the release-drive and PRL clearance rates coincide the stepper cannot decouple the
  // 2x2 block (γ = β / (k_P − k_D) is undefined) and keeps the coupling in the remainder.
  // k_P = ln2 / 37 min; the drive's time constant 37 / ln2 min gives k_D = k_P exactly.
  SimulationInput input = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  input.parameters.prl_release_time_constant_min = input.parameters.prl_half_life_min / std::numbers::ln2;
  FastWorkspace workspace;
  const FastEndpoints reference = simulate_endpoints(input, test::tight_reference_solver(), workspace);
  const FastEndpoints fast = simulate_endpoints(input, exponential(), workspace);
  EXPECT_LT(test::worst_daily_relative_error(fast, reference), 1e-4);
  EXPECT_NEAR(fast.prl_peak_per_feed_ng_ml, reference.prl_peak_per_feed_ng_ml,
              0.01 * reference.prl_peak_per_feed_ng_ml);
}

TEST(ExponentialStepper, RemovesTheStabilityLimitOfTheClassicalStepper) {
  // Classical dopri5 is held to steps below ~3.3 / k_OT ≈ 0.24 h by the 3-min OT half-life
  // even between feeds (≥ 700 steps a week from that alone; ~3,600 in all). Integrating the
  // losses exactly removes that limit: at least 3x fewer steps on the seed case.
  const SimulationInput input = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  FastWorkspace workspace;
  const FastEndpoints classical = simulate_endpoints(input, SolverOptions{}, workspace);
  const FastEndpoints fast = simulate_endpoints(input, exponential(), workspace);
  const auto steps = [](const FastEndpoints& e) { return e.stats.accepted_steps + e.stats.rejected_steps; };
  EXPECT_LT(3 * steps(fast), steps(classical));
}

TEST(ExponentialStepper, SolverFlagSelectsItAndRejectsUnknownNames) {
  const auto dir = test::fresh_temp_dir("solver_flag");
  const std::string scenario = test::quoted(test::scenario_path("seed_case_massage.toml"));
  const auto ok = test::run_cli("run " + scenario + " -q --solver exponential --out " + test::quoted(dir));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const std::string summary = test::read_file(dir / "seed_case_massage" / "summary.json");
  EXPECT_NE(summary.find("\"solver\": \"exponential\""), std::string::npos) << "run metadata should name the solver";

  const auto bad = test::run_cli("sweep " + scenario + " --vary activation_rate_per_h=0.05:0.2 -n 2 --solver rk4");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--solver"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("rk4"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace lactsim
