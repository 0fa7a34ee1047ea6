#pragma once
/// @file solver_interface.hpp
/// The one interface every solver is used through: the observer protocol (each accepted
/// interval with its interpolant, and the segment edges), the segment loop that drives any
/// stepper, and integrate_segments(), which picks the solver named in the options.
///
/// The loop is written once for all steppers: step budget, step floor, non-finite check,
/// per-stimulus memory and exact landing on segment edges. What differs between solvers
/// (how a step is tried, how its error is controlled, how it interpolates) is the stepper's.

#include <array>
#include <cstddef>
#include <optional>
#include <span>

#include "lactsim/engine/cascade_caches.hpp"
#include "lactsim/engine/solver_options.hpp"
#include "lactsim/engine/timeline.hpp"
#include "lactsim/model/lactation_model.hpp"
#include "solvers/step_checks.hpp"

namespace lactsim {

/// Running maxima of plasma OT (µU/mL) and total PRL (ng/mL) in a feed-response window.
struct FeedPeaks {
  double oxytocin_uU_ml = 0.0;
  double prolactin_total_ng_ml = 0.0;
};

/// One accepted step [t0, t1] of a segment, as a solver reports it: its ends and stimulus,
/// and the solver's interpolant between them. Valid only during SolverObserver::on_interval
/// (the next step overwrites what it refers to).
class AcceptedInterval {
 public:
  double t0;                        ///< start, h after birth
  double t1;                        ///< end, h after birth (a segment end exactly when the step lands on it)
  const model::Stimulus& stimulus;  ///< the stimulus of the step's segment
  const model::State& x0;           ///< state at t0
  const model::State& x1;           ///< state at t1

  /// The state at t in [t0, t1] from the solver's dense output (dopri5: its continuous
  /// extension; cascade: its Chebyshev interpolants, present when the run asked for dense output).
  virtual void state_at(double t, model::State& x) const = 0;

  /// The first time in the interval at which activation reaches `threshold` from below, or
  /// nothing when the interval ends below it (or starts at or above it).
  virtual std::optional<double> activation_crossing(double threshold) const = 0;

  /// Raises `peaks` to the largest OT and total PRL on [t0, min(t1, window_end_h)] (t0 is
  /// before window_end_h), each solver's way: dopri5 from its step ends and closed-form curves
  /// of the linear part; cascade from its Chebyshev interpolants.
  virtual void raise_feed_peaks(double window_end_h, FeedPeaks& peaks) const = 0;

 protected:
  AcceptedInterval(double start_h, double end_h, const model::Stimulus& step_stimulus, const model::State& start,
                   const model::State& end)
      : t0(start_h), t1(end_h), stimulus(step_stimulus), x0(start), x1(end) {}
  AcceptedInterval(const AcceptedInterval&) = default;
  ~AcceptedInterval() = default;
};

/// Receives a solver's results (the same protocol for every solver).
class SolverObserver {
 public:
  /// At the first segment's start and every segment end; `next` is the segment starting
  /// there (nullptr at the horizon).
  virtual void on_edge(double t, const model::State& x, const Segment* next) = 0;
  /// After every accepted step.
  virtual void on_interval(const AcceptedInterval& interval) = 0;

 protected:
  ~SolverObserver() = default;
};

/// Two observers as one: each sees every edge and step, `first` before `second`.
class ObserverPair final : public SolverObserver {
 public:
  ObserverPair(SolverObserver& first, SolverObserver& second) : first_(first), second_(second) {}
  void on_edge(double t, const model::State& x, const Segment* next) override {
    first_.on_edge(t, x, next);
    second_.on_edge(t, x, next);
  }
  void on_interval(const AcceptedInterval& interval) override {
    first_.on_interval(interval);
    second_.on_interval(interval);
  }

