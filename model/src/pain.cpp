#include "lactsim/model/pain.hpp"

#include <algorithm>
#include <cmath>

#include "lactsim/model/batch_math.hpp"

namespace lactsim::model {

PainInput PainInput::parametric(const ModelParameters& p) {
  PainInput pain;
  pain.initial_nrs_ = p.pain_initial_nrs;
  pain.anaesthesia_h_ = p.pain_anaesthesia_h;
  pain.peak_nrs_ = p.pain_peak_nrs;
  pain.peak_h_ = p.pain_peak_h;
  pain.resolved_h_ = p.pain_resolved_h;
  pain.log_decline_span_ = std::log(p.pain_resolved_h / p.pain_peak_h);
  return pain;
}

PainInput PainInput::from_points(std::vector<PainPoint> points) {
  PainInput pain;
  pain.points_ = std::move(points);
  return pain;
}

void PainInput::add_delivery_stress(double stress_nrs, double decay_h) {
  stress_nrs_ = stress_nrs;
  inverse_stress_decay_h_ = 1.0 / decay_h;
}

void PainInput::nrs_at_times(std::span<const double> times_h, std::span<double> out) const {
  const bool all_in_log_decline =
      points_.empty() && std::all_of(times_h.begin(), times_h.end(), [&](double t) { return t >= peak_h_ && t < resolved_h_; });
  if (!all_in_log_decline) {
    for (std::size_t i = 0; i < times_h.size(); ++i) out[i] = nrs_at(times_h[i]);
    return;
  }
  // The decline of reported_nrs_at, with one batch of logarithms; then the delivery stress.
  const double inverse_peak_h = 1.0 / peak_h_;
  for (std::size_t i = 0; i < times_h.size(); ++i) out[i] = times_h[i] * inverse_peak_h;
  log_batch(out.data(), out.data(), out.size());
  for (double& value : out) value = peak_nrs_ * (1.0 - value / log_decline_span_);
  if (stress_nrs_ > 0.0) {
    for (std::size_t i = 0; i < times_h.size(); ++i) out[i] += delivery_stress_at(times_h[i]);
  }
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
