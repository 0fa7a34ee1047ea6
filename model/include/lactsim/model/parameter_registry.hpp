#pragma once
/// @file parameter_registry.hpp
/// Metadata of every model parameter: name, unit, default, plausible bounds, source.
/// The single place where defaults live; docs/model.md mirrors this table.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lactsim/model/covariates.hpp"
#include "lactsim/model/parameters.hpp"

namespace lactsim::model {

/// Defaults that depend on the delivery mode, in enum order (vaginal, planned, emergency).
struct DeliveryModeDefaults {
  double vaginal;
  double caesarean_planned;
  double caesarean_emergency;
};

/// Everything known about one parameter except its value.
struct ParameterInfo {
  std::string_view name;         ///< snake_case identifier, used in scenarios and --set
  std::string_view unit;         ///< unit of the value
  double default_value;          ///< default (vaginal birth where mode-dependent)
  double lower_bound;            ///< smallest plausible value (inclusive)
  double upper_bound;            ///< largest plausible value (inclusive)
  std::string_view source;       ///< literature source or the stated reason for the value
  std::string_view description;  ///< one-line meaning
  double ModelParameters::*member;
  std::optional<DeliveryModeDefaults> by_delivery_mode;  ///< set when the mode shifts the default
  /// Short name for people, sentence case without the unit: figure axes, legends and
  /// `lactsim params` (e.g. "Massage relief half-life" for massage_relief_half_life_h).
  std::string_view display_name;

  /// Default for a given delivery mode.
  double default_for(DeliveryMode mode) const;
};

/// All parameters, in documentation order.
std::span<const ParameterInfo> parameter_registry();

/// Looks a parameter up by exact name; nullptr when there is none.
const ParameterInfo* find_parameter(std::string_view name);

/// The registered name closest to `name` (edit distance), for "did you mean" messages.
std::string closest_parameter_name(std::string_view name);

/// Default parameter values for the given covariates.
ModelParameters default_parameters(const Covariates& covariates);

/// One violated constraint, described for the user.
struct ParameterViolation {
  std::string parameter;  ///< the parameter at fault
  std::string message;    ///< what is wrong, with the value and the allowed range
};

/// How a parameter must compare with another one.
enum class OrderRelation {
  at_least,      ///< parameter ≥ other
  greater_than,  ///< parameter > other
  at_most,       ///< parameter ≤ other
};

/// A cross-parameter constraint, e.g. pain_peak_h ≥ pain_anaesthesia_h.
struct ParameterOrder {
  std::string_view parameter;  ///< the parameter named at fault when the constraint is broken
  OrderRelation relation;
  std::string_view other;
  std::string_view wording;    ///< the relation in a message, e.g. "must not be earlier than"
};

/// Every cross-parameter constraint that validate_parameters checks.
std::span<const ParameterOrder> parameter_orders();

/// Checks every value against its bounds and the cross-parameter constraints
/// (e.g. pain_peak_h >= pain_anaesthesia_h). Empty when all is well.
std::vector<ParameterViolation> validate_parameters(const ModelParameters& parameters);

}  // namespace lactsim::model