 private:
  SolverObserver& first_;
  SolverObserver& second_;
};

/// The next step a stepper will try: its length and whether it ends the segment.
struct StepTrial {
  double h;
  bool lands_on_edge;
};

/// Number of distinct stimuli (stimulus_kind values): the per-stimulus memory's size.
inline constexpr std::size_t kStimulusKinds = 16;

/// The segment loop, for any stepper with this interface (DormandPrinceStepper in
/// integrator.hpp, CascadeLadderStepper in cascade_solver.cpp):
///  - `Memory`: what the stepper remembers per stimulus kind between segments (value-initialised);
///  - `begin_segment(segment, x, memory)`: before a segment's first step (the right-hand side
///    jumps at an edge);
///  - `next_trial(t, segment) -> StepTrial`: the step to try from t;
///  - `try_step(segment, t, trial, x) -> bool`: computes the step from (t, x); true if its
///    error estimate accepts it;
///  - `after_rejection() -> std::optional<double>`: adapts after a rejection; the next trial
///    step's length when it shrank (checked against the floor);
///  - `accepted_end() / accepted_state()`: the accepted step's end time and state;
///  - `accepted_interval(t0, t1, x0)`: the AcceptedInterval for the observer;
///  - `advance(x, trial)`: moves to the accepted step's end (x becomes its state);
///  - `end_segment(memory)`: after a segment's last step.
/// @throws SimulationError on a non-finite state, step-size underflow or an exhausted step budget
template <class Stepper>
SolverStats integrate_segments_with(Stepper& stepper, std::span<const Segment> segments, model::State& x,
                                    const SolverOptions& options, SolverObserver& observer) {
  SolverStats stats;
  if (segments.empty()) return stats;
  // Each stimulus kind's memory: feeds look alike, and so do gaps, so what the last segment of
  // a kind needed (first step size, polynomial degree) is the best first guess for the next.
  std::array<typename Stepper::Memory, kStimulusKinds> memory_by_kind{};
  observer.on_edge(segments.front().start_h, x, &segments.front());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& segment = segments[i];
    typename Stepper::Memory& memory = memory_by_kind[stimulus_kind(segment.stimulus)];
    stepper.begin_segment(segment, x, memory);
    double t = segment.start_h;
    for (bool landed = false; !landed;) {
      check_step_budget(stats, options, t);
      const StepTrial trial = stepper.next_trial(t, segment);
      if (!stepper.try_step(segment, t, trial, x)) {
        ++stats.rejected_steps;
        if (const std::optional<double> shrunk = stepper.after_rejection()) check_step_size(*shrunk, options, t);
        continue;
      }
      ++stats.accepted_steps;
      const double t_end = trial.lands_on_edge ? segment.end_h : stepper.accepted_end();  // exact landing
      check_finite_state(stepper.accepted_state(), t_end);
      observer.on_interval(stepper.accepted_interval(t, t_end, x));
      stepper.advance(x, trial);
      t = t_end;
      landed = trial.lands_on_edge;
    }
    stepper.end_segment(memory);
    observer.on_edge(segment.end_h, x, i + 1 < segments.size() ? &segments[i + 1] : nullptr);
  }
  return stats;
}

/// What a run may add to the solver options.
struct IntegrationExtras {
  /// The cascade solver's node exponentials kept between runs (a sweep thread's); null: this run's own.
  CascadeCaches* cascade_caches = nullptr;
  /// The observer reads AcceptedInterval::state_at (a timeseries): the cascade solver then
  /// also integrates every state at its points (three more quadratures per step); dopri5's
  /// dense output costs nothing, so it ignores this. The states integrated are the same either way.
  bool dense_output = false;
};

/// Integrates `x` from segments.front().start_h to segments.back().end_h with the solver of
/// `options.method`, reporting to `observer`. `model` is only read (it may be shared by threads).
/// @throws SimulationError on a non-finite state, step-size underflow or an exhausted step budget
SolverStats integrate_segments(const model::LactationModel& model, std::span<const Segment> segments,
                               model::State& x, const SolverOptions& options, SolverObserver& observer,
                               const IntegrationExtras& extras = {});

}  // namespace lactsim
