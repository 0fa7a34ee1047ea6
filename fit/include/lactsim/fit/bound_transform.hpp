#pragma once
/// @file bound_transform.hpp
/// Maps an unbounded optimiser coordinate u onto a parameter inside [lower, upper], so a
/// least-squares step can never leave the bounds. Positive-bounded parameters spanning
/// more than a decade are mapped on a log scale, so steps are relative (rates, times).

#include <cmath>

namespace lactsim {

/// theta(u) = lower + (upper − lower)·logistic(u), or its log-scale analogue.
class BoundTransform {
 public:
  /// @param lower,upper  finite, lower < upper (checked by the caller)
  BoundTransform(double lower, double upper)
      : lower_(lower), upper_(upper), log_scale_(lower > 0.0 && upper / lower > 10.0) {}

  /// True when the parameter is mapped on a log scale.
  bool log_scale() const { return log_scale_; }
  double lower() const { return lower_; }
  double upper() const { return upper_; }

  /// Parameter value for optimiser coordinate u.
  double to_parameter(double u) const {
    const double s = logistic(u);
    if (log_scale_) return std::exp(std::log(lower_) + (std::log(upper_) - std::log(lower_)) * s);
    return lower_ + (upper_ - lower_) * s;
  }

  /// Optimiser coordinate of a value strictly inside the bounds (values on a bound are
  /// nudged inside by 1e-9 of the span, since the logistic reaches a bound only at ±∞).
  double to_internal(double theta) const {
    double s = log_scale_ ? (std::log(theta) - std::log(lower_)) / (std::log(upper_) - std::log(lower_))
                          : (theta - lower_) / (upper_ - lower_);
    constexpr double kInside = 1e-9;
    s = s < kInside ? kInside : (s > 1.0 - kInside ? 1.0 - kInside : s);
    return std::log(s / (1.0 - s));
  }

  /// d theta / d u at u.
  double derivative(double u) const {
    const double s = logistic(u);
    const double ds = s * (1.0 - s);
    if (log_scale_) return to_parameter(u) * (std::log(upper_) - std::log(lower_)) * ds;
    return (upper_ - lower_) * ds;
  }

  /// Position of theta within the bounds on the transform's scale, 0 (lower) to 1 (upper).
  double fraction(double theta) const {
    return log_scale_ ? (std::log(theta) - std::log(lower_)) / (std::log(upper_) - std::log(lower_))
                      : (theta - lower_) / (upper_ - lower_);
  }

 private:
  static double logistic(double u) { return 1.0 / (1.0 + std::exp(-u)); }
  double lower_, upper_;
  bool log_scale_;
};

}  // namespace lactsim
