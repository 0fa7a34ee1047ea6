// The solver interface (issue 13, item 2): the stimulus is an argument of the right-hand
// side, not state of the model, so one const model serves any number of concurrent runs; and
// every solver reports to one observer protocol (AcceptedInterval with its interpolant).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "lactsim/engine/fast_endpoints.hpp"
#include "lactsim/engine/simulation.hpp"
#include "lactsim/model/lactation_model.hpp"
#include "solvers/solver_interface.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

// The model has no stimulus of its own to set or read, and its right-hand side takes one.
template <class Model>
concept HasStimulusSetter = requires(Model& m, const model::Stimulus& s) { m.set_stimulus(s); };
template <class Model>
concept HasStimulusGetter = requires(const Model& m) { m.stimulus(); };
static_assert(!HasStimulusSetter<model::LactationModel>, "the stimulus is passed in, not set on the model");
static_assert(!HasStimulusGetter<model::LactationModel>, "the model holds no stimulus");
static_assert(std::is_invocable_v<const model::LactationModel&, const model::State&, model::State&, double,
                                  const model::Stimulus&>,
              "a const model evaluates dx/dt for the stimulus it is given");

/// The state at every segment edge, in order.
using EdgeStates = std::vector<std::pair<double, model::State>>;

struct EdgeRecorder final : SolverObserver {
  EdgeStates edges;
  void on_edge(double t, const model::State& x, const Segment*) override { edges.emplace_back(t, x); }
  void on_interval(const AcceptedInterval&) override {}
};

/// Integrates `segments` from the model's initial state with `method`, recording the edges.
EdgeStates integrate(const model::LactationModel& model, const std::vector<Segment>& segments, SolverMethod method) {
  model::State x = model.initial_state();
  EdgeRecorder observer;
  integrate_segments(model, segments, x, solver_options_with_tolerances(1e-6, 1e-8, method), observer);
  return observer.edges;
}

TEST(SolverInterface, OneConstModelSharedByTwoThreadsGivesTheResultsOfSeparateRuns) {
  // Two timelines with different stimuli at the same times (the massage scenario's feeds and
  // massages; the same feeds shifted by 1.5 h with pumping instead of massage), integrated
  // on one model at once. Were the stimulus state of the model, each run would integrate
  // stretches under the other's stimulus; passed in, both match the runs made one at a time.
  const SimulationInput input = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  const model::LactationModel model = make_model(input);
  const double lead_h = input.parameters.ot_conditioned_lead_min / 60.0;
  std::vector<Session> shifted;
  for (const Session& s : input.sessions) {
    const SessionKind kind = s.kind == SessionKind::massage ? SessionKind::pump : s.kind;
    if (s.end_h + 1.5 < input.horizon_h) shifted.push_back({kind, s.start_h + 1.5, s.end_h + 1.5});
  }
  const std::vector<Segment> first = build_segments(input.sessions, lead_h, input.horizon_h, model.pain().breakpoints_h());
  const std::vector<Segment> second = build_segments(shifted, lead_h, input.horizon_h, model.pain().breakpoints_h());

  for (const SolverMethod method : kSolverMethods) {
    const EdgeStates first_alone = integrate(model, first, method);
    const EdgeStates second_alone = integrate(model, second, method);
    ASSERT_NE(first_alone.back().second, second_alone.back().second) << "the timelines must differ";
    for (int round = 0; round < 3; ++round) {
      EdgeStates first_shared, second_shared;
      std::thread other([&] { second_shared = integrate(model, second, method); });
      first_shared = integrate(model, first, method);
      other.join();
      EXPECT_EQ(first_shared, first_alone) << solver_method_name(method);
      EXPECT_EQ(second_shared, second_alone) << solver_method_name(method);
    }
  }
}

/// One observer for every solver: the day totals at the day edges, the onset from the step
/// that crosses it, hourly states from the dense output and the first feed's peaks.
struct StudyRecorder final : SolverObserver {
  std::vector<double> milk_by_day_ml;
  std::optional<double> onset_h;
  std::vector<model::State> hourly;
  FeedPeaks first_feed;
  double first_feed_start_h = 0.0;
  double day_start_milk_ml = 0.0;

  void on_edge(double t, const model::State& x, const Segment*) override {
    if (t == 0.0) hourly.push_back(x);
    if (t > 0.0 && std::fmod(t, 24.0) == 0.0) {
      milk_by_day_ml.push_back(x[model::state::milk_transferred] - day_start_milk_ml);
      day_start_milk_ml = x[model::state::milk_transferred];
    }
  }
  void on_interval(const AcceptedInterval& s) override {
    if (!onset_h) onset_h = s.activation_crossing(kOnsetActivationThreshold);
    for (double t = static_cast<double>(hourly.size()); t <= s.t1; t += 1.0) {
      model::State x;
      s.state_at(t, x);
      hourly.push_back(x);
    }
    const double window_end_h = first_feed_start_h + kFeedResponseWindow_h;
    if (s.t1 > first_feed_start_h && s.t0 < window_end_h) s.raise_feed_peaks(window_end_h, first_feed);
  }
};

