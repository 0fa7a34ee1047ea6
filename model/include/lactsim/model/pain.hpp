#pragma once
/// @file pain.hpp
/// Pain (NRS 0–10) as a model input: a parametric post-delivery profile, or observed
/// points interpolated linearly. Both are continuous in time; their kinks are reported
/// as breakpoints so the integrator can stop on them.

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

  /// Pain score at `time_h` hours after birth, in [0, 10].
  double nrs_at(double time_h) const;

  /// Times (h) where the profile has a kink, sorted ascending.
  std::vector<double> breakpoints_h() const;

  /// True when built from observed points.
  bool is_observed() const { return !points_.empty(); }

 private:
  PainInput() = default;
  double initial_nrs_ = 0, anaesthesia_h_ = 0, peak_nrs_ = 0, peak_h_ = 1, resolved_h_ = 2;
  std::vector<PainPoint> points_;
};

}  // namespace lactsim::model
