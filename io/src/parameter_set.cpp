#include "lactsim/io/parameter_set.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/json_writer.hpp"
#include "parameter_table_reader.hpp"

namespace lactsim {

std::vector<ParameterOverride> parse_parameter_set(std::string_view text, const std::filesystem::path& file) {
  const std::string file_name = file.string();
  const toml::table root = detail::parse_toml_document(text, file_name);
  const detail::TomlTable top(root, "", file_name);
  top.reject_unknown_keys({"parameters", "provenance"});
  const detail::TomlTable table = top.required_table("parameters");
  std::vector<ParameterOverride> overrides = detail::read_parameter_table(table);
  if (overrides.empty()) table.fail("", "a parameter set needs at least one NAME = VALUE");
  return overrides;
}

namespace detail {

std::vector<ParameterOverride> read_parameter_table(const TomlTable& table) {
  std::vector<ParameterOverride> overrides;
  for (auto&& [key, node] : table.raw()) {
    const std::string name(key.str());
    const SourceLocation where = table.location_of(name);
    if (model::find_parameter(name) == nullptr) {
      throw InputError(where, table.field(name),
                       "unknown parameter '" + name + "'; did you mean '" + model::closest_parameter_name(name) +
                           "'? (`lactsim params` lists them all)");
    }
    auto value = as_number(node);
    if (!value) table.fail(name, "expected a number, found " + describe_type(node));
    overrides.push_back({name, *value, where});
  }
  // Apply in file order, so messages and provenance follow the text.
  std::stable_sort(overrides.begin(), overrides.end(),
                   [](const ParameterOverride& a, const ParameterOverride& b) { return a.where.line < b.where.line; });
  return overrides;
}

}  // namespace detail

std::vector<ParameterOverride> load_parameter_set(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0, 0}, "", "cannot open parameter-set file");
  return parse_parameter_set(read_bounded(in, file, limits::kMaxTomlFileBytes, ""), file);
}

std::string parameter_set_toml(const std::vector<std::pair<std::string, double>>& values,
                               const std::vector<std::string>& header_lines,
                               const std::vector<std::pair<std::string, std::string>>& provenance) {
  std::string out;
  for (const std::string& line : header_lines) out += "# " + line + "\n";
  if (!provenance.empty()) {
    out += "\n[provenance]\n";
    for (const auto& [key, text] : provenance) out += key + " = " + json_quote(text) + "\n";
  }
  out += "\n[parameters]\n";
  for (const auto& [name, value] : values) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", value);  // 17 digits: reads back bit-identical
    std::string number = text;
    // TOML floats need a '.' or an exponent; "%.17g" may give an integer-looking "3".
    if (number.find_first_of(".eEn") == std::string::npos) number += ".0";
    const model::ParameterInfo* info = model::find_parameter(name);
    out += name + " = " + number + (info ? "  # " + std::string(info->unit) : std::string()) + "\n";
  }
  return out;
}

}  // namespace lactsim
