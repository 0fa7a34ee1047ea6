#pragma once
/// @file population_file.hpp
/// Population files: a [population] table on its own (`lactsim population --population
/// POP.toml`, `lactsim compare --population POP.toml`), so that one population can be run
/// around any scenario, and several arms paired on it, without editing the scenarios.

#include <filesystem>
#include <optional>
#include <string_view>

#include "lactsim/io/population_spec.hpp"
#include "lactsim/io/scenario.hpp"

namespace lactsim {

/// Parses a population file's text: a TOML document whose only top-level table is
/// [population], written exactly as in a scenario (so a table moves between the two
/// unchanged). Keys at the top level (`size = ...` without the [population] header) are
/// refused with a message saying where they belong.
/// @throws InputError naming `file`, line, column and field
PopulationSpec parse_population_file(std::string_view text, const std::filesystem::path& file);

/// Reads and parses a population file.
/// @throws InputError as parse_population_file, or naming the file when it cannot be read
PopulationSpec load_population_file(const std::filesystem::path& file);

/// Sets `spec` as `scenario`'s population (replacing the scenario's own [population]), after
/// checking its laws against the scenario's parameters (PopulationSampler's checks).
/// @throws InputError at the population table's line when a law does not fit this mother
void use_population(Scenario& scenario, const PopulationSpec& spec);

/// The between-mother variability used when a population is asked for without a table.
/// Plug-in point for the calibrated default (issue #14 item 4, to be shipped as
/// scenarios/populations/first_week.toml): none is shipped yet, so this returns std::nullopt
/// and the commands ask for a table instead (exit code 2).
std::optional<PopulationSpec> default_population_spec();

}  // namespace lactsim
