// The integrator: edge-exact stepping, invariants, convergence, failure reporting.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/engine/endpoints.hpp"
#include "solvers/integrator.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace st = model::state;

const char* kScenarios[] = {"seed_case_massage.toml", "seed_case_control.toml", "reference_vaginal.toml",
                            "reference_caesarean.toml"};

/// Records every accepted step interval.
struct StepRecorder final : SolverObserver {
  std::vector<std::pair<double, double>> steps;
  void on_edge(double, const model::State&, const Segment*) override {}
  void on_interval(const AcceptedInterval& s) override { steps.emplace_back(s.t0, s.t1); }
};

TEST(Integrator, LandsExactlyOnEveryStimulusEdgeAndNeverStepsAcrossOne) {
  const Scenario scenario = test::load_shipped("seed_case_massage.toml");
  const SimulationInput input = to_simulation_input(scenario);
  const model::LactationModel model = make_model(input);
  const double lead_h = input.parameters.ot_conditioned_lead_min / 60.0;
  const auto segments = build_segments(input.sessions, lead_h, input.horizon_h, {});
  model::State x = model.initial_state();
  StepRecorder recorder;
  integrate_segments_dopri5(model, segments, x, SolverOptions{}, recorder);

  std::set<double> step_ends;
  for (const auto& [t0, t1] : recorder.steps) step_ends.insert(t1);
  std::vector<double> edges;
  for (const Session& s : input.sessions) {
    edges.push_back(s.start_h);
    edges.push_back(s.end_h);
    if (s.kind == SessionKind::feed) edges.push_back(s.start_h - lead_h);
  }
  ASSERT_EQ(edges.size(), 56u * 3 + 6u * 2);  // 56 feeds (with pre-feed edge) and 6 massages
  for (double edge : edges) {
    EXPECT_TRUE(step_ends.count(edge)) << "no step ends exactly at the edge " << edge << " h";
    for (const auto& [t0, t1] : recorder.steps) {
      ASSERT_FALSE(t0 < edge && edge < t1) << "step [" << t0 << ", " << t1 << "] crosses the edge " << edge;
    }
  }
}

TEST(Integrator, SegmentsCarryTheStimulusOfTheirSessions) {
  const std::vector<Session> sessions{{SessionKind::feed, 2.0, 2.25}, {SessionKind::massage, 2.1, 2.35}};
  const auto segments = build_segments(sessions, 5.0 / 60.0, 24.0, {});
  for (const Segment& s : segments) {
    const double mid = 0.5 * (s.start_h + s.end_h);
    EXPECT_EQ(s.stimulus.feeding, mid > 2.0 && mid < 2.25);
    EXPECT_EQ(s.stimulus.massage, mid > 2.1 && mid < 2.35);
    EXPECT_EQ(s.stimulus.pre_feed, mid > 2.0 - 5.0 / 60.0 && mid < 2.0);
    EXPECT_FALSE(s.stimulus.pumping);
  }
}

TEST(Invariants, MilkMassBalanceHoldsForEveryShippedScenarioAndForPumping) {
  std::vector<Scenario> scenarios;
  for (const char* file : kScenarios) scenarios.push_back(test::load_shipped(file));
  Scenario pumping = test::load_shipped("reference_caesarean.toml");
  pumping.sessions.push_back({{SessionKind::pump, 30.5, 30.75}, {}});
  pumping.sessions.push_back({{SessionKind::pump, 54.5, 54.75}, {}});
  scenarios.push_back(pumping);
  for (const Scenario& scenario : scenarios) {
    const RunResult r = test::run(scenario);
    const Endpoints e = r.endpoints;
    // synthesised = change in stored + transferred + expressed
    EXPECT_LT(e.mass_balance_relative_error, 1e-6) << scenario.name;
    double daily_sum = 0;
    for (const auto& d : r.daily) daily_sum += d.milk_synthesised_ml;
    EXPECT_NEAR(daily_sum, e.milk_synthesised_total_ml, 1e-9 * e.milk_synthesised_total_ml);
  }
  EXPECT_GT((test::run(pumping)).endpoints.milk_expressed_total_ml, 0.0);
}

