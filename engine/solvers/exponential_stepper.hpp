#pragma once
/// @file exponential_stepper.hpp
/// Lawson–Dormand–Prince 5(4): an explicit exponential (integrating-factor) Runge–Kutta
/// stepper for the lactation model, with an embedded error estimate.
///
/// The model's fast states are first-order losses with inputs: plasma oxytocin clears with
/// a 3-min half-life, the PRL release drive and evoked PRL relax on 20–37 min scales, and
/// massage relief builds within minutes. An explicit stepper must resolve these decays
/// (stability bounds its step to ~0.24 h even when nothing happens), which made the
/// classical Dormand–Prince path ~17x too slow for the sweep target (docs/performance.md).
///
/// Lawson's method (Lawson 1967, SIAM J Numer Anal 4:372–380; review: Hochbruck &
/// Ostermann 2010, Acta Numerica 19:209–286) splits f(t, y) = -L y + N(t, y) with L
/// diagonal, integrates e^{-L t} exactly and applies the Runge–Kutta weights to the
/// remainder N:
///   Y_s     = e^{-c_s h L} y_n + h Σ_j a_sj e^{-(c_s - c_j) h L} N(t_n + c_j h, Y_j)
///   y_{n+1} = e^{-h L} y_n + h Σ_j b_j e^{-(1 - c_j) h L} N_j
/// with the Dormand–Prince 5(4) tableau (Dormand & Prince 1980, J Comput Appl Math
/// 6:19–26). The embedded weights give the error estimate, scaled and controlled exactly as
/// Boost.Odeint's controlled dopri5 (same norm, same step-size factors), so `rtol`/`atol`
/// mean the same thing on both paths. With L = 0 the method is classical dopri5.
///
/// L is taken from `LactationModel::linear_part` at the step start: exact loss rates for
/// OT, release drive, evoked PRL and relief, and the frozen loss rate of stored milk.
/// Evoked PRL is driven by the release drive (a 2x2 triangular linear block); the stepper
/// diagonalises that block by the change of variable w = P − γ·D, γ = β / (k_P − k_D), so
/// both relaxations are exact. When the two rates nearly coincide (|k_P − k_D| below 5% of
/// the larger, where γ would amplify rounding) the coupling stays in N instead: still
/// correct, only with smaller steps.
///
/// The method is applied around the frozen target τ = N(t_n, y_n) / L, i.e. to u = y − τ
/// (u' = −L u + N − N(t_n, y_n)): a plain Lawson step is not exact for a constant input, and
/// its error estimate then bounded L h to ~0.6 for OT at rest — no gain over dopri5. Around
/// τ, constant inputs are integrated exactly and only their change over the step goes
/// through the Runge–Kutta weights. A loss with L h < 1e-3 is treated explicitly (L = 0).
///
/// No allocation: all stage storage is fixed-size arrays in the stepper object.

#include <algorithm>
#include <array>
#include <cmath>

#include "lactsim/model/lactation_model.hpp"
#include "lactsim/engine/solver_options.hpp"

namespace lactsim {

struct StepView;

/// One Lawson–Dormand–Prince step with error control, on a given model.
class ExponentialDormandPrinceStepper {
 public:
  /// A stepper for `model` (which must outlive it) with the tolerances and largest step of
  /// `options` (assumed validated: validate_solver_options).
  ExponentialDormandPrinceStepper(const model::LactationModel& model, const SolverOptions& options)
      : model_(model), absolute_tolerance_(options.absolute_tolerance),
        relative_tolerance_(options.relative_tolerance), max_step_h_(options.max_step_h) {}

  /// Tries one step of size `dt` from (t, x) with f(t, x) = dxdt. On success writes the new
  /// state and its derivative, advances `t` and proposes the next `dt`; on failure leaves
  /// everything but `dt` (reduced) untouched. Returns whether the step was accepted.
  bool try_step(const model::State& x, const model::State& dxdt, double& t, model::State& x_new,
                model::State& dxdt_new, double& dt);

  /// The solution at time t in [s.t0, s.t1] of the accepted step `s`: one Lawson step from
  /// the step's start to t, without error control. (The Lawson continuous extension would
  /// need e^{+(c_j − θ) h L} for stages after t, which amplifies rounding when L h is large;
  /// a shorter step from the same start is stable and at least as accurate as the accepted one.)
  void state_at(const StepView& s, double t, model::State& x);

 private:
  /// One Lawson step of size h from (t, x) with f(t, x) = dxdt: writes the new state and its
  /// derivative and leaves the stage remainders and exponential table for the error estimate.
  void lawson_step(const model::State& x, const model::State& dxdt, double t, double h, model::State& y,
                   model::State& f);

  static constexpr int kStages = 7;
  using Vector = model::State;

  void to_transformed(const Vector& y, Vector& z) const;
  void to_original(const Vector& z, Vector& y) const;
  /// N in transformed coordinates from the model's f at the original-coordinate state.
  void remainder(const Vector& f, const Vector& z, Vector& n) const;

  const model::LactationModel& model_;
  double absolute_tolerance_, relative_tolerance_, max_step_h_;
  Vector loss_{};     ///< diagonal of L in transformed coordinates, 1/h
  double gamma_ = 0;  ///< w = P − γ·D
  std::array<Vector, kStages> stage_remainder_{};
  /// e^{-loss h k / 90} for the k the tableau needs (index k = 0..90).
  std::array<Vector, 91> exponential_power_{};
};

}  // namespace lactsim