TEST(SolverInterface, OneObserverTypeGivesTheSameStudyWithEitherSolver) {
  // The same observer, compiled once, reads both solvers through AcceptedInterval: its day
  // totals, onset, hourly dense-output states and first-feed peaks agree between dopri5 and
  // cascade to the solvers' documented accuracy (docs/performance.md: daily milk ~1e-8, dense
  // output 5e-5 of the tight reference; CascadeSolver.MatchesTheTightReferenceOnShippedScenarios).
  const SimulationInput input = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  const model::LactationModel model = make_model(input);
  const std::vector<Segment> segments = build_segments(
      input.sessions, input.parameters.ot_conditioned_lead_min / 60.0, input.horizon_h, model.pain().breakpoints_h());
  double first_feed_h = input.horizon_h;
  for (const Session& s : input.sessions) {
    if (s.kind == SessionKind::feed) first_feed_h = std::min(first_feed_h, s.start_h);
  }
  StudyRecorder by_method[2];
  for (std::size_t m = 0; m < 2; ++m) {
    model::State x = model.initial_state();
    by_method[m].first_feed_start_h = first_feed_h;
    integrate_segments(model, segments, x, solver_options_with_tolerances(1e-6, 1e-8, kSolverMethods[m]),
                       by_method[m], {.dense_output = true});
  }
  const StudyRecorder& dopri5 = by_method[0];
  const StudyRecorder& cascade = by_method[1];
  ASSERT_EQ(dopri5.milk_by_day_ml.size(), 7u);
  ASSERT_EQ(cascade.milk_by_day_ml.size(), 7u);
  for (std::size_t d = 0; d < 7; ++d) {
    EXPECT_NEAR(cascade.milk_by_day_ml[d], dopri5.milk_by_day_ml[d], 1e-6 * dopri5.milk_by_day_ml[d]) << "day " << d + 1;
  }
  ASSERT_TRUE(dopri5.onset_h && cascade.onset_h);
  EXPECT_NEAR(*cascade.onset_h, *dopri5.onset_h, 1e-4 * *dopri5.onset_h);
  ASSERT_EQ(dopri5.hourly.size(), 169u);
  ASSERT_EQ(cascade.hourly.size(), 169u);
  for (std::size_t i = 0; i < dopri5.hourly.size(); ++i) {
    for (std::size_t k = 0; k < model::kStateCount; ++k) {
      const double want = dopri5.hourly[i][k];
      EXPECT_NEAR(cascade.hourly[i][k], want, 1e-4 * std::max(1e-3, std::abs(want))) << "hour " << i << ", state " << k;
    }
  }
  ASSERT_GT(dopri5.first_feed.prolactin_total_ng_ml, 0.0);
  EXPECT_NEAR(cascade.first_feed.prolactin_total_ng_ml, dopri5.first_feed.prolactin_total_ng_ml,
              1e-4 * dopri5.first_feed.prolactin_total_ng_ml);
  EXPECT_NEAR(cascade.first_feed.oxytocin_uU_ml, dopri5.first_feed.oxytocin_uU_ml,
              1e-4 * dopri5.first_feed.oxytocin_uU_ml);
}

TEST(SolverInterface, TheSegmentLoopSpendsTheStepBudgetTheSameWayForEverySolver) {
  // The one loop counts every try (accepted or rejected) against max_steps before making it:
  // a run fits a budget of exactly the tries it makes and fails, naming the budget, with one
  // fewer. Checked for each solver through simulate_endpoints.
  const SimulationInput input = to_simulation_input(test::load_shipped("seed_case_massage.toml"));
  FastWorkspace workspace;
  for (const SolverMethod method : kSolverMethods) {
    SolverOptions options = solver_options_with_tolerances(1e-6, 1e-8, method);
    const Endpoints free_run = simulate_endpoints(input, options, workspace);
    const std::size_t tries = free_run.stats.accepted_steps + free_run.stats.rejected_steps;
    ASSERT_GT(free_run.stats.rejected_steps, 0u) << solver_method_name(method) << ": no rejection to count";
    options.max_steps = tries;
    EXPECT_EQ(simulate_endpoints(input, options, workspace).milk_transferred_ml_by_day,
              free_run.milk_transferred_ml_by_day)
        << solver_method_name(method);
    options.max_steps = tries - 1;
    try {
      simulate_endpoints(input, options, workspace);
      ADD_FAILURE() << solver_method_name(method) << " ran past a budget of " << tries - 1 << " steps";
    } catch (const SimulationError& error) {
      EXPECT_NE(std::string(error.what()).find("step budget of " + std::to_string(tries - 1) + " steps exhausted"),
                std::string::npos)
          << error.what();
    }
  }
}

}  // namespace
}  // namespace lactsim
