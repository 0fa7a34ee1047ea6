#pragma once
// Internal: reads a [population] table (size, seed, variability, correlations), shared by
// scenario files and population files (population_file.hpp).

#include <string>

#include "lactsim/io/population_spec.hpp"
#include "toml_reader.hpp"

namespace lactsim::detail {

/// The population a [population] table describes. Whether its laws fit a scenario's
/// parameter values is PopulationSampler's check, made when it meets that scenario.
/// @throws InputError naming file:line:column and the field
PopulationSpec read_population_table(const TomlTable& table, const std::string& file);

}  // namespace lactsim::detail
