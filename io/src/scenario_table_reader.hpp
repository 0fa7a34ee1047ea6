#pragma once
// Internal: a scenario read from an already parsed (and possibly edited) TOML document, for
// schedule variables (schedule_variables.cpp), which re-expand a scenario's schedules.

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "lactsim/io/scenario.hpp"

namespace lactsim::detail {

/// The scenario `root` describes, checked as parse_scenario checks a file (without the
/// observation weights, provenance and text, which parse_scenario adds).
/// @throws InputError as parse_scenario
Scenario read_scenario_table(const toml::table& root, std::string file, const std::vector<ParameterOverride>& overrides);

}  // namespace lactsim::detail
