#pragma once
/// @file integrator.hpp
/// The reference solver: Boost.Odeint's error-controlled Dormand–Prince 5(4) stepper
/// (Dormand & Prince 1980, J Comput Appl Math 6:19–26) behind the segment loop of
/// solver_interface.hpp, which truncates the last step of each segment so it lands exactly
/// on the segment end: no step crosses a stimulus edge, and the FSAL derivative is
/// re-evaluated at each segment start where the right-hand side jumps. The state is a
/// std::array, so steps allocate nothing.

#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <optional>
#include <span>

#include "lactsim/engine/solver_options.hpp"
#include "lactsim/engine/timeline.hpp"
#include "lactsim/model/lactation_model.hpp"
#include "lactsim/model/state_info.hpp"
#include "solvers/solver_interface.hpp"
#include "solvers/step_curves.hpp"
#include "solvers/step_interpolation.hpp"

namespace lactsim {

/// Boost.Odeint's controlled Dormand–Prince 5(4), a stepper for integrate_segments_with.
class DormandPrinceStepper {
 public:
  /// The step size the controller proposed after the first step of the last segment with the
  /// same stimulus (0: none yet). A feed starts with a fast OT transient however long the gap
  /// before it was, so the gap's step size would be rejected several times (~13% of steps
  /// were rejections before this).
  using Memory = double;

  /// A stepper for `model` (which must outlive it) with the tolerances of `options`.
  DormandPrinceStepper(const model::LactationModel& model, const SolverOptions& options)
      : model_(model),
        options_(options),
        controlled_(boost::numeric::odeint::make_controlled(options.absolute_tolerance, options.relative_tolerance,
                                                            Stepper())),
        dt_(options.initial_step_h) {}

  /// Re-evaluates the derivative at the segment start and takes the kind's remembered step size.
  void begin_segment(const Segment& segment, const model::State& x, Memory& memory) {
    model_(x, dxdt_, segment.start_h, segment.stimulus);  // the right-hand side jumps at an edge: FSAL value is stale
    if (memory > 0.0) dt_ = memory;
    memory_ = &memory;
    stimulus_ = &segment.stimulus;
    first_step_ = true;
  }

  /// The controller's proposal, at most max_step_h, truncated to land on the segment end.
  StepTrial next_trial(double t, const Segment& segment) const {
    const double remaining = segment.end_h - t;
    const double step = std::min(dt_, options_.max_step_h);
    return step >= remaining ? StepTrial{remaining, true} : StepTrial{step, false};
  }

  /// One error-controlled step of length trial.h from (t, x); the controller's proposal for
  /// the next try is kept either way.
  bool try_step(const Segment& segment, double t, const StepTrial& trial, const model::State& x) {
    const model::Stimulus& stimulus = segment.stimulus;
    auto system = [this, &stimulus](const model::State& s, model::State& dsdt, double time) {
      model_(s, dsdt, time, stimulus);
    };
    t_new_ = t;
    proposal_ = trial.h;
    return controlled_.try_step(system, x, dxdt_, t_new_, x_new_, dxdt_new_, proposal_) ==
           boost::numeric::odeint::success;
  }

  /// Takes the controller's smaller proposal after a rejection.
  std::optional<double> after_rejection() {
    dt_ = proposal_;
    return dt_;
  }

  /// End time of the accepted step (t + h, before exact landing).
  double accepted_end() const { return t_new_; }
  /// State at the accepted step's end.
  const model::State& accepted_state() const { return x_new_; }

  /// The accepted step as the observers see it.
  class Interval;
  Interval accepted_interval(double t0, double t1, const model::State& x0);

  /// Moves to the accepted step's end and keeps the controller's proposal for the next one.
  void advance(model::State& x, const StepTrial& trial) {
    // The controller's proposal after the first step: it grows while steps succeed easily.
    if (first_step_ && !trial.lands_on_edge) *memory_ = proposal_;
    first_step_ = false;
    x = x_new_;
    dxdt_ = dxdt_new_;
    if (!trial.lands_on_edge) dt_ = proposal_;  // keep the pre-edge step size across a truncated step
  }

  /// Nothing to do: the memory was written after the segment's first step.
  void end_segment(Memory&) const {}

