#include "lactsim/io/population_file.hpp"

#include <fstream>
#include <string>

#include "lactsim/io/input_limits.hpp"
#include "population_table_reader.hpp"
#include "toml_reader.hpp"

namespace lactsim {

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

std::optional<PopulationSpec> default_population_spec() {
  // Issue #14 item 4: load the calibrated scenarios/populations/first_week.toml here.
  return std::nullopt;
}

}  // namespace lactsim
