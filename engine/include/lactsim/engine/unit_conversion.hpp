#pragma once
/// @file unit_conversion.hpp
/// Conversions between the units observed data arrive in and the units the model
/// reports. Only conversions with a documented factor are defined (docs/fitting.md).

#include <optional>
#include <string_view>

namespace lactsim {

/// Hours in a day (schedules, day-indexed outputs).
inline constexpr double kHoursPerDay = 24.0;

/// Minutes in an hour (scenario files and flags give minutes; the model runs in hours).
inline constexpr double kMinutesPerHour = 60.0;

/// Density of human milk, g/mL. Test-weighing studies (Saint 1984, Evans 2003) report grams;
/// the model reports millilitres. 1.03 g/mL is the conventional value for human milk used in
/// test-weighing conversions (e.g. Neville et al. 1988, Am J Clin Nutr 48:1375-86; the primary
/// density measurement was not re-read, docs/fitting.md); ~1% differences are far below
/// test-weighing error.
inline constexpr double kHumanMilkDensity_g_per_ml = 1.03;

/// Oxytocin mass per international unit, pg per µU: synthetic oxytocin has a potency of
/// ~600 IU/mg (WHO International Standard; 1 IU = 1.667 µg), so 1 µU = 1.667 pg and
/// 1 µU/mL = 1.667 pg/mL. Immunoassays differ by far more than this factor's uncertainty.
inline constexpr double kOxytocin_pg_per_uU = 1000.0 / 600.0;

/// The model unit in which a quantity is simulated, e.g. "mL/day" for milk_transferred_daily;
/// empty for an unknown quantity.
std::optional<std::string_view> model_unit(std::string_view quantity);

/// Factor that converts a value in `unit` to the model unit of `quantity`
/// (value_model = factor * value_observed); empty when no conversion is defined.
std::optional<double> to_model_unit_factor(std::string_view quantity, std::string_view unit);

}  // namespace lactsim
