#pragma once
/// @file population_file.hpp
/// Population files: a TOML file whose one table is a [population] table in the format of
/// a scenario's (docs/analyses.md, "[population]"), and the shipped default, the calibrated
/// first-week variability (scenarios/populations/first_week.toml, docs/calibration.md,
/// "Between-mother variability"), which is compiled into the library.

#include <filesystem>
#include <string>
#include <string_view>

#include "lactsim/io/population_spec.hpp"

namespace lactsim {

/// Source path of the shipped default population, as named in messages and provenance.
inline constexpr std::string_view kDefaultPopulationFile = "scenarios/populations/first_week.toml";

/// Parses a population file's text; `file` is used in messages only. Whether its laws fit a
/// scenario's values is checked when a PopulationSampler meets that scenario.
/// @throws InputError naming file:line:column and the field for any problem
PopulationSpec parse_population_file(std::string_view text, const std::filesystem::path& file);

/// Reads and parses a population file.
/// @throws InputError as parse_population_file, or when the file cannot be opened
PopulationSpec load_population_file(const std::filesystem::path& file);

/// The calibrated between-mother variability shipped as scenarios/populations/first_week.toml
/// (embedded at build time, so an installed binary needs no data files): the population to use
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
