#pragma once
/// @file integrator.hpp
/// Edge-exact adaptive integration over segments of constant stimulus.
///
/// Each segment is integrated with an error-controlled Dormand–Prince 5(4) stepper
/// (Dormand & Prince 1980, J Comput Appl Math 6:19–26), Boost.Odeint's classical one (the
/// reference), truncating the last step so it lands exactly on the segment end: no step crosses a stimulus edge, and the FSAL
/// derivative is re-evaluated at each segment start where the right-hand side jumps.
/// The state is a std::array, so steps allocate nothing.

#include <array>
#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <span>
#include <string>

#include "lactsim/model/lactation_model.hpp"
#include "lactsim/model/state_info.hpp"
#include "lactsim/engine/errors.hpp"
#include "lactsim/engine/solver_options.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/engine/timeline.hpp"
#include "solvers/step_checks.hpp"

namespace lactsim {

struct StepView;

/// The stepper's continuous extension over the step it just accepted: output samples between
/// step ends come from it, so an output grid adds no segment edges and costs no steps.
class DenseOutput {
 public:
  /// The solution at time t in [s.t0, s.t1] of the accepted step `s`; valid only inside
  /// on_step (the next step overwrites what it uses).
  virtual void state_at(const StepView& s, double t, model::State& x) = 0;

 protected:
  ~DenseOutput() = default;
};

/// One accepted step, with the derivatives at both ends (for Hermite interpolation) and the
/// stepper's own dense output.
struct StepView {
  double t0, t1;
  const model::Stimulus& stimulus;  ///< the stimulus of the step's segment
  const model::State& x0;
  const model::State& dxdt0;
  const model::State& x1;
  const model::State& dxdt1;
  DenseOutput* dense_output = nullptr;  ///< the stepper's interpolant for this step (null: none)
};

/// Observer concept (all three members are required):
///  - `on_edge(double t, const model::State& x, const Segment* next)`: at t = 0 and every
///    segment end; `next` is the segment starting there (nullptr at the horizon).
///  - `on_step(const StepView&)`: after every accepted step.
struct NullObserver {
  void on_edge(double, const model::State&, const Segment*) {}
  void on_step(const StepView&) {}
};

/// Two observers as one: each sees every edge and step, `first` before `second`.
template <class First, class Second>
struct ObserverPair {
  First& first;
  Second& second;
  void on_edge(double t, const model::State& x, const Segment* next) {
    first.on_edge(t, x, next);
    second.on_edge(t, x, next);
  }
  void on_step(const StepView& s) {
    first.on_step(s);
    second.on_step(s);
  }
};

/// Boost.Odeint's controlled Dormand–Prince 5(4), behind the stepper interface the
/// segment loop uses.
class DormandPrinceStepper {
 public:
  /// A stepper for `model` (which must outlive it) with the tolerances of `options`.
  DormandPrinceStepper(const model::LactationModel& model, const SolverOptions& options)
      : model_(model),
        controlled_(boost::numeric::odeint::make_controlled(options.absolute_tolerance, options.relative_tolerance,
                                                            Stepper())) {}

  /// One error-controlled step from (t, x, dxdt) under `stimulus`: true and (x_new, dxdt_new)
  /// at the advanced t if accepted; `dt` becomes the controller's proposal for the next try
  /// either way.
  bool try_step(const model::Stimulus& stimulus, const model::State& x, const model::State& dxdt, double& t,
                model::State& x_new, model::State& dxdt_new, double& dt) {
    auto system = [this, &stimulus](const model::State& s, model::State& dsdt, double time) {
      model_(s, dsdt, time, stimulus);
    };
    return controlled_.try_step(system, x, dxdt, t, x_new, dxdt_new, dt) == boost::numeric::odeint::success;
  }

