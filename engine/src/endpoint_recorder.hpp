#pragma once
/// @file endpoint_recorder.hpp
/// The observers that reduce a run to its Endpoints while it integrates, one per solver
/// (private to the engine). simulate() and simulate_endpoints() use the same ones, so the two
/// paths give the same endpoints; simulate() also has them close the per-day table.

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "lactsim/model/lactation_model.hpp"
#include "solvers/cascade_solver.hpp"
#include "lactsim/engine/endpoints.hpp"
#include "solvers/integrator.hpp"
#include "lactsim/engine/simulation.hpp"
#include "lactsim/engine/unit_conversion.hpp"
#include "solvers/step_interpolation.hpp"

namespace lactsim::detail {

using lactsim::kHoursPerDay;
using lactsim::kMinutesPerHour;
/// Grid times and edges are the same time when closer than this (h).
inline constexpr double kTimeMatchTolerance_h = 1e-9;

/// The start times of the feeds of `input` before its horizon, sorted, into `out`.
inline void sorted_feed_starts(const SimulationInput& input, std::vector<double>& out) {
  out.clear();
  for (const Session& s : input.sessions) {
    if (s.kind == SessionKind::feed && s.start_h < input.horizon_h) out.push_back(s.start_h);
  }
  std::sort(out.begin(), out.end());
}

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
  StepCurves(const model::LactationModel& model, const StepView& s) : s_(s), h_(s.t1 - s.t0) {
    namespace st = model::state;
    const model::LinearPart linear = model.linear_part(s.x0, model.time_factors(s.t0), s.stimulus);
    k_ot_ = linear.loss_rate_per_h[st::oxytocin];
    k_p_ = linear.loss_rate_per_h[st::prolactin_evoked];
    k_d_ = linear.loss_rate_per_h[st::prolactin_release_drive];
    beta_ = linear.drive_to_prolactin_ng_ml_h;
    ot_star_ = s.x0[st::oxytocin] + s.dxdt0[st::oxytocin] / k_ot_;
    d_star_ = s.x0[st::prolactin_release_drive] + s.dxdt0[st::prolactin_release_drive] / k_d_;
    ot_mismatch_ = s.x1[st::oxytocin] - frozen_ot(h_);
    prl_mismatch_ = s.x1[st::prolactin_evoked] - frozen_evoked(h_);
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
    return ot_star_ + (s_.x0[model::state::oxytocin] - ot_star_) * std::exp(-k_ot_ * tau);
  }
  /// d/dτ of evoked(τ).
  double evoked_slope(double tau) const {
    const double e_p = std::exp(-k_p_ * tau), e_d = std::exp(-k_d_ * tau);
    const double coupling_slope =
        std::abs(k_p_ - k_d_) > 1e-9 * k_p_ ? (k_p_ * e_p - k_d_ * e_d) / (k_p_ - k_d_) : e_p * (1.0 - k_p_ * tau);
    const double d0 = s_.x0[model::state::prolactin_release_drive];
    return -k_p_ * s_.x0[model::state::prolactin_evoked] * e_p + beta_ * d_star_ * e_p +
           beta_ * (d0 - d_star_) * coupling_slope + prl_mismatch_ / h_;
  }
  double frozen_evoked(double tau) const {
    const double e_p = std::exp(-k_p_ * tau), e_d = std::exp(-k_d_ * tau);
    const double coupling = std::abs(k_p_ - k_d_) > 1e-9 * k_p_ ? (e_d - e_p) / (k_p_ - k_d_) : tau * e_p;
    const double d0 = s_.x0[model::state::prolactin_release_drive];
    return s_.x0[model::state::prolactin_evoked] * e_p + beta_ * d_star_ * (1.0 - e_p) / k_p_ +
           beta_ * (d0 - d_star_) * coupling;
  }

  const StepView& s_;
  double h_, k_ot_ = 0, k_p_ = 0, k_d_ = 0, beta_ = 0, ot_star_ = 0, d_star_ = 0;
  double ot_mismatch_ = 0, prl_mismatch_ = 0;
};

/// What both endpoint recorders keep: milk per day (days end at segment edges, and with a
/// table given, the day's DailyTotals), the onset, and the peaks of total PRL and OT in the
/// window after each feed's start.
class EndpointBook {
 public:
  /// @param feed_starts_h feed start times, sorted; @param sessions all sessions (for the
  /// per-day counts); @param daily the per-day table to fill, or null for endpoints only
  EndpointBook(const model::LactationModel& model, std::span<const double> feed_starts_h,
               std::span<const Session> sessions, Endpoints& out, std::vector<DailyTotals>* daily = nullptr)
      : model_(model), out_(out), feed_starts_h_(feed_starts_h), sessions_(sessions), daily_(daily) {}

