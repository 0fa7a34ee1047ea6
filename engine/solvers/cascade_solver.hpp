#pragma once
/// @file cascade_solver.hpp
/// The cascade solver: a semi-analytic integrator for the sweep fast path (`--solver cascade`).
///
/// The model is a cascade: massage relief and the PRL release drive are linear with constant
/// targets within a segment (closed form); OT and evoked PRL are linear in themselves with
/// slowly varying targets (closed form for the target at the substep start, plus a quadrature
/// of the drift); activation is logistic, so its logit is the integral of a known rate; stored
/// milk is linear in itself given the hormones (integrating factor). Every integral is taken
/// with Clenshaw–Curtis quadrature on the Chebyshev–Lobatto points of the substep
/// (chebyshev_lobatto.hpp), and the last two Chebyshev coefficients of each integrand give
/// the error estimate that accepts a substep or halves it. A whole 15-min feed or 2.7-h gap
/// is usually one substep. Derivation and accuracy: docs/performance.md.
///
/// It is a stepper behind the segment loop of solver_interface.hpp (try a substep, accept or
/// reject it on its own error estimate, go up its degree ladder or halve), and reports to the
/// same observers as dopri5. With dense output it also gives every state between the points
/// (the timeseries of `run`); Boost.Odeint's dopri5 stays the reference.

#include <array>
#include <cstddef>
#include <optional>
#include <span>

#include "lactsim/model/lactation_model.hpp"
#include "lactsim/engine/cascade_caches.hpp"
#include "lactsim/engine/solver_options.hpp"
#include "lactsim/engine/timeline.hpp"
#include "solvers/solver_interface.hpp"

namespace lactsim {

/// Polynomial degrees a cascade substep can use (N + 1 Chebyshev–Lobatto points each).
/// Per stimulus kind the solver keeps the lowest degree that met the tolerance last time:
/// 5-min pre-feed leads need few points, feeds (the ejection gate switching on) many; a
/// rejected substep is retried one degree up before it is halved.
inline constexpr std::array<int, 5> kCascadeDegrees = {4, 8, 12, 14, 18};
/// The degree each stimulus kind starts with, and its rung in kCascadeDegrees.
inline constexpr int kCascadeStartDegree = 12;
inline constexpr std::size_t kCascadeStartRung = [] {
  std::size_t rung = 0;
  while (kCascadeDegrees[rung] != kCascadeStartDegree) ++rung;  // a compile error if absent
  return rung;
}();

/// A state that relaxes exponentially over a substep,
///   x(τ) = target + (x(0) − target) e^{−rate τ} + coupling (e^{−coupled_rate τ} − e^{−rate τ}) / (rate − coupled_rate)
/// plus what its dense output holds (OT, evoked PRL: the response to a drifting target or
/// gain); rate 0: none. The coupling term is evoked PRL's response to the release drive.
struct CascadeRelaxation {
  double target = 0.0;
  double rate_per_h = 0.0;
  double coupling = 0.0;
  double coupled_rate_per_h = 0.0;
};

/// One accepted substep as the observers see it: the solution at its Chebyshev–Lobatto points,
/// and the interpolants through them.
class CascadeInterval final : public AcceptedInterval {
 public:
  CascadeInterval(double start_h, double end_h, double length_h, const model::Stimulus& step_stimulus,
                  const model::State& start, const model::State& end)
      : AcceptedInterval(start_h, end_h, step_stimulus, start, end), h(length_h) {}

  double h;                                  ///< length, h (t = t0 + h·node; t1 is t0 + h but for rounding)
  std::span<const double> node;              ///< points on [0, 1]
  std::span<const double> oxytocin;          ///< plasma OT at the points, µU/mL
  std::span<const double> prolactin_total;   ///< basal + evoked PRL at the points, ng/mL
  std::span<const double> activation_logit;  ///< log(a / (1 − a)) at the points
  /// Every state at the points, less its relaxation's closed form where it has one (the dense
  /// output, read with state_at), when the run asked for it; empty spans otherwise.
  std::array<std::span<const double>, model::kStateCount> states{};
  /// The closed-form relaxations of OT, evoked PRL, the PRL release drive and massage relief:
  /// fast exponentials (OT's 3-min half-life over a 3-h gap) that no polynomial through 19
  /// points follows, taken exactly.
  std::array<CascadeRelaxation, model::kStateCount> relaxations{};

  /// The interpolants plus the closed forms (the run must have asked for dense output).
  void state_at(double t, model::State& x) const override;
  /// The zero of logit(a) − logit(threshold) on its interpolant (the logit increases: its rate
  /// is >= 0, so it has one zero), by safeguarded Newton.
  std::optional<double> activation_crossing(double threshold) const override;
  /// The points inside the window, the interpolants at the window's end, and the PRL
  /// interpolant's maximum beside its largest point.
  void raise_feed_peaks(double window_end_h, FeedPeaks& peaks) const override;
};

/// Interpolates node values of a substep at x in [0, 1] (the polynomial through them).
/// @pre values.size() == N + 1 for a degree N in kCascadeDegrees
double cascade_interpolate(std::span<const double> values, double x);

/// Largest value of the interpolant of `values` on [lo, hi] ⊆ [0, 1], for an interpolant
/// with at most one local maximum there: the larger end, or the interior zero of its slope
/// found by Newton's method safeguarded by bisection (the value to rounding).
/// @pre values.size() == N + 1 for a degree N in kCascadeDegrees, 0 <= lo <= hi <= 1
double cascade_maximum(std::span<const double> values, double lo, double hi);

/// The x in [0, 1] where the interpolant of `values` crosses zero, for an increasing
/// interpolant with values.front() < 0 <= values.back() (safeguarded Newton, to rounding).
/// @pre values.size() == N + 1 for a degree N in kCascadeDegrees
double cascade_increasing_root(std::span<const double> values);

/// Integrates `x` over `segments` with the cascade solver. Honours rtol, atol, min_step_h
/// and max_steps of `options` (max_step_h bounds Runge–Kutta steps only: the cascade
/// solver's error estimate covers the whole substep). `caches` may be null (then they live
/// for this call only). With `dense_output` every substep also reports every state at its
/// points (CascadeInterval::states), at the cost of three more quadratures; the states
/// integrated are the same either way. integrate_segments() picks it for SolverMethod::cascade.
/// @throws SimulationError on a non-finite state, step-size underflow or an exhausted budget
SolverStats integrate_segments_cascade(const model::LactationModel& model, std::span<const Segment> segments,
                                       model::State& x, const SolverOptions& options, SolverObserver& observer,
                                       CascadeCaches* caches = nullptr, bool dense_output = false);

}  // namespace lactsim
