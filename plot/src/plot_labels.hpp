#pragma once
/// @file plot_labels.hpp
/// What a figure calls a column of its input: a model parameter by the registry's display
/// name and unit, an endpoint by endpoint_label(), anything else as written. Every axis,
/// colour-bar and legend text built from a column name comes from here.

#include <string>
#include <string_view>

namespace lactsim {

/// A quantity as people read it.
struct QuantityLabel {
  std::string name;  ///< e.g. "Massage relief half-life"
  std::string unit;  ///< as stored, e.g. "h", "uU/mL", "1"; empty when unknown
};

/// The label of column `column`: a registered parameter, an endpoint, or (anything else, e.g.
/// a free-form header of a figure-input file) the text itself with no unit.
QuantityLabel quantity_label(std::string_view column);

/// `unit` as printed on a figure: "uU/mL" as "µU/mL", "1" as "dimensionless".
std::string display_unit(std::string_view unit);

/// "Name (unit)" with display_unit(); the name alone when the unit is empty.
std::string axis_label(const QuantityLabel& label);

}  // namespace lactsim