  void on_edge(double t, const model::State& x, const Segment* next) {
    // Only the start can be at or past onset unseen (steps report upward crossings).
    if (!out_.onset_h && onset_reached(x)) out_.onset_h = t;
    if (first_edge_) {
      at_day_start_ = x;
      first_edge_ = false;
    }
    const bool day_end = std::abs(t - (day_start_h_ + kHoursPerDay)) <= kTimeMatchTolerance_h;
    if (day_end || (next == nullptr && t > day_start_h_)) close_day(t, x);
  }

  /// Closes the last feed window and fills the totals, the mass balance and `stats`; call once
  /// after integration from `x0` to `x1`.
  void finish(const model::State& x0, const model::State& x1, const SolverStats& stats) {
    flush_feed();
    if (feeds_ > 0) {
      out_.prl_peak_per_feed_ng_ml = sum_peak_prl_ / feeds_;
      out_.ot_peak_per_feed_uU_ml = sum_peak_ot_ / feeds_;
    }
    out_.feeds = feeds_;
    namespace st = model::state;
    out_.milk_transferred_total_ml = x1[st::milk_transferred] - x0[st::milk_transferred];
    out_.milk_expressed_total_ml = x1[st::milk_expressed] - x0[st::milk_expressed];
    out_.milk_synthesised_total_ml = x1[st::milk_synthesised] - x0[st::milk_synthesised];
    const double accounted = (x1[st::milk_stored] - x0[st::milk_stored]) + out_.milk_transferred_total_ml +
                             out_.milk_expressed_total_ml;
    out_.mass_balance_relative_error =
        std::abs(out_.milk_synthesised_total_ml - accounted) / std::max(out_.milk_synthesised_total_ml, 1e-300);
    out_.stats = stats;
  }

 protected:
  /// Opens the windows of feeds starting before `t1` (closing the previous one); returns
  /// the end of the current window, or nothing when no window is open over [t0, t1].
  std::optional<double> feed_window_for(double t0, double t1) {
    while (next_feed_ < feed_starts_h_.size() && feed_starts_h_[next_feed_] < t1) {
      flush_feed();
      current_feed_start_h_ = feed_starts_h_[next_feed_++];
      in_feed_ = true;
      window_opened_ = true;
    }
    const double window_end_h = current_feed_start_h_ + kFeedResponseWindow_h;
    if (!in_feed_ || t0 >= window_end_h) return std::nullopt;
    return window_end_h;
  }

  /// True once after feed_window_for opened a new window.
  bool take_window_opened() { return std::exchange(window_opened_, false); }

  const model::LactationModel& model_;
  Endpoints& out_;
  double peak_prl_ = 0.0, peak_ot_ = 0.0;

 private:
  /// Day d covers hours [24(d-1), 24d) after birth; a partial last day ends at the horizon.
  void close_day(double t, const model::State& x) {
    namespace st = model::state;
    out_.milk_transferred_ml_by_day.push_back(x[st::milk_transferred] - at_day_start_[st::milk_transferred]);
    if (daily_ != nullptr) {
      DailyTotals day{};
      day.day = static_cast<int>(daily_->size()) + 1;
      day.hours_covered = t - day_start_h_;
      day.milk_transferred_ml = x[st::milk_transferred] - at_day_start_[st::milk_transferred];
      day.milk_expressed_ml = x[st::milk_expressed] - at_day_start_[st::milk_expressed];
      day.milk_synthesised_ml = x[st::milk_synthesised] - at_day_start_[st::milk_synthesised];
      for (const Session& s : sessions_) {
        if (s.start_h < day_start_h_ || s.start_h >= t) continue;
        (s.kind == SessionKind::feed ? day.feeds : s.kind == SessionKind::pump ? day.pumps : day.massages) += 1;
      }
      daily_->push_back(day);
    }
    at_day_start_ = x;
    day_start_h_ = t;
  }

  void flush_feed() {
    if (!in_feed_) return;
    sum_peak_prl_ += peak_prl_;
    sum_peak_ot_ += peak_ot_;
    ++feeds_;
    peak_prl_ = peak_ot_ = 0.0;
    in_feed_ = false;
  }

  std::span<const double> feed_starts_h_;
  std::span<const Session> sessions_;
  std::vector<DailyTotals>* daily_;
  bool first_edge_ = true;
  double day_start_h_ = 0.0;
  model::State at_day_start_{};
  std::size_t next_feed_ = 0;
  bool in_feed_ = false;
  bool window_opened_ = false;
  double current_feed_start_h_ = 0.0;
  double sum_peak_prl_ = 0.0, sum_peak_ot_ = 0.0;
  int feeds_ = 0;
};

/// Reduces a Runge–Kutta run to endpoints as it integrates (the fast-path counterpart of
/// RunRecorder).
class EndpointRecorder : public EndpointBook {
 public:
  using EndpointBook::EndpointBook;