TEST(Invariants, StatesStayInTheirPhysicalRanges) {
  for (const char* file : kScenarios) {
    const Scenario scenario = test::load_shipped(file);
    const RunResult r = test::run(scenario);
    const double capacity = scenario.parameters.milk_storage_capacity_ml;
    double last_transferred = 0;
    for (const auto& row : r.timeseries) {
      const auto& x = row.state;
      EXPECT_GE(x[st::oxytocin], 0.0);
      EXPECT_GE(x[st::prolactin_evoked], -1e-9);
      EXPECT_GE(x[st::activation], 0.0);
      EXPECT_LE(x[st::activation], 1.0);
      EXPECT_GE(x[st::milk_stored], -1e-9);
      EXPECT_LE(x[st::milk_stored], capacity + 1e-6);
      EXPECT_GE(x[st::massage_relief], 0.0);
      EXPECT_LE(x[st::massage_relief], 1.0);
      EXPECT_GE(row.derived.pain_nrs, 0.0);
      EXPECT_LE(row.derived.pain_nrs, 10.0);
      EXPECT_GE(x[st::milk_transferred], last_transferred) << "cumulative transfer must not decrease";
      last_transferred = x[st::milk_transferred];
    }
  }
}

TEST(Convergence, DefaultTolerancesAgreeWithATightReferenceRun) {
  const Scenario scenario = test::load_shipped("seed_case_massage.toml");
  RunOptions tight;
  tight.solver.relative_tolerance = 1e-11;
  tight.solver.absolute_tolerance = 1e-12;
  tight.output_step_h = 0;
  const Endpoints reference = (test::run(scenario, tight)).endpoints;
  const Endpoints fast = (test::run(scenario)).endpoints;
  ASSERT_EQ(reference.milk_transferred_ml_by_day.size(), fast.milk_transferred_ml_by_day.size());
  for (std::size_t d = 0; d < fast.milk_transferred_ml_by_day.size(); ++d) {
    EXPECT_NEAR(fast.milk_transferred_ml_by_day[d], reference.milk_transferred_ml_by_day[d],
                1e-4 * reference.milk_transferred_ml_by_day[d])
        << "day " << d + 1;
  }
  ASSERT_TRUE(reference.onset_h && fast.onset_h);
  EXPECT_NEAR(*fast.onset_h, *reference.onset_h, 1e-3);
}

TEST(Convergence, TimeseriesGridDoesNotChangeTheSolution) {
  // Output times are extra stops; the solution between them must not depend on them.
  const Scenario scenario = test::load_shipped("reference_vaginal.toml");
  RunOptions coarse, none;
  coarse.output_step_h = 1.0;
  none.output_step_h = 0.0;
  const Endpoints a = (test::run(scenario, coarse)).endpoints;
  const Endpoints b = (test::run(scenario, none)).endpoints;
  EXPECT_NEAR(a.milk_transferred_total_ml, b.milk_transferred_total_ml, 1e-4 * b.milk_transferred_total_ml);
}

TEST(Failures, AnExhaustedStepBudgetIsASimulationErrorNamingTheTime) {
  const Scenario scenario = test::load_shipped("seed_case_control.toml");
  RunOptions options;
  options.solver.max_steps = 50;
  try {
    test::run(scenario, options);
    FAIL() << "expected SimulationError";
  } catch (const SimulationError& error) {
    EXPECT_EQ(error.exit_code(), ExitCode::simulation_failure);
    EXPECT_GT(error.time_h(), 0.0);
    EXPECT_NE(std::string(error.what()).find("step budget"), std::string::npos);
  }
}

TEST(Determinism, SameInputsGiveIdenticalResults) {
  const Scenario scenario = test::load_shipped("seed_case_massage.toml");
  const RunResult a = test::run(scenario), b = test::run(scenario);
  ASSERT_EQ(a.timeseries.size(), b.timeseries.size());
  for (std::size_t i = 0; i < a.timeseries.size(); ++i) {
    EXPECT_EQ(a.timeseries[i].state, b.timeseries[i].state);
  }
}

}  // namespace
}  // namespace lactsim
