#pragma once
/// @file endpoint_recorder.hpp
/// The observer that reduces a run to its Endpoints while it integrates, for every solver
/// (private to the engine). simulate() and simulate_endpoints() use the same one, so the two
/// paths give the same endpoints; simulate() also has it close the per-day table.

#include <algorithm>
#include <cmath>
#include <optional>
#include <span>
#include <vector>

#include "lactsim/model/lactation_model.hpp"
#include "lactsim/engine/endpoints.hpp"
#include "lactsim/engine/infant_weight.hpp"
#include "lactsim/engine/simulation.hpp"
#include "lactsim/engine/unit_conversion.hpp"
#include "solvers/solver_interface.hpp"

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

/// Reduces a run to its Endpoints as it integrates, for any solver: milk per day (days end at
/// segment edges, and with a table given, the day's DailyTotals), the onset, and the peaks of
/// total PRL and OT in the window after each feed's start. Onset times and peaks inside a step
/// come from the step's own interpolant (AcceptedInterval), so this code has no solver branch.
class EndpointRecorder final : public SolverObserver {
 public:
  /// @param feed_starts_h feed start times, sorted; @param sessions all sessions (for the
  /// per-day counts); @param daily the per-day table to fill, or null for endpoints only
  /// @param parameters and @param birth_weight_g define the infant's weight (infant_weight.hpp)
  EndpointRecorder(std::span<const double> feed_starts_h, std::span<const Session> sessions,
                   const model::ModelParameters& parameters, double birth_weight_g, Endpoints& out,
                   std::vector<DailyTotals>* daily = nullptr)
      : out_(out), feed_starts_h_(feed_starts_h), sessions_(sessions), daily_(daily), parameters_(parameters),
        birth_weight_g_(birth_weight_g) {}

  void on_edge(double t, const model::State& x, const Segment* next) override {
    // Only the start can be at or past onset unseen (steps report upward crossings).
    if (!out_.onset_h && onset_reached(x)) out_.onset_h = t;
    if (first_edge_) {
      at_day_start_ = x;
      first_edge_ = false;
    }
    record_weight(t, x);
    record_expression(t, x, next == nullptr);
    if (!out_.perceived_onset_h && x[model::state::milk_stored] >= parameters_.perceived_onset_stored_ml) {
      out_.perceived_onset_h = t;
    }
    const bool day_end = std::abs(t - (day_start_h_ + kHoursPerDay)) <= kTimeMatchTolerance_h;
    if (day_end || (next == nullptr && t > day_start_h_)) close_day(t, x);
  }

