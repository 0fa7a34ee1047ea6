#pragma once
/// @file infant_weight.hpp
/// The infant's mass balance (docs/model.md §Infant weight): birth weight, plus the milk the
/// model transfers (mL at the milk density), minus losses: a constant rate per kg of birth weight
/// and a fixed fraction of the milk taken in. The losses have a closed form in time and
/// cumulative milk, so the weight needs no state of its own.

#include <optional>

#include "lactsim/model/parameters.hpp"

namespace lactsim {

/// Birth weight when a scenario has no [infant] table, g: a term newborn near the median.
/// Assumption (no calibration data depends on it: losses scale with birth weight).
inline constexpr double kDefaultBirthWeight_g = 3300.0;

/// Smallest and largest birth weight a scenario may give, g: term and near-term newborns
/// (the loss parameters were calibrated on term newborns only).
inline constexpr double kMinBirthWeight_g = 1500.0;
inline constexpr double kMaxBirthWeight_g = 5500.0;

/// Grams per kilogram (the loss rates are per kg of birth weight).
inline constexpr double kGramsPerKilogram = 1000.0;

/// Cumulative loss L(t), g, from birth to `time_h` with `milk_transferred_ml` taken in:
/// L(t) = (W0 / 1000) · l · t + f · ρ · M(t), W0 the birth weight in g, l =
/// infant_loss_g_kg_h, f = infant_intake_loss_fraction, ρ the milk density (g/mL), M in mL.
double infant_cumulative_loss_g(const model::ModelParameters& parameters, double birth_weight_g,
                                double milk_transferred_ml, double time_h);

/// Infant weight W(t), g: birth weight + milk density × milk transferred (mL) − L(t).
double infant_weight_g(const model::ModelParameters& parameters, double birth_weight_g,
                       double milk_transferred_ml, double time_h);

/// Change of weight since birth, percent of birth weight (negative while below it).
double weight_change_percent(double weight_g, double birth_weight_g);

}  // namespace lactsim
