// The [population] table (a scenario's, or a standalone population file's): size, seed,
// [population.variability] NAME = cv or NAME = {distribution, cv | sd, lower, upper},
// [[population.correlations]]. Format: docs/analyses.md, "[population]".

#include "population_table_reader.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "lactsim/engine/text_format.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/model/parameter_registry.hpp"

namespace lactsim::detail {
namespace {

/// A coefficient of variation from 0 to kMaxVariabilityCv at `key` of `table`.
double variability_cv(const TomlTable& table, std::string_view key, const toml::node& node) {
  auto cv = detail::as_number(node);
  if (!cv || !std::isfinite(*cv) || *cv < 0.0 || *cv > kMaxVariabilityCv) {
    table.fail(key, "expected a coefficient of variation from 0 to " + format_number(kMaxVariabilityCv) +
                        " (e.g. 0.3 for 30%)");
  }
  return *cv;
}

/// [population.variability.NAME]: distribution = "...", with cv (lognormal, logitnormal),
/// cv or sd (normal), lower/upper (normal, uniform). Whether the support fits the bounds
/// is the sampler's check (it also knows the scenario's values), reported at this table.
void read_variability_table(const TomlTable& entry, const model::ParameterInfo& info,
                            ParameterVariability& variability) {
  const std::string name = entry.optional_string("distribution").value_or("");
  if (name.empty()) {
    variability.distribution = default_distribution(info.lower_bound, info.upper_bound);
  } else if (auto parsed = parse_distribution_name(name)) {
    variability.distribution = *parsed;
  } else {
    entry.fail("distribution", "unknown distribution '" + name +
                                   "'; expected lognormal, logitnormal, normal or uniform (did you mean '" +
                                   detail::closest_word(name, {"lognormal", "logitnormal", "normal", "uniform"}) + "'?)");
  }
  variability.where = entry.location();
  switch (variability.distribution) {
    case VariabilityDistribution::by_bounds:
    case VariabilityDistribution::lognormal:
    case VariabilityDistribution::logitnormal:
      entry.reject_unknown_keys({"distribution", "cv"});
      if (!entry.has("cv")) entry.fail("cv", "a " + std::string(distribution_name(variability.distribution)) + " needs cv");
      break;
    case VariabilityDistribution::truncated_normal:
      entry.reject_unknown_keys({"distribution", "cv", "sd", "lower", "upper"});
      if (entry.has("cv") == entry.has("sd")) entry.fail("sd", "give either cv (sd = cv × the scenario value) or sd");
      break;
    case VariabilityDistribution::uniform:
      entry.reject_unknown_keys({"distribution", "lower", "upper"});
      break;
  }
  if (entry.has("cv")) variability.cv = variability_cv(entry, "cv", *entry.raw().get("cv"));
  variability.sd = entry.optional_number("sd");
  if (variability.sd && !(std::isfinite(*variability.sd) && *variability.sd > 0.0)) {
    entry.fail("sd", "must be a positive number in " + std::string(info.name) + "'s unit (" + std::string(info.unit) + ")");
  }
  variability.lower = entry.optional_number("lower");
  variability.upper = entry.optional_number("upper");
}

}  // namespace

PopulationSpec read_population_table(const TomlTable& table) {
  table.reject_unknown_keys({"size", "seed", "variability", "correlations"});
  PopulationSpec spec;
  spec.where = table.location();
  const long long size = table.required_integer("size");
  if (size < 1 || static_cast<std::uint64_t>(size) > limits::kMaxSamples) {
    table.fail("size", "must be a whole number from 1 to " + std::to_string(limits::kMaxSamples));
  }
  spec.size = static_cast<std::size_t>(size);
  const long long seed = table.optional_integer("seed").value_or(1);
  if (seed < 0) table.fail("seed", "must not be negative");
  spec.seed = static_cast<std::uint64_t>(seed);
  if (auto variability = table.optional_table("variability")) {
    for (auto&& [key, node] : variability->raw()) {
      const std::string name(key.str());
      const SourceLocation where = variability->location_of(name);
      const model::ParameterInfo* info = model::find_parameter(name);
      if (info == nullptr) {
        throw InputError(where, variability->field(name),
                         "unknown parameter '" + name + "'; did you mean '" + model::closest_parameter_name(name) + "'?");
      }
      const auto index = static_cast<std::size_t>(info - model::parameter_registry().data());
      ParameterVariability entry{name, 0.0, info->member, index, where};
      if (node.is_table()) {
        read_variability_table(*variability->optional_table(name), *info, entry);
      } else {
        entry.cv = variability_cv(*variability, name, node);
        entry.distribution = default_distribution(info->lower_bound, info->upper_bound);
      }
      spec.variability.push_back(entry);
    }
    std::stable_sort(spec.variability.begin(), spec.variability.end(),
                     [](const auto& a, const auto& b) { return a.where.line < b.where.line; });
  }
  if (const toml::array* correlations = table.optional_array("correlations")) {
    std::map<std::pair<std::string, std::string>, int> line_of_pair;  // unordered pair → line of its `between`
    std::size_t index = 0;
    for (const toml::node& node : *correlations) {
      const std::string path = "population.correlations[" + std::to_string(index++) + "]";
      auto raw = node.as_table();
      if (raw == nullptr) throw InputError(table.location_of_node(node), path, "expected a table {between = [..], rho = ..}");
      TomlTable entry(*raw, path, table.file());
      entry.reject_unknown_keys({"between", "rho"});
      const toml::array* between = entry.optional_array("between");
      if (between == nullptr || between->size() != 2 || !(*between)[0].is_string() || !(*between)[1].is_string()) {
        entry.fail("between", "expected two parameter names, e.g. between = [\"activation_rate_per_h\", \"prl_feed_rise_ng_ml\"]");
      }
      const double rho = entry.required_number("rho");
      if (!(rho > -1.0 && rho < 1.0)) entry.fail("rho", "a correlation must be within (-1, 1)");
      ParameterCorrelation c{(*between)[0].value_or(std::string()), (*between)[1].value_or(std::string()), rho,
                             entry.location_of("rho")};
      if (c.first == c.second) entry.fail("between", "a parameter cannot be correlated with itself");
      // A pair given twice (in either order) would silently keep only one of its values.
      const auto [pair, inserted] =
          line_of_pair.emplace(std::minmax(c.first, c.second), entry.location_of("between").line);
      if (!inserted) {
        entry.fail("between", "the correlation between " + c.first + " and " + c.second +
                                  " is given twice (first at line " + std::to_string(pair->second) +
                                  "); give each pair once");
      }
      spec.correlations.push_back(c);
    }
  }
  return spec;
}

}  // namespace lactsim::detail
