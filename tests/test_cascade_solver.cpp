// The cascade solver (--solver cascade) against independent oracles: exact integrals of
// polynomials and exponentials for its Chebyshev–Lobatto quadrature, closed-form solutions
// of the model's linear parts, and the classical Boost.Odeint path at tight tolerance (the
// reference path). Bounds come from docs/performance.md's accuracy study, stated per test.

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <filesystem>
#include <random>
#include <sstream>
#include <utility>

#include "lactsim/model/parameter_registry.hpp"
#include "solvers/cascade_solver.hpp"
#include "solvers/chebyshev_lobatto.hpp"
#include "lactsim/engine/fast_endpoints.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

SolverOptions cascade(double rtol = 1e-6, double atol = 1e-8) {
  return solver_options_with_tolerances(rtol, atol, SolverMethod::cascade);
}

/// Calls check.template operator()<N>() for every degree N of the cascade solver's ladder.
template <class Check, std::size_t... I>
void for_each_ladder_degree(Check check, std::index_sequence<I...>) {
  (check.template operator()<kCascadeDegrees[I]>(), ...);
}
template <class Check>
void for_each_ladder_degree(Check check) {
  for_each_ladder_degree(check, std::make_index_sequence<kCascadeDegrees.size()>{});
}

TEST(ChebyshevLobatto, IntegratesPolynomialsUpToItsDegreeExactly) {
  // ∫_0^{x} s^k ds = x^{k+1}/(k+1) at every point, for k = 0..N (the interpolant is exact).
  for_each_ladder_degree([]<int N>() {
    using Chebyshev = ChebyshevLobatto<N>;
    const Chebyshev& c = Chebyshev::get();
    EXPECT_EQ(c.node.front(), 0.0);
    EXPECT_EQ(c.node.back(), 1.0);
    for (int k = 0; k <= N; ++k) {
      typename Chebyshev::Values f{}, integral{};
      for (int j = 0; j <= N; ++j) f[j] = std::pow(c.node[j], k);
      Chebyshev::integrate(c, f, 2.0, integral);  // length 2 scales the integral
      for (int i = 0; i <= N; ++i) {
        EXPECT_NEAR(integral[i], 2.0 * std::pow(c.node[i], k + 1) / (k + 1), 1e-14) << "N=" << N << " k=" << k;
      }
      EXPECT_NEAR(Chebyshev::integrate_all(c, f, 1.0), 1.0 / (k + 1), 1e-14) << "N=" << N;
      // The interpolant reproduces the polynomial between the points too, with its slope
      // and curvature.
      EXPECT_NEAR(Chebyshev::interpolate(c, f, 0.3141), std::pow(0.3141, k), 1e-13) << "N=" << N;
      typename Chebyshev::Values a{};
      Chebyshev::coefficients(c, f, a);
      const auto taylor = Chebyshev::evaluate(a, 0.3141);
      EXPECT_NEAR(taylor.value, std::pow(0.3141, k), 1e-13) << "N=" << N << " k=" << k;
      EXPECT_NEAR(Chebyshev::value(a, 0.3141), std::pow(0.3141, k), 1e-13) << "N=" << N << " k=" << k;
      EXPECT_NEAR(taylor.slope, k * std::pow(0.3141, k - 1), 1e-11) << "N=" << N << " k=" << k;
      EXPECT_NEAR(taylor.curvature, k * (k - 1) * std::pow(0.3141, k - 2), 1e-9) << "N=" << N << " k=" << k;
      // Its top coefficients vanish below degree N − 1: the resolution test sees no error.
      if (k < N - 1) {
        EXPECT_LT(Chebyshev::resolution_error(c, f), 1e-14) << "N=" << N << " k=" << k;
      }
    }
  });
}

TEST(ChebyshevLobatto, ResolutionErrorTracksTheTrueErrorOfATransient) {
  // e^{−κx}: the quadrature error grows with κ and the resolution estimate grows with it,
  // staying above the true error of the integral (it is the step-rejection criterion).
  for_each_ladder_degree([]<int N>() {
    using Chebyshev = ChebyshevLobatto<N>;
    const Chebyshev& c = Chebyshev::get();
    double previous_estimate = 0.0;
    for (double kappa : {2.0, 8.0, 32.0}) {
      typename Chebyshev::Values f{};
      for (int j = 0; j <= N; ++j) f[j] = std::exp(-kappa * c.node[j]);
      const double exact = (1.0 - std::exp(-kappa)) / kappa;
      const double error = std::abs(Chebyshev::integrate_all(c, f, 1.0) - exact);
      const double estimate = Chebyshev::resolution_error(c, f) / N;
      // (Above the true error, or both at rounding: high degrees resolve e^{−2x} fully.)
      EXPECT_GT(estimate + 1e-15, error) << "N=" << N << " kappa=" << kappa;
      EXPECT_GT(estimate, previous_estimate) << "N=" << N << " kappa=" << kappa;
      previous_estimate = estimate;
    }
  });
}

