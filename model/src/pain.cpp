#include "lactsim/model/pain.hpp"

#include <algorithm>
#include <cmath>

namespace lactsim::model {

PainInput PainInput::parametric(const ModelParameters& p) {
  PainInput pain;
  pain.initial_nrs_ = p.pain_initial_nrs;
  pain.anaesthesia_h_ = p.pain_anaesthesia_h;
  pain.peak_nrs_ = p.pain_peak_nrs;
  pain.peak_h_ = p.pain_peak_h;
  pain.resolved_h_ = p.pain_resolved_h;
  return pain;
}

PainInput PainInput::from_points(std::vector<PainPoint> points) {
  PainInput pain;
  pain.points_ = std::move(points);
  return pain;
}

double PainInput::nrs_at(double t) const {
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
  return peak_nrs_ * (1.0 - std::log(t / peak_h_) / std::log(resolved_h_ / peak_h_));
}

std::vector<double> PainInput::breakpoints_h() const {
  std::vector<double> times;
  if (!points_.empty()) {
    for (const auto& p : points_) times.push_back(p.time_h);
  } else {
    for (double t : {anaesthesia_h_, peak_h_, resolved_h_}) {
      if (t > 0) times.push_back(t);
    }
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  return times;
}

}  // namespace lactsim::model
