// The solver interface (issue 13, item 2): the stimulus is an argument of the right-hand
// side, not state of the model, so one const model serves any number of concurrent runs.
#include <gtest/gtest.h>

#include <thread>
#include <utility>
#include <vector>

#include "lactsim/model/lactation_model.hpp"
#include "solvers/cascade_solver.hpp"
#include "solvers/integrator.hpp"
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

struct DopriEdges {
  EdgeStates edges;
  void on_edge(double t, const model::State& x, const Segment*) { edges.emplace_back(t, x); }
  void on_step(const StepView&) {}
};

struct CascadeEdges final : CascadeObserver {
  EdgeStates edges;
  void on_edge(double t, const model::State& x, const Segment*) override { edges.emplace_back(t, x); }
  void on_substep(const CascadeSubstepView&) override {}
};

/// Integrates `segments` from the model's initial state with `method`, recording the edges.
EdgeStates integrate(const model::LactationModel& model, const std::vector<Segment>& segments, SolverMethod method) {
  model::State x = model.initial_state();
  const SolverOptions options = solver_options_with_tolerances(1e-6, 1e-8, method);
  switch (method) {
    case SolverMethod::dormand_prince: {
      DopriEdges observer;
      integrate_segments(model, segments, x, options, observer);
      return observer.edges;
    }
    case SolverMethod::cascade: {
      CascadeEdges observer;
      integrate_segments_cascade(model, segments, x, options, observer);
      return observer.edges;
    }
  }
  return {};
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

}  // namespace
}  // namespace lactsim
