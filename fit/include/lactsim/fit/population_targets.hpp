#pragma once
/// @file population_targets.hpp
/// Smoothed population statistics for calibrating between-mother spread: a fraction of
/// mothers past a threshold is a step function of each mother's value, so an objective built
/// from it is piecewise constant in the spread and Levenberg–Marquardt's finite differences see
/// zero or a jump. With common random numbers each mother's value moves smoothly with the
/// spread; replacing the indicator by a logistic kernel of bandwidth b makes the fraction (and
/// the quantiles that invert it) smooth too (docs/calibration.md, "Between-mother variability").

#include <span>

namespace lactsim {

/// Λ((threshold − v)/b) summed with weights over values v, divided by the weights' sum: the
/// kernel-smoothed fraction of values below `threshold`. As b → 0 it tends to the weighted
/// fraction below (values exactly at the threshold count one half); its bias for a smooth
/// density f is about (π b)²/6 · f'(threshold) (the logistic's variance is π² b²/3).
/// @pre values and weights have the same size, weights ≥ 0 with a positive sum, b > 0
double smoothed_fraction_below(std::span<const double> values, std::span<const double> weights, double threshold,
                               double bandwidth);

/// The x where smoothed_fraction_below(values, weights, x, bandwidth) = q, for q in (0, 1):
/// a kernel-smoothed quantile, found by bisection to 1e-12 of the values' range (the smoothed
/// fraction rises strictly with x, so x is unique).
double smoothed_quantile(std::span<const double> values, std::span<const double> weights, double q, double bandwidth);

/// ln(p / (1 − p)), with p kept within [1e-12, 1 − 1e-12] so that a fraction of 0 or 1 gives a
/// large finite log-odds.
double log_odds(double p);

}  // namespace lactsim