TEST(CascadeSolver, FindsPeaksAndCrossingsOfItsInterpolantsToRounding) {
  // Oracles: 2 − (x − 0.37)² + 0.1 (x − 0.37)³ peaks at x = 0.37 with value 2 (the cubic
  // term has zero slope there and lowers no nearby value below 2 − O(δ²)); 3x³ + x − 0.5
  // is increasing with its zero at the root of a cubic, checked by substitution.
  for (const int degree : kCascadeDegrees) {
    std::vector<double> peaked, rising;
    for (int j = 0; j <= degree; ++j) {
      const double x = 0.5 * (1.0 - std::cos(std::numbers::pi * j / degree));
      const double d = x - 0.37;
      peaked.push_back(2.0 - d * d + 0.1 * d * d * d);
      rising.push_back(3.0 * x * x * x + x - 0.5);
    }
    EXPECT_NEAR(cascade_maximum(peaked, 0.2, 0.6), 2.0, 1e-14) << "degree " << degree;
    // A bracket that excludes the peak: the larger end.
    const double at_half = 2.0 - 0.13 * 0.13 + 0.1 * 0.13 * 0.13 * 0.13;
    EXPECT_NEAR(cascade_maximum(peaked, 0.5, 0.9), at_half, 1e-13) << "degree " << degree;
    const double root = cascade_increasing_root(rising);
    EXPECT_NEAR(3.0 * root * root * root + root - 0.5, 0.0, 1e-13) << "degree " << degree;
    EXPECT_NEAR(cascade_interpolate(rising, root), 0.0, 1e-13) << "degree " << degree;
  }
}

/// Records the state at every segment edge.
struct EdgeStates final : SolverObserver {
  std::vector<std::pair<double, model::State>> edges;
  void on_edge(double t, const model::State& x, const Segment*) override { edges.emplace_back(t, x); }
  void on_interval(const AcceptedInterval&) override {}
  model::State at(double t) const {
    for (const auto& [time, x] : edges) {
      if (std::abs(time - t) < 1e-12) return x;
    }
    ADD_FAILURE() << "no edge at t = " << t;
    return {};
  }
};

TEST(CascadeSolver, LinearPartsFollowTheirClosedFormsAtAnyTolerance) {
  // Relief, the release drive and OT after a feed (constant target) are closed forms in the
  // solver, so even rtol 1e-3 reproduces r = 1 − e^{−k_on t}, r·e^{−k_off t},
  // D = 1 − e^{−k_D t} and OT = basal + (OT_end − basal) e^{−k_OT t} to rounding.
  SimulationInput input = to_simulation_input(test::load_shipped("seed_case_control.toml"));
  input.sessions = {{SessionKind::massage, 2.0, 2.25}, {SessionKind::feed, 6.0, 6.25}};
  input.horizon_h = 8.0;
  const model::ModelParameters& p = input.parameters;
  const model::LactationModel model = make_model(input);
  const auto segments =
      build_segments(input.sessions, p.ot_conditioned_lead_min / 60.0, input.horizon_h, model.pain().breakpoints_h());
  model::State x = model.initial_state();
  EdgeStates edges;
  integrate_segments_cascade(model, segments, x, cascade(1e-3, 1e-5), edges);

  const double k_on = 60.0 / p.massage_relief_onset_min, k_off = std::numbers::ln2 / p.massage_relief_half_life_h;
  const double k_drive = 60.0 / p.prl_release_time_constant_min, k_ot = std::numbers::ln2 / (p.ot_half_life_min / 60.0);
  const double relief_end = 1.0 - std::exp(-k_on * 0.25);
  namespace st = model::state;
  EXPECT_NEAR(edges.at(2.25)[st::massage_relief], relief_end, 1e-13);
  EXPECT_NEAR(edges.at(6.0)[st::massage_relief], relief_end * std::exp(-k_off * 3.75), 1e-13);
  EXPECT_NEAR(edges.at(6.25)[st::prolactin_release_drive], 1.0 - std::exp(-k_drive * 0.25), 1e-13);
  const double ot_feed_end = edges.at(6.25)[st::oxytocin];
  EXPECT_NEAR(edges.at(8.0)[st::oxytocin], p.ot_basal_uU_ml + (ot_feed_end - p.ot_basal_uU_ml) * std::exp(-k_ot * 1.75),
              1e-12);
}

