#pragma once
// Internal: reads a TOML table of NAME = VALUE parameter overrides (a scenario's
// [parameters], or a parameter-set file's), shared by both loaders.

#include <vector>

#include "lactsim/io/scenario.hpp"
#include "toml_reader.hpp"

namespace lactsim::detail {

/// Overrides in file order. Names must be registered parameters and values numbers;
/// bounds are checked later, when the overrides are applied (apply_overrides).
/// @throws InputError naming the key's file:line:column
std::vector<ParameterOverride> read_parameter_table(const TomlTable& table);

}  // namespace lactsim::detail