  /// Dormand–Prince's own fourth-order continuous extension (Boost.Odeint's calc_state, from
  /// the stages of the step just accepted): no extra right-hand-side evaluations.
  void state_at(const StepView& s, double t, model::State& x) {
    controlled_.stepper().calc_state(t, x, s.x0, s.dxdt0, s.t0, s.x1, s.dxdt1, s.t1);
  }

 private:
  using Stepper = boost::numeric::odeint::runge_kutta_dopri5<model::State>;
  const model::LactationModel& model_;
  boost::numeric::odeint::controlled_runge_kutta<Stepper> controlled_;
};

/// A stepper's state_at behind the DenseOutput interface the observers see.
template <class StepperType>
class StepperDenseOutput final : public DenseOutput {
 public:
  explicit StepperDenseOutput(StepperType& stepper) : stepper_(stepper) {}
  /// The stepper's continuous extension over `s`.
  void state_at(const StepView& s, double t, model::State& x) override { stepper_.state_at(s, t, x); }

 private:
  StepperType& stepper_;
};

/// The segment loop, for any stepper with DormandPrinceStepper's interface.
template <class StepperType, class Observer>
SolverStats integrate_segments_with(StepperType& stepper, const model::LactationModel& model,
                                    std::span<const Segment> segments, model::State& x, const SolverOptions& options,
                                    Observer& observer) {
  SolverStats stats;
  model::State dxdt{}, x_new{}, dxdt_new{};
  double dt = options.initial_step_h;
  if (segments.empty()) return stats;
  // Step size proposed after the first step of the last segment with the same stimulus: a feed starts
  // with a fast OT transient however long the gap before it was, so the gap's step size
  // would be rejected several times (~13% of steps were rejections before this).
  std::array<double, 16> first_step_by_stimulus{};
  StepperDenseOutput<StepperType> dense_output(stepper);
  observer.on_edge(segments.front().start_h, x, &segments.front());

  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    double t = segment.start_h;
    model(x, dxdt, t, segment.stimulus);  // the right-hand side jumps at an edge: FSAL value is stale
    const std::size_t kind = stimulus_kind(segment.stimulus);
    if (first_step_by_stimulus[kind] > 0.0) dt = first_step_by_stimulus[kind];
    bool first_step = true;
    while (t < segment.end_h) {
      check_step_budget(stats, options, t);
      const double remaining = segment.end_h - t;
      const bool lands_on_edge = std::min(dt, options.max_step_h) >= remaining;
      double step = lands_on_edge ? remaining : std::min(dt, options.max_step_h);
      double t_step = t;
      if (!stepper.try_step(segment.stimulus, x, dxdt, t_step, x_new, dxdt_new, step)) {
        ++stats.rejected_steps;
        dt = step;
        check_step_size(dt, options, t);
        continue;
      }
      ++stats.accepted_steps;
      // The controller's proposal after the first step: it grows while steps succeed easily.
      if (first_step && !lands_on_edge) first_step_by_stimulus[kind] = step;
      first_step = false;
      if (lands_on_edge) t_step = segment.end_h;  // exact landing despite rounding
      check_finite_state(x_new, t_step);
      observer.on_step(StepView{t, t_step, segment.stimulus, x, dxdt, x_new, dxdt_new, &dense_output});
      x = x_new;
      dxdt = dxdt_new;
      t = t_step;
      if (!lands_on_edge) dt = step;  // keep the pre-edge step size across a truncated step
    }
    observer.on_edge(segment.end_h, x, i + 1 < segments.size() ? &segments[i + 1] : nullptr);
  }
  return stats;
}

/// Integrates `x` from segments.front().start_h to segments.back().end_h with dopri5.
/// @throws SimulationError on a non-finite state, step-size underflow or an exhausted step budget
template <class Observer>
SolverStats integrate_segments(const model::LactationModel& model, std::span<const Segment> segments, model::State& x,
                               const SolverOptions& options, Observer& observer) {
  DormandPrinceStepper stepper(model, options);
  return integrate_segments_with(stepper, model, segments, x, options, observer);
}

}  // namespace lactsim