TEST(CascadeSolver, MatchesTheTightReferenceOnShippedScenarios) {
  // Accuracy study (docs/performance.md): daily totals agree to ~1e-8 relative at the
  // default tolerances (dopri5 itself: ~6e-8). The bounds leave two orders of magnitude
  // for platform rounding; a wrong quadrature weight or closed form gives > 1e-3.
  test::expect_shipped_scenarios_match_reference(
      cascade(), {.daily_milk = 1e-6, .onset_h = 1e-4, .prl_peak = 1e-4, .ot_peak = 1e-6, .milk_synthesised = 1e-6});
}

TEST(CascadeSolver, PumpingAndCoincidentProlactinRatesStayAccurate) {
  // Pump sessions take the removal-to-pump branch; a release-drive time constant of
  // t½/ln2 makes k_D = k_P exactly, where the closed form's coupling term is τ e^{−kτ}.
  SimulationInput input = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  for (double start = 10.5; start < input.horizon_h; start += 24.0) {
    input.sessions.push_back({SessionKind::pump, start, start + 0.25});
  }
  input.parameters.prl_release_time_constant_min = input.parameters.prl_half_life_min / std::numbers::ln2;
  FastWorkspace workspace;
  const Endpoints reference = simulate_endpoints(input, test::tight_reference_solver(), workspace);
  const Endpoints fast = simulate_endpoints(input, cascade(), workspace);
  ASSERT_GT(reference.milk_expressed_total_ml, 1.0);
  EXPECT_NEAR(fast.milk_expressed_total_ml, reference.milk_expressed_total_ml,
              1e-6 * reference.milk_expressed_total_ml);
  EXPECT_LT(test::worst_daily_relative_error(fast, reference), 1e-6);
  EXPECT_NEAR(fast.prl_peak_per_feed_ng_ml, reference.prl_peak_per_feed_ng_ml,
              1e-4 * reference.prl_peak_per_feed_ng_ml);
}

TEST(CascadeSolver, ConvergesToTheReferenceAcrossTheParameterBox) {
  // Random parameter sets inside every registered bound (as in the accuracy study): the
  // solver must complete every set, and its error must shrink as the tolerance tightens.
  const SimulationInput base = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  const auto errors = test::worst_daily_errors_over_parameter_box(base, cascade(), cascade(1e-4, 1e-6));
  ASSERT_GE(errors.compared, 20);
  EXPECT_LT(errors.first, 1e-5);
  EXPECT_LE(errors.first, errors.second);
}

TEST(CascadeSolver, RemovesTheStabilityLimitOfTheClassicalStepper) {
  // Classical dopri5 is held to steps below ~3.3 / k_OT ≈ 0.24 h by the 3-min OT half-life
  // even between feeds (~3,600 steps a week); a whole feed or gap is usually one cascade
  // substep: the seed case takes ~210 substeps (with rejections) for 188 segments. (The
  // removed exponential stepper, which integrated the losses exactly, took 695.)
  const SimulationInput input = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  FastWorkspace workspace;
  const auto steps = [](const Endpoints& e) { return e.stats.accepted_steps + e.stats.rejected_steps; };
  const Endpoints fast = simulate_endpoints(input, cascade(), workspace);
  const Endpoints classical = simulate_endpoints(input, solver_options_with_tolerances(1e-6, 1e-8), workspace);
  EXPECT_LT(steps(fast) * 10, steps(classical));
}

TEST(CascadeSolver, UsesFewerPointsOnPreFeedLeadsThanOnFeeds) {
  // The degree ladder: a 5-min pre-feed lead (smooth, no removal) is resolved by a low
  // degree, while a feed (the ejection gate opening) needs a high one. Compare the points
  // per substep each kind ends up with in the seed case, after the first day.
  const SimulationInput input = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  const model::LactationModel model = make_model(input);
  const auto segments = build_segments(input.sessions, input.parameters.ot_conditioned_lead_min / 60.0,
                                       input.horizon_h, model.pain().breakpoints_h());
  struct PointsByKind final : SolverObserver {
    const Segment* current = nullptr;
    std::size_t most_lead = 0, fewest_feed = 1000;
    void on_edge(double, const model::State&, const Segment* next) override { current = next; }
    void on_interval(const AcceptedInterval& interval) override {
      const auto& s = dynamic_cast<const CascadeInterval&>(interval);
      if (s.t0 < 24.0) return;
      if (current->stimulus.feeding) fewest_feed = std::min(fewest_feed, s.node.size());
      if (current->stimulus.pre_feed && !current->stimulus.feeding) most_lead = std::max(most_lead, s.node.size());
    }
  } points;
  model::State x = model.initial_state();
  integrate_segments_cascade(model, segments, x, cascade(), points);
  ASSERT_GT(points.most_lead, 0u);
  EXPECT_LT(points.most_lead, points.fewest_feed);
}

