#include "lactsim/io/population_file.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include "lactsim/engine/text_format.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/model/parameter_registry.hpp"
#include "population_table_reader.hpp"
#include "toml_reader.hpp"

namespace lactsim {

namespace detail {
// Generated from scenarios/populations/first_week.toml by io/EmbedDefaultPopulation.cmake.
extern const std::string_view kDefaultPopulationText;
}  // namespace detail

PopulationSpec parse_population_file(std::string_view text, const std::filesystem::path& file) {
  const std::string file_name = file.string();
  const toml::table root = detail::parse_toml_document(text, file_name);
  const detail::TomlTable top(root, "", file_name);
  // Bare keys would make the same table read differently in a scenario and in a file.
  for (const char* key : {"size", "seed", "variability", "correlations"}) {
    if (top.has(key)) {
      top.fail(key, "a population file holds its keys under a [population] header, as a scenario does; "
                    "put [population] above this line (and write [population.variability] for the variability "
                    "table, [[population.correlations]] for correlations)");
    }
  }
  top.reject_unknown_keys({"population"});
  return detail::read_population_table(top.required_table("population"));
}

PopulationSpec load_population_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0, 0}, "", "cannot open population file");
  return parse_population_file(read_bounded(in, file, limits::kMaxTomlFileBytes, ""), file);
}

void use_population(Scenario& scenario, const PopulationSpec& spec) {
  PopulationSampler check(spec, scenario.parameters);  // throws at the table's lines
  scenario.population = spec;
}

PopulationChoice choose_population(Scenario& scenario, const std::filesystem::path& population_file) {
  if (!population_file.empty()) {
    use_population(scenario, load_population_file(population_file));
    return PopulationChoice::population_file;
  }
  if (scenario.population) return PopulationChoice::scenario_table;
  use_population(scenario, default_population_spec());
  return PopulationChoice::shipped_default;
}

std::string_view default_population_text() { return detail::kDefaultPopulationText; }

PopulationSpec default_population_spec() {
  return parse_population_file(detail::kDefaultPopulationText, std::filesystem::path(kDefaultPopulationFile));
}

std::string population_file_text(const PopulationSpec& spec, const std::string& comment) {
  std::ostringstream out;
  std::istringstream lines(comment);
  for (std::string line; std::getline(lines, line);) out << (line.empty() ? "#" : "# " + line) << "\n";
  out << "\n[population]\nsize = " << spec.size << "\nseed = " << spec.seed << "\n\n[population.variability]\n";
  for (const ParameterVariability& v : spec.variability) {
    const model::ParameterInfo& info = model::parameter_registry()[v.registry_index];
    const bool plain = v.distribution == VariabilityDistribution::by_bounds ||
                       v.distribution == default_distribution(info.lower_bound, info.upper_bound);
    if (plain && !v.sd && !v.lower && !v.upper && v.distribution != VariabilityDistribution::truncated_normal &&
        v.distribution != VariabilityDistribution::uniform) {
      out << v.name << " = " << format_number(v.cv) << "\n";
      continue;
    }
    out << v.name << " = { distribution = \"" << distribution_name(v.distribution) << "\"";
    if (v.sd) {
      out << ", sd = " << format_number(*v.sd);
    } else if (v.distribution != VariabilityDistribution::uniform) {
      out << ", cv = " << format_number(v.cv);
    }
    if (v.lower) out << ", lower = " << format_number(*v.lower);
    if (v.upper) out << ", upper = " << format_number(*v.upper);
    out << " }\n";
  }
  for (const ParameterCorrelation& c : spec.correlations) {
    out << "\n[[population.correlations]]\nbetween = [\"" << c.first << "\", \"" << c.second
        << "\"]\nrho = " << format_number(c.rho) << "\n";
  }
  return out.str();
}

}  // namespace lactsim
