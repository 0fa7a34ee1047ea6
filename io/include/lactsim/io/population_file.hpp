#pragma once
/// @file population_file.hpp
/// Population files: a [population] table on its own (`lactsim population --population
/// POP.toml`, `lactsim compare --population POP.toml`), so that one population can be run
/// around any scenario, and several arms paired on it, without editing the scenarios; and the
/// shipped default, the calibrated first-week variability (scenarios/populations/first_week.toml,
/// docs/calibration.md, "Between-mother variability"), which is compiled into the library.

#include <filesystem>
#include <string>
#include <string_view>

#include "lactsim/io/population_spec.hpp"
#include "lactsim/io/scenario.hpp"

namespace lactsim {

/// Source path of the shipped default population, as named in messages and provenance.
inline constexpr std::string_view kDefaultPopulationFile = "scenarios/populations/first_week.toml";

/// Parses a population file's text: a TOML document whose only top-level table is
/// [population], written exactly as in a scenario (so a table moves between the two
/// unchanged). Keys at the top level (`size = ...` without the [population] header) are
/// refused with a message saying where they belong. Whether its laws fit a scenario's values
/// is checked when a PopulationSampler meets that scenario (use_population).
/// @throws InputError naming `file`, line, column and field
PopulationSpec parse_population_file(std::string_view text, const std::filesystem::path& file);

/// Reads and parses a population file.
/// @throws InputError as parse_population_file, or naming the file when it cannot be read
PopulationSpec load_population_file(const std::filesystem::path& file);

/// Sets `spec` as `scenario`'s population (replacing the scenario's own [population]), after
/// checking its laws against the scenario's parameters (PopulationSampler's checks).
/// @throws InputError at the population table's line when a law does not fit this mother
void use_population(Scenario& scenario, const PopulationSpec& spec);

/// Where the mothers of a population study came from (choose_population).
enum class PopulationChoice {
  population_file,  ///< the --population file's table, replacing the scenario's own
  scenario_table,   ///< the scenario's own [population]
  shipped_default,  ///< neither: the calibrated default, default_population_spec()
};

/// Gives `scenario` the population a study of it runs, by one rule for every caller (the
/// `population` command, Python): the table of `population_file` when it is not empty
/// (use_population), else the scenario's own [population], else the calibrated default.
/// @return which of the three it is, so that callers can say so
/// @throws InputError as load_population_file and use_population
PopulationChoice choose_population(Scenario& scenario, const std::filesystem::path& population_file);

/// The calibrated between-mother variability shipped as scenarios/populations/first_week.toml
/// (embedded at build time, so an installed binary needs no data files): the population used
/// when one is asked for without a variability table. Locations in it name kDefaultPopulationFile.
PopulationSpec default_population_spec();

/// The shipped default's text, as embedded.
std::string_view default_population_text();

/// `spec` as a population file: `comment` (each line prefixed with "# "), then the
/// [population] table with size, seed, one entry per varied parameter (NAME = cv for a
/// by-bounds law with a cv, else an inline table) and the correlations. Numbers carry 10
/// significant digits (format_number).
std::string population_file_text(const PopulationSpec& spec, const std::string& comment);

}  // namespace lactsim