 private:
  using Stepper = boost::numeric::odeint::runge_kutta_dopri5<model::State>;
  const model::LactationModel& model_;
  const SolverOptions& options_;
  boost::numeric::odeint::controlled_runge_kutta<Stepper> controlled_;
  double dt_;                 ///< the next trial step before truncation at an edge, h
  double proposal_ = 0.0;     ///< the controller's proposal after the last try, h
  double t_new_ = 0.0;        ///< end of the last try, h
  model::State dxdt_{}, x_new_{}, dxdt_new_{};
  Memory* memory_ = nullptr;  ///< the current segment's stimulus kind's memory
  const model::Stimulus* stimulus_ = nullptr;  ///< the current segment's stimulus
  bool first_step_ = true;
};

/// A dopri5 step, with the derivatives at both ends (Hermite interpolation, the step curves)
/// and the stepper's own continuous extension.
class DormandPrinceStepper::Interval final : public AcceptedInterval {
 public:
  Interval(DormandPrinceStepper& stepper, double start_h, double end_h, const model::Stimulus& step_stimulus,
           const model::State& start, const model::State& start_slope, const model::State& end,
           const model::State& end_slope)
      : AcceptedInterval(start_h, end_h, step_stimulus, start, end),
        dxdt0(start_slope),
        dxdt1(end_slope),
        stepper_(stepper) {}

  const model::State& dxdt0;  ///< dx/dt at t0
  const model::State& dxdt1;  ///< dx/dt at t1

  /// Dormand–Prince's own fourth-order continuous extension (Boost.Odeint's calc_state, from
  /// the stages of the step just accepted): no extra right-hand-side evaluations.
  void state_at(double t, model::State& x) const override {
    stepper_.controlled_.stepper().calc_state(t, x, x0, dxdt0, t0, x1, dxdt1, t1);
  }

  /// The cubic Hermite interpolant's upward crossing (bisection to 1e-10 h).
  std::optional<double> activation_crossing(double threshold) const override {
    return upward_crossing_time(*this, model::state::activation, threshold);
  }

  /// Peaks at the step ends inside the window; inside the step, a PRL maximum (P' > 0 at the
  /// start, < 0 at the end) and the values at the window's end when the step crosses it, from
  /// the closed-form StepCurves.
  void raise_feed_peaks(double window_end_h, FeedPeaks& peaks) const override {
    namespace st = model::state;
    const model::LactationModel& model = stepper_.model_;
    // The window starts at this step's start when OT left over from a massage is still
    // falling at the feed's start: that value is the peak.
    peaks.oxytocin_uU_ml = std::max(peaks.oxytocin_uU_ml, x0[st::oxytocin]);
    if (t1 <= window_end_h) {
      peaks.oxytocin_uU_ml = std::max(peaks.oxytocin_uU_ml, x1[st::oxytocin]);
      peaks.prolactin_total_ng_ml =
          std::max(peaks.prolactin_total_ng_ml, model.prolactin_basal_ng_ml(t1) + x1[st::prolactin_evoked]);
    }
    const bool crosses_end = t1 > window_end_h;
    const double tau_end = (crosses_end ? window_end_h : t1) - t0;
    const bool prl_turns = dxdt0[st::prolactin_evoked] > 0.0 && dxdt1[st::prolactin_evoked] < 0.0;
    if (!crosses_end && !prl_turns) return;
    const StepCurves curves(model, stimulus, t0, t1 - t0, x0, dxdt0, x1);
    if (crosses_end) peaks.oxytocin_uU_ml = std::max(peaks.oxytocin_uU_ml, curves.ot(tau_end));
    const double basal = model.prolactin_basal_ng_ml(t0);  // changes < 1 ng/mL/h
    peaks.prolactin_total_ng_ml = std::max(peaks.prolactin_total_ng_ml, basal + curves.evoked_maximum(tau_end));
  }

 private:
  DormandPrinceStepper& stepper_;  // calc_state (the continuous extension) is not const
};

inline DormandPrinceStepper::Interval DormandPrinceStepper::accepted_interval(double t0, double t1,
                                                                               const model::State& x0) {
  return Interval(*this, t0, t1, *stimulus_, x0, dxdt_, x_new_, dxdt_new_);
}

/// Integrates `x` from segments.front().start_h to segments.back().end_h with dopri5
/// (integrate_segments() picks it for SolverMethod::dormand_prince).
/// @throws SimulationError on a non-finite state, step-size underflow or an exhausted step budget
inline SolverStats integrate_segments_dopri5(const model::LactationModel& model, std::span<const Segment> segments,
                                            model::State& x, const SolverOptions& options, SolverObserver& observer) {
  DormandPrinceStepper stepper(model, options);
  return integrate_segments_with(stepper, segments, x, options, observer);
}

}  // namespace lactsim
