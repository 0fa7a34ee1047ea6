#include "plot_labels.hpp"

#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/model/parameter_registry.hpp"

namespace lactsim {

QuantityLabel quantity_label(std::string_view column) {
  if (const model::ParameterInfo* parameter = model::find_parameter(column)) {
    return {std::string(parameter->display_name), std::string(parameter->unit)};
  }
  if (auto endpoint = endpoint_label(column)) return {endpoint->display_name, endpoint->unit};
  return {std::string(column), ""};
}

std::string display_unit(std::string_view unit) {
  if (unit == "1") return "dimensionless";
  // Identifiers and files spell micro as "u" (ASCII); a figure shows the sign.
  if (unit.starts_with("uU/")) return "\u00b5" + std::string(unit.substr(1));
  return std::string(unit);
}

std::string axis_label(const QuantityLabel& label) {
  return label.unit.empty() ? label.name : label.name + " (" + display_unit(label.unit) + ")";
}

}  // namespace lactsim
