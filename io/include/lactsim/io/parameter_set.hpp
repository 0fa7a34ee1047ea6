#pragma once
/// @file parameter_set.hpp
/// Parameter-set files: a TOML file with a [parameters] table of NAME = VALUE, as written by
/// `lactsim fit` and read by `--params FILE`. Values are applied like --set overrides, after
/// the scenario's own [parameters], so each keeps its file:line:column for messages.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "lactsim/io/scenario.hpp"

namespace lactsim {

/// Reads a parameter-set file into overrides located in that file.
/// An optional [provenance] table of strings is allowed and ignored.
/// @throws InputError naming file:line:column for an unreadable file, malformed TOML, an
///         unknown parameter or a value that is not a finite number
std::vector<ParameterOverride> load_parameter_set(const std::filesystem::path& file);

/// Parses parameter-set text; `file` is used in messages only.
/// @throws InputError as load_parameter_set
std::vector<ParameterOverride> parse_parameter_set(std::string_view text, const std::filesystem::path& file);

/// Parameter-set text: comment lines (`# ...`) from `header_lines`, a [provenance] table
/// of key/value strings, then [parameters] with values written to round-trip exactly.
std::string parameter_set_toml(const std::vector<std::pair<std::string, double>>& values,
                               const std::vector<std::string>& header_lines,
                               const std::vector<std::pair<std::string, std::string>>& provenance);

}  // namespace lactsim