  void on_interval(const AcceptedInterval& s) override {
    if (!out_.onset_h) out_.onset_h = s.activation_crossing(kOnsetActivationThreshold);
    // Feed responses: peaks inside the window after each feed start.
    if (const std::optional<double> window_end_h = feed_window_for(s.t0, s.t1)) s.raise_feed_peaks(*window_end_h, peaks_);
    record_weight(s.t1, s.x1);
    record_perceived_onset(s);
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

 private:
  /// Opens the windows of feeds starting before `t1` (closing the previous one); returns
  /// the end of the current window, or nothing when no window is open over [t0, t1].
  std::optional<double> feed_window_for(double t0, double t1) {
    while (next_feed_ < feed_starts_h_.size() && feed_starts_h_[next_feed_] < t1) {
      flush_feed();
      current_feed_start_h_ = feed_starts_h_[next_feed_++];
      in_feed_ = true;
    }
    const double window_end_h = current_feed_start_h_ + kFeedResponseWindow_h;
    if (!in_feed_ || t0 >= window_end_h) return std::nullopt;
    return window_end_h;
  }

  /// Weight change at `t`: the nadir so far, and the day of the first return to birth weight.
  /// Steps never cross a day's end (days end at segment edges), so the day a step ends in is
  /// the day its crossing happened in. Between feeds the weight only falls, so its minima lie at
  /// feed starts (edges) or within feeds, where steps are short.
  void record_weight(double t, const model::State& x) {
    const double change = weight_change_percent(
        infant_weight_g(parameters_, birth_weight_g_, x[model::state::milk_transferred], t), birth_weight_g_);
    if (change < out_.weight_nadir_percent) {
      out_.weight_nadir_percent = change;
      out_.weight_nadir_h = t;
    }
    if (change < 0.0) fell_below_birth_weight_ = true;
    if (fell_below_birth_weight_ && change >= 0.0 && !out_.birth_weight_regained_day) {
      out_.birth_weight_regained_day = static_cast<int>(std::lround(day_start_h_ / kHoursPerDay)) + 1;
    }
    // Each of 24, 48 and 72 h is a day's end, hence an edge: recorded exactly.
    std::optional<double>* const at_day_end[] = {&out_.weight_change_24h_percent, &out_.weight_change_48h_percent,
                                                 &out_.weight_change_72h_percent};
    for (std::size_t k = 0; k < std::size(at_day_end); ++k) {
      if (std::abs(t - kHoursPerDay * static_cast<double>(k + 1)) <= kTimeMatchTolerance_h) *at_day_end[k] = change;
    }
  }

  /// Expression and pumping sessions (SessionKind::pump) start and end at segment edges: the
  /// volume of one is the milk expressed between its two edges (up to the horizon when the run
  /// ends inside it). The first whose volume reaches colostrum_visible_threshold_ml sets
  /// first_colostrum_h to its start. Pump sessions are sorted by start and do not overlap
  /// (build_segments' precondition), so one is open at a time.
  void record_expression(double t, const model::State& x, bool last_edge) {
    namespace st = model::state;
    if (pump_open_ && (t >= open_pump_.end_h - kTimeMatchTolerance_h || last_edge)) {
      const double volume_ml = x[st::milk_expressed] - expressed_at_pump_start_ml_;
      if (!out_.first_colostrum_h && volume_ml >= parameters_.colostrum_visible_threshold_ml) {
        out_.first_colostrum_h = open_pump_.start_h;
      }
      pump_open_ = false;
    }
    if (last_edge) return;
    for (; next_pump_ < sessions_.size(); ++next_pump_) {
      const Session& s = sessions_[next_pump_];
      if (s.kind != SessionKind::pump) continue;
      if (s.start_h > t + kTimeMatchTolerance_h) break;
      open_pump_ = s;
      expressed_at_pump_start_ml_ = x[st::milk_expressed];
      pump_open_ = true;
      ++next_pump_;
      break;
    }
  }

  /// The first upward crossing of perceived_onset_stored_ml by the stored milk inside a step,
  /// linear between the step's ends (every solver has them; the crossing lies in a feed-free
  /// rise, where the store fills smoothly).
  void record_perceived_onset(const AcceptedInterval& s) {
    namespace st = model::state;
    if (out_.perceived_onset_h) return;
    const double level = parameters_.perceived_onset_stored_ml, v0 = s.x0[st::milk_stored], v1 = s.x1[st::milk_stored];
    if (v1 < level) return;
    out_.perceived_onset_h = v0 >= level ? s.t0 : s.t0 + (s.t1 - s.t0) * (level - v0) / (v1 - v0);
  }

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
      day.infant_weight_g = infant_weight_g(parameters_, birth_weight_g_, x[st::milk_transferred], t);
      day.infant_weight_change_percent = weight_change_percent(day.infant_weight_g, birth_weight_g_);
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
    sum_peak_prl_ += peaks_.prolactin_total_ng_ml;
    sum_peak_ot_ += peaks_.oxytocin_uU_ml;
    ++feeds_;
    peaks_ = FeedPeaks{};
    in_feed_ = false;
  }

  Endpoints& out_;
  std::span<const double> feed_starts_h_;
  std::span<const Session> sessions_;
  std::vector<DailyTotals>* daily_;
  bool first_edge_ = true;
  double day_start_h_ = 0.0;
  model::State at_day_start_{};
  std::size_t next_feed_ = 0;
  bool in_feed_ = false;
  double current_feed_start_h_ = 0.0;
  FeedPeaks peaks_;
  double sum_peak_prl_ = 0.0, sum_peak_ot_ = 0.0;
  int feeds_ = 0;
  const model::ModelParameters& parameters_;
  double birth_weight_g_;
  bool fell_below_birth_weight_ = false;
  std::size_t next_pump_ = 0;           // next entry of sessions_ to look at for a pump session
  bool pump_open_ = false;              // a pump session is running
  Session open_pump_{SessionKind::pump, 0.0, 0.0};
  double expressed_at_pump_start_ml_ = 0.0;
};

}  // namespace lactsim::detail