TEST(CascadeSolver, CachesKeptBetweenSimulationsNeverChangeResults) {
  // A sweep thread's workspace keeps the node exponentials while the model's rates are
  // unchanged and empties them when one differs. A sequence that changes a rate (OT
  // half-life), returns to the first set and then changes a non-rate parameter must give,
  // bit for bit, what each set gives in a fresh workspace.
  const SimulationInput base = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  SimulationInput other_rate = base, other_pain = base;
  other_rate.parameters.ot_half_life_min *= 1.5;
  other_pain.parameters.pain_peak_nrs -= 2.0;
  FastWorkspace shared;
  const std::vector<const SimulationInput*> sequence = {&base, &other_rate, &base, &other_pain, &other_pain};
  for (const SimulationInput* input : sequence) {
    FastWorkspace fresh;
    const Endpoints reused = simulate_endpoints(*input, cascade(), shared);
    const Endpoints alone = simulate_endpoints(*input, cascade(), fresh);
    EXPECT_EQ(reused.milk_transferred_ml_by_day, alone.milk_transferred_ml_by_day);
    EXPECT_EQ(reused.onset_h, alone.onset_h);
    EXPECT_EQ(reused.prl_peak_per_feed_ng_ml, alone.prl_peak_per_feed_ng_ml);
    EXPECT_EQ(reused.ot_peak_per_feed_uU_ml, alone.ot_peak_per_feed_uU_ml);
    EXPECT_EQ(reused.milk_synthesised_total_ml, alone.milk_synthesised_total_ml);
    EXPECT_EQ(reused.stats.accepted_steps, alone.stats.accepted_steps);
  }
}

TEST(CascadeSolver, WorksForRunsAndSweeps) {
  // With its dense output (the Chebyshev interpolants of every state) the cascade solver also
  // runs `lactsim run`, timeseries included; it was refused there (exit 2) before.
  const auto dir = test::fresh_temp_dir("cascade_cli");
  const std::string scenario = test::quoted(test::scenario_path("seed_case_massage.toml"));
  const auto run = test::run_cli("run " + scenario + " -q --solver cascade --out " + test::quoted(dir / "run"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(test::read_file(dir / "run" / "seed_case_massage" / "summary.json").find("\"solver\": \"cascade\""),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir / "run" / "seed_case_massage" / "timeseries.csv"));
  EXPECT_TRUE(std::filesystem::exists(dir / "run" / "seed_case_massage" / "daily.csv"));

  const std::string sweep = "sweep " + scenario + " --vary activation_rate_per_h=0.05:0.2 -n 4 -j 1 -q --out ";
  const auto fast = test::run_cli(sweep + test::quoted(dir / "cascade.csv") + " --solver cascade");
  ASSERT_EQ(fast.exit_code, 0) << fast.err;
  const auto reference = test::run_cli(sweep + test::quoted(dir / "dopri5.csv"));
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  const std::string a = test::read_file(dir / "cascade.csv"), b = test::read_file(dir / "dopri5.csv");
  // Same rows; values agree to the printed precision's last digits only, so compare the
  // day-3 column numerically.
  auto column = [](const std::string& csv, const std::string& name) {
    std::vector<double> values;
    std::istringstream lines(csv);
    std::string line;
    std::getline(lines, line);
    std::size_t index = 0, position = 0;
    for (std::size_t comma; (comma = line.find(',', position)) != std::string::npos; position = comma + 1, ++index) {
      if (line.substr(position, comma - position) == name) break;
    }
    while (std::getline(lines, line)) {
      std::istringstream fields(line);
      std::string field;
      for (std::size_t i = 0; i <= index; ++i) std::getline(fields, field, ',');
      values.push_back(std::stod(field));
    }
    return values;
  };
  const auto day3_fast = column(a, "milk_day3_ml"), day3_reference = column(b, "milk_day3_ml");
  ASSERT_EQ(day3_fast.size(), 4u);
  ASSERT_EQ(day3_reference.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(day3_fast[i], day3_reference[i], 1e-6 * day3_reference[i]);
}

}  // namespace
}  // namespace lactsim