  void on_step(const StepView& s) {
    if (!out_.onset_h) out_.onset_h = upward_crossing_time(s, model::state::activation, kOnsetActivationThreshold);
    // Feed responses: peaks at accepted step ends inside the window after each feed start.
    const std::optional<double> window = feed_window_for(s.t0, s.t1);
    if (take_window_opened()) basal_bound_ = -1.0;
    if (!window) return;
    const double window_end_h = *window;
    namespace st = model::state;
    // The window starts at this step's start when OT left over from a massage is still
    // falling at the feed's start: that value is the peak.
    peak_ot_ = std::max(peak_ot_, s.x0[st::oxytocin]);
    if (s.t1 <= window_end_h) {
      peak_ot_ = std::max(peak_ot_, s.x1[st::oxytocin]);
      // Basal PRL is monotone in time (an exponential approach to its floor), so its larger
      // value at the window's ends bounds it inside: skip computing it when even that bound
      // cannot beat the current peak.
      const double evoked = s.x1[st::prolactin_evoked];
      if (basal_bound_ < 0.0 || basal_bound_ + evoked > peak_prl_) {
        const double basal = model_.prolactin_basal_ng_ml(s.t1);
        if (basal_bound_ < 0.0) basal_bound_ = std::max(basal, model_.prolactin_basal_ng_ml(window_end_h));
        peak_prl_ = std::max(peak_prl_, basal + evoked);
      }
    }
    // Inside the step: a PRL maximum (P' > 0 at the start, < 0 at the end of the part in
    // the window), and the values at the window's end when the step crosses it.
    const bool crosses_end = s.t1 > window_end_h;
    const double tau_end = (crosses_end ? window_end_h : s.t1) - s.t0;
    const bool prl_turns = s.dxdt0[st::prolactin_evoked] > 0.0 && s.dxdt1[st::prolactin_evoked] < 0.0;
    if (!crosses_end && !prl_turns) return;
    const StepCurves curves(model_, s);
    if (crosses_end) peak_ot_ = std::max(peak_ot_, curves.ot(tau_end));
    const double basal = model_.prolactin_basal_ng_ml(s.t0);  // changes < 1 ng/mL/h
    peak_prl_ = std::max(peak_prl_, basal + curves.evoked_maximum(tau_end));
  }

 private:
  double basal_bound_ = -1.0;  ///< basal PRL at the feed window's first step; < 0 = not yet known
};

/// Reduces a cascade-solver run to endpoints: the solution is a polynomial in time on
/// each substep, so onset and peaks come from its interpolant.
class CascadeEndpointRecorder : public EndpointBook, public CascadeObserver {
 public:
  using EndpointBook::EndpointBook;

  void on_edge(double t, const model::State& x, const Segment* next) override { EndpointBook::on_edge(t, x, next); }

  void on_substep(const CascadeSubstepView& s) override {
    const std::span<const double> logit = s.activation_logit;
    if (!out_.onset_h && logit.back() >= 0.0) {
      // logit(a) is increasing (its rate is >= 0), so it has one zero.
      out_.onset_h = s.t0 + s.h * (logit.front() < 0.0 ? cascade_increasing_root(logit) : 0.0);
    }
    const double t1 = s.t0 + s.h;
    const std::optional<double> window = feed_window_for(s.t0, t1);
    if (!window) return;
    // The part of the substep inside the window, on [0, 1].
    const double x_end = std::min(1.0, (*window - s.t0) / s.h);
    std::size_t best = 0;
    for (std::size_t j = 0; j < s.node.size() && s.node[j] <= x_end; ++j) {
      peak_ot_ = std::max(peak_ot_, s.oxytocin[j]);
      if (s.prolactin_total[j] > s.prolactin_total[best]) best = j;
    }
    if (x_end < 1.0) {
      peak_ot_ = std::max(peak_ot_, cascade_interpolate(s.oxytocin, x_end));
      peak_prl_ = std::max(peak_prl_, cascade_interpolate(s.prolactin_total, x_end));
    }
    // Refine the largest point on the interpolant when the maximum can lie beside it: always
    // inside, and at an end of the window's part when PRL still rises away from that end
    // (e.g. a peak just after the feed, between a gap's first two points).
    const double lo = best > 0 ? s.node[best - 1] : 0.0;
    const double hi = std::min(best + 1 < s.node.size() ? s.node[best + 1] : 1.0, x_end);
    const double probe = best == 0 ? 0.25 * hi : 0.5 * (s.node[best] + std::max(hi, s.node[best]));
    const bool interior = best > 0 && hi > s.node[best] && s.node[best] < x_end;
    const bool beside = !interior && hi > lo && cascade_interpolate(s.prolactin_total, probe) > s.prolactin_total[best];
    peak_prl_ = std::max(peak_prl_, (interior || beside) ? cascade_maximum(s.prolactin_total, lo, hi)
                                                         : s.prolactin_total[best]);
  }
};

}  // namespace lactsim::detail
