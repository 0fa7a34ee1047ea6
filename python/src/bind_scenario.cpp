/// @file bind_scenario.cpp
/// Scenarios (loading from a file or text, parameter overrides) and the parameter registry.

#include "bindings.hpp"
#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/io/parameter_set.hpp"
#include "lactsim/io/scenario.hpp"

namespace lactsim::python {
namespace {

/// Overrides given from Python as (name, value) pairs, located at kPythonArgument.
std::vector<ParameterOverride> python_overrides(const std::vector<std::pair<std::string, double>>& pairs) {
  std::vector<ParameterOverride> overrides;
  for (const auto& [name, value] : pairs) overrides.push_back({name, value, kPythonArgument});
  return overrides;
}

/// {name: value} of every parameter of a scenario, in registry order.
py::dict parameter_values(const Scenario& scenario) {
  py::dict values;
  for (const model::ParameterInfo& info : model::parameter_registry()) {
    values[py::str(info.name.data(), info.name.size())] = scenario.parameters.*(info.member);
  }
  return values;
}

/// The registry as columns, named as in `lactsim params --format csv`.
py::dict registry_columns() {
  std::vector<std::string> names, units, descriptions, sources, display_names;
  std::vector<double> vaginal, planned, emergency, lower, upper;
  for (const model::ParameterInfo& p : model::parameter_registry()) {
    names.emplace_back(p.name);
    units.emplace_back(p.unit);
    vaginal.push_back(p.default_for(model::DeliveryMode::vaginal));
    planned.push_back(p.default_for(model::DeliveryMode::caesarean_planned));
    emergency.push_back(p.default_for(model::DeliveryMode::caesarean_emergency));
    lower.push_back(p.lower_bound);
    upper.push_back(p.upper_bound);
    descriptions.emplace_back(p.description);
    sources.emplace_back(p.source);
    display_names.emplace_back(p.display_name);
  }
  py::dict columns;
  columns["name"] = names;
  columns["unit"] = units;
  columns["default_vaginal"] = to_array(vaginal);
  columns["default_caesarean_planned"] = to_array(planned);
  columns["default_caesarean_emergency"] = to_array(emergency);
  columns["lower_bound"] = to_array(lower);
  columns["upper_bound"] = to_array(upper);
  columns["description"] = descriptions;
  columns["source"] = sources;
  columns["display_name"] = display_names;
  return columns;
}

}  // namespace

void bind_scenario(py::module_& module) {
  py::class_<Scenario>(module, "ScenarioData", "A loaded, validated scenario (lactsim::Scenario).")
      .def_property_readonly("name", [](const Scenario& s) { return s.name; })
      .def_property_readonly("description", [](const Scenario& s) { return s.description; })
      .def_property_readonly("file", [](const Scenario& s) { return s.file.string(); })
      .def_property_readonly("sha256", [](const Scenario& s) { return s.sha256; })
      .def_property_readonly("duration_days", [](const Scenario& s) { return s.duration_days; })
      .def_property_readonly("horizon_h", &Scenario::horizon_h)
      .def_property_readonly("delivery_mode",
                             [](const Scenario& s) { return std::string(model::to_string(s.covariates.delivery_mode)); })
      .def_property_readonly("parity", [](const Scenario& s) { return std::string(model::to_string(s.covariates.parity)); })
      .def_property_readonly("parameters", &parameter_values)
      .def_property_readonly("overrides",
                             [](const Scenario& s) {
                               py::list out;
                               for (const ParameterOverride& o : s.overrides) {
                                 out.append(py::make_tuple(o.name, o.value, o.where.to_string()));
                               }
                               return out;
                             })
      .def_property_readonly("population_size",
                             [](const Scenario& s) -> std::optional<std::size_t> {
                               if (!s.population) return std::nullopt;
                               return s.population->size;
                             })
      .def_property_readonly("observed_quantities", [](const Scenario& s) {
        std::vector<std::string> quantities;
        for (const ObservedSeries& series : s.observed) quantities.push_back(series.quantity);
        return quantities;
      });

  module.def(
      "load_scenario",
      [](const std::string& path, const std::vector<std::pair<std::string, double>>& overrides,
         const std::string& params_file) {
        std::vector<ParameterOverride> all;
        if (!params_file.empty()) all = load_parameter_set(params_file);
        for (ParameterOverride& o : python_overrides(overrides)) all.push_back(std::move(o));
        return load_scenario(path, all);  // parameters validated once, with every override applied
      },
      py::arg("path"), py::arg("overrides"), py::arg("params_file"),
      "Loads a scenario file, applies a parameter-set file (when not empty) and then the overrides.");
  module.def(
      "parse_scenario",
      [](const std::string& text, const std::string& label,
         const std::vector<std::pair<std::string, double>>& overrides) {
        return parse_scenario(text, label, python_overrides(overrides));
      },
      py::arg("text"), py::arg("label"), py::arg("overrides"),
      "Parses scenario TOML text; `label` stands for the file name in messages.");
  module.def(
      "with_overrides",
      [](Scenario scenario, const std::vector<std::pair<std::string, double>>& overrides) {
        apply_overrides(scenario, python_overrides(overrides));
        return scenario;
      },
      py::arg("scenario"), py::arg("overrides"), "A copy of the scenario with more parameter overrides.");
  module.def("parameter_registry", &registry_columns, "Every model parameter's metadata as columns.");
}

}  // namespace lactsim::python
