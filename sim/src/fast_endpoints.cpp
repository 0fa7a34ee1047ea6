#include "lactsim/sim/fast_endpoints.hpp"

#include <algorithm>
#include <cmath>

#include "lactsim/model/parameter_registry.hpp"

namespace lactsim {
namespace {

constexpr double kHoursPerDay = 24.0;
constexpr double kMinutesPerHour = 60.0;
constexpr double kTimeMatchTolerance_h = 1e-9;

/// Reduces a run to endpoints as it integrates (the fast-path counterpart of RunRecorder).
class EndpointRecorder {
 public:
  EndpointRecorder(const model::LactationModel& model, std::span<const double> feed_starts_h, FastEndpoints& out)
      : model_(model), feed_starts_h_(feed_starts_h), out_(out) {}

  void on_edge(double t, const model::State& x, const Segment* next) {
    if (first_edge_) {
      at_day_start_ = x[model::state::milk_transferred];
      first_edge_ = false;
    }
    const bool day_end = std::abs(t - (day_start_h_ + kHoursPerDay)) <= kTimeMatchTolerance_h;
    if ((day_end || (next == nullptr && t > day_start_h_)) && out_.days < static_cast<int>(kMaxEndpointDays)) {
      out_.milk_by_day_ml[static_cast<std::size_t>(out_.days++)] = x[model::state::milk_transferred] - at_day_start_;
      at_day_start_ = x[model::state::milk_transferred];
      day_start_h_ = t;
    }
  }

  void on_step(const StepView& s) {
    constexpr auto k = model::state::activation;
    if (!out_.onset_h && s.x0[k] < kOnsetActivationThreshold && s.x1[k] >= kOnsetActivationThreshold) {
      out_.onset_h = onset_in_step(s);
    }
    // Feed responses: peaks at accepted step ends inside the window after each feed start.
    while (next_feed_ < feed_starts_h_.size() && feed_starts_h_[next_feed_] < s.t1) {
      flush_feed();
      current_feed_start_h_ = feed_starts_h_[next_feed_++];
      in_feed_ = true;
    }
    if (in_feed_ && s.t1 <= current_feed_start_h_ + kFeedResponseWindow_h) {
      peak_ot_ = std::max(peak_ot_, s.x1[model::state::oxytocin]);
      // Basal PRL is monotone in time (an exponential approach to its floor), so its larger
      // value at the window's ends bounds it inside: skip the (costly) derived() call when
      // even that bound cannot beat the current peak.
      const double evoked = s.x1[model::state::prolactin_evoked];
      if (basal_bound_ < 0.0 || basal_bound_ + evoked > peak_prl_) {
        const model::DerivedQuantities d = model_.derived(s.x1, s.t1);
        if (basal_bound_ < 0.0) {
          const double window_end_h = current_feed_start_h_ + kFeedResponseWindow_h;
          basal_bound_ = std::max(d.prolactin_basal_ng_ml, model_.derived(s.x1, window_end_h).prolactin_basal_ng_ml);
        }
        peak_prl_ = std::max(peak_prl_, d.prolactin_total_ng_ml);
      }
    }
  }

  /// Closes the last feed window; call once after integration.
  void finish() {
    flush_feed();
    if (feeds_ > 0) {
      out_.prl_peak_per_feed_ng_ml = sum_peak_prl_ / feeds_;
      out_.ot_peak_per_feed_uU_ml = sum_peak_ot_ / feeds_;
    }
    out_.feeds = feeds_;
  }

 private:
  /// Onset time inside a step: bisection on the cubic Hermite interpolant (as simulate()).
  static double onset_in_step(const StepView& s) {
    constexpr auto k = model::state::activation;
    const double h = s.t1 - s.t0;
    auto interpolate = [&](double t) {
      const double u = (t - s.t0) / h;
      const double h00 = (1 + 2 * u) * (1 - u) * (1 - u), h10 = u * (1 - u) * (1 - u);
      const double h01 = u * u * (3 - 2 * u), h11 = u * u * (u - 1);
      return h00 * s.x0[k] + h10 * h * s.dxdt0[k] + h01 * s.x1[k] + h11 * h * s.dxdt1[k];
    };
    double lo = s.t0, hi = s.t1;
    for (int i = 0; i < 60 && hi - lo > 1e-10; ++i) {
      const double mid = 0.5 * (lo + hi);
      (interpolate(mid) < kOnsetActivationThreshold ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  }

  void flush_feed() {
    if (!in_feed_) return;
    sum_peak_prl_ += peak_prl_;
    sum_peak_ot_ += peak_ot_;
    ++feeds_;
    peak_prl_ = peak_ot_ = 0.0;
    basal_bound_ = -1.0;
    in_feed_ = false;
  }

  const model::LactationModel& model_;
  std::span<const double> feed_starts_h_;
  FastEndpoints& out_;
  bool first_edge_ = true;
  double day_start_h_ = 0.0;
  double at_day_start_ = 0.0;
  std::size_t next_feed_ = 0;
  bool in_feed_ = false;
  double current_feed_start_h_ = 0.0;
  double peak_prl_ = 0.0, peak_ot_ = 0.0, sum_peak_prl_ = 0.0, sum_peak_ot_ = 0.0;
  double basal_bound_ = -1.0;  ///< basal PRL at the feed window's first step; < 0 = not yet known
  int feeds_ = 0;
};

}  // namespace

FastEndpoints simulate_endpoints(const SimulationInput& input, const SolverOptions& solver, FastWorkspace& workspace) {
  if (auto violations = model::validate_parameters(input.parameters); !violations.empty()) {
    throw InputError({"<parameters>", 0, 0}, violations.front().parameter, violations.front().message);
  }
  validate_solver_options(solver);
  if (!std::isfinite(input.horizon_h) || input.horizon_h <= 0.0) {
    throw InputError({"<simulation input>", 0, 0}, "horizon_h", "must be positive and finite");
  }
  model::LactationModel model = make_model(input);
  // The same segments as simulate() without a timeseries grid: sessions, pre-feed leads,
  // day boundaries and pain kinks.
  workspace.extra_edges_h = model.pain().breakpoints_h();
  const double pre_feed_lead_h = input.parameters.ot_conditioned_lead_min / kMinutesPerHour;
  const std::vector<Segment> segments =
      build_segments(input.sessions, pre_feed_lead_h, input.horizon_h, workspace.extra_edges_h);
  workspace.feed_starts_h.clear();
  for (const Session& s : input.sessions) {
    if (s.kind == SessionKind::feed && s.start_h < input.horizon_h) workspace.feed_starts_h.push_back(s.start_h);
  }
  std::sort(workspace.feed_starts_h.begin(), workspace.feed_starts_h.end());

  FastEndpoints out;
  model::State x = model.initial_state();
  const model::State x0 = x;
  EndpointRecorder recorder(model, workspace.feed_starts_h, out);
  out.stats = integrate_segments(model, segments, x, solver, recorder);
  recorder.finish();
  namespace st = model::state;
  out.milk_transferred_total_ml = x[st::milk_transferred] - x0[st::milk_transferred];
  out.milk_expressed_total_ml = x[st::milk_expressed] - x0[st::milk_expressed];
  out.milk_synthesised_total_ml = x[st::milk_synthesised] - x0[st::milk_synthesised];
  return out;
}

}  // namespace lactsim
