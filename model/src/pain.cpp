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
  pain.log_decline_span_ = std::log(p.pain_resolved_h / p.pain_peak_h);
  return pain;
}

PainInput PainInput::from_points(std::vector<PainPoint> points) {
  PainInput pain;
  pain.points_ = std::move(points);
  return pain;
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
