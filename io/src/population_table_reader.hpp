#pragma once
// Internal: reads a [population] table, shared by the scenario loader and standalone
// population files (population_file.hpp).

#include "lactsim/io/population_spec.hpp"
#include "toml_reader.hpp"

namespace lactsim::detail {

/// The population described by `table` (a [population] table). Names, numbers, ranges and
/// duplicate correlations are checked here; whether the laws fit a mother's parameters is
/// PopulationSampler's check, which needs her values.
/// @throws InputError naming the key's file:line:column and field
PopulationSpec read_population_table(const TomlTable& table);

}  // namespace lactsim::detail
