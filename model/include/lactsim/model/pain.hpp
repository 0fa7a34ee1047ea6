#pragma once
/// @file pain.hpp
/// Pain (NRS 0–10) as a model input: a parametric post-delivery profile, or observed
/// points interpolated linearly. Both are continuous in time; their kinks are reported
/// as breakpoints so the integrator can stop on them.

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "lactsim/model/parameters.hpp"

namespace lactsim::model {

/// One observed pain score.
struct PainPoint {
  double time_h;  ///< hours after birth
  double nrs;     ///< pain score, 0–10
};

/// Pain as a function of time since birth.
class PainInput {
 public:
  /// Parametric profile: pain_initial_nrs until pain_anaesthesia_h, a linear rise to
  /// pain_peak_nrs at pain_peak_h, then a decline linear in log(time) (Booth et al. 2018)
  /// that reaches 0 at pain_resolved_h (Komatsu et al. 2017).
  static PainInput parametric(const ModelParameters& parameters);

  /// Observed scores, interpolated linearly and held constant outside the first and last
  /// point. Points must be sorted by strictly increasing time with scores in [0, 10].
  static PainInput from_points(std::vector<PainPoint> points);

  /// Pain score at `time_h` hours after birth, in [0, 10]. Inline: evaluated in every
  /// right-hand-side evaluation.
  double nrs_at(double time_h) const;

  /// Pain scores at many times at once, out[i] = nrs_at(times_h[i]) up to the last bits (the
  /// logarithms go through log_batch). Same length for both spans.
  void nrs_at_times(std::span<const double> times_h, std::span<double> out) const;

  /// Times (h) where the profile has a kink, sorted ascending.
  std::vector<double> breakpoints_h() const;

 private:
  PainInput() = default;
  double initial_nrs_ = 0, anaesthesia_h_ = 0, peak_nrs_ = 0, peak_h_ = 1, resolved_h_ = 2;
  double log_decline_span_ = 0.6931471805599453;  // log(resolved_h_ / peak_h_)
  std::vector<PainPoint> points_;
};

inline double PainInput::nrs_at(double t) const {
  if (!points_.empty()) {
    if (t <= points_.front().time_h) return points_.front().nrs;
    if (t >= points_.back().time_h) return points_.back().nrs;
    auto upper = std::upper_bound(points_.begin(), points_.end(), t,
                                  [](double value, const PainPoint& p) { return value < p.time_h; });
    const PainPoint& b = *upper;
    const PainPoint& a = *(upper - 1);
    return a.nrs + (b.nrs - a.nrs) * (t - a.time_h) / (b.time_h - a.time_h);
  }
  if (t < anaesthesia_h_) return initial_nrs_;
  if (t < peak_h_) {
    return initial_nrs_ + (peak_nrs_ - initial_nrs_) * (t - anaesthesia_h_) / (peak_h_ - anaesthesia_h_);
  }
  if (t >= resolved_h_) return 0.0;
  // Worst daily pain falls linearly in log(time) (Booth et al. 2018, Pain 159:2088).
  return peak_nrs_ * (1.0 - std::log(t / peak_h_) / log_decline_span_);
}

}  // namespace lactsim::model
