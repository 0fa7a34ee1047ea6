#pragma once
/// @file step_curves.hpp
/// Closed-form curves of OT and evoked PRL inside one dopri5 step, for the feed-response
/// peaks (DormandPrinceInterval::raise_feed_peaks in integrator.hpp).

#include <cmath>

#include "lactsim/model/lactation_model.hpp"
#include "lactsim/model/state_info.hpp"

namespace lactsim {

/// OT and evoked PRL inside one accepted step, for feed peaks that fall inside long steps
/// (or at the feed-response window's end, inside a step).
///
/// Over one step the stimulus is constant and OT, the release drive D and evoked PRL P form
/// a linear system; with its coefficients frozen at the step start it has the closed form
///   OT(τ) = OT* + (OT0 − OT*) e^{−k_OT τ},        D(τ) = D* + (D0 − D*) e^{−k_D τ},
///   P(τ)  = P0 e^{−k_P τ} + β D* (1 − e^{−k_P τ}) / k_P + β (D0 − D*) (e^{−k_D τ} − e^{−k_P τ}) / (k_P − k_D)
/// (targets X* = X0 + X'(0) / k_X; β = ∂P'/∂D). What freezing leaves out (pain, relief and
/// PRL maturation drift over the step) is added back as the fraction τ/h of the mismatch
/// with the integrated step end, so each curve meets both step ends. A cubic Hermite
/// interpolant cannot be used: over a 0.5-h step D decays by e^{-1.5} and the cubic missed
/// the PRL peak by up to 25% against a 1e-11-tolerance reference.
class StepCurves {
 public:
  /// The curves of the step from (t0, x0) with derivative dxdt0 to (t0 + h, x1) under `stimulus`.
  StepCurves(const model::LactationModel& model, const model::Stimulus& stimulus, double t0, double h,
             const model::State& x0, const model::State& dxdt0, const model::State& x1)
      : x0_(x0), h_(h) {
    namespace st = model::state;
    const model::LinearPart linear = model.linear_part(x0, model.time_factors(t0), stimulus);
    k_ot_ = linear.loss_rate_per_h[st::oxytocin];
    k_p_ = linear.loss_rate_per_h[st::prolactin_evoked];
    k_d_ = linear.loss_rate_per_h[st::prolactin_release_drive];
    beta_ = linear.drive_to_prolactin_ng_ml_h;
    ot_star_ = x0[st::oxytocin] + dxdt0[st::oxytocin] / k_ot_;
    d_star_ = x0[st::prolactin_release_drive] + dxdt0[st::prolactin_release_drive] / k_d_;
    ot_mismatch_ = x1[st::oxytocin] - frozen_ot(h_);
    prl_mismatch_ = x1[st::prolactin_evoked] - frozen_evoked(h_);
  }

  /// OT at τ h after the step start, µU/mL.
  double ot(double tau) const { return frozen_ot(tau) + ot_mismatch_ * tau / h_; }
  /// Evoked PRL at τ h after the step start, ng/mL.
  double evoked(double tau) const { return frozen_evoked(tau) + prl_mismatch_ * tau / h_; }

  /// Largest evoked PRL on [0, tau_end]: the curve rises then falls, so its slope has at
  /// most one zero, found by bisection to 1e-6 h (a value error ~ P'' δ² / 2 < 1e-9 ng/mL).
  double evoked_maximum(double tau_end) const {
    double lo = 0.0, hi = tau_end;
    if (evoked_slope(lo) <= 0.0) return evoked(lo);
    if (evoked_slope(hi) >= 0.0) return evoked(hi);
    while (hi - lo > 1e-6) {
      const double mid = 0.5 * (lo + hi);
      (evoked_slope(mid) > 0.0 ? lo : hi) = mid;
    }
    return evoked(0.5 * (lo + hi));
  }

 private:
  double frozen_ot(double tau) const {
    return ot_star_ + (x0_[model::state::oxytocin] - ot_star_) * std::exp(-k_ot_ * tau);
  }
  /// d/dτ of evoked(τ).
  double evoked_slope(double tau) const {
    const double e_p = std::exp(-k_p_ * tau), e_d = std::exp(-k_d_ * tau);
    const double coupling_slope =
        std::abs(k_p_ - k_d_) > 1e-9 * k_p_ ? (k_p_ * e_p - k_d_ * e_d) / (k_p_ - k_d_) : e_p * (1.0 - k_p_ * tau);
    const double d0 = x0_[model::state::prolactin_release_drive];
    return -k_p_ * x0_[model::state::prolactin_evoked] * e_p + beta_ * d_star_ * e_p +
           beta_ * (d0 - d_star_) * coupling_slope + prl_mismatch_ / h_;
  }
  double frozen_evoked(double tau) const {
    const double e_p = std::exp(-k_p_ * tau), e_d = std::exp(-k_d_ * tau);
    const double coupling = std::abs(k_p_ - k_d_) > 1e-9 * k_p_ ? (e_d - e_p) / (k_p_ - k_d_) : tau * e_p;
    const double d0 = x0_[model::state::prolactin_release_drive];
    return x0_[model::state::prolactin_evoked] * e_p + beta_ * d_star_ * (1.0 - e_p) / k_p_ +
           beta_ * (d0 - d_star_) * coupling;
  }

  const model::State& x0_;
  double h_, k_ot_ = 0, k_p_ = 0, k_d_ = 0, beta_ = 0, ot_star_ = 0, d_star_ = 0;
  double ot_mismatch_ = 0, prl_mismatch_ = 0;
};

}  // namespace lactsim
