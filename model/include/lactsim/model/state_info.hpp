#pragma once
/// @file state_info.hpp
/// Metadata of the state components (names, units, meaning), kept apart from the
/// derivatives in the way Chaste separates AbstractOdeSystem information from maths.

#include <array>
#include <string_view>

#include "lactsim/model/state.hpp"

namespace lactsim::model {

/// Name, unit and meaning of one state component.
struct StateInfo {
  std::string_view name;         ///< snake_case identifier, used in output headers
  std::string_view unit;         ///< unit, e.g. "uU/mL"
  std::string_view description;  ///< one line for documentation and `lactsim params`
};

/// Metadata for every state component, indexed like `State`.
const std::array<StateInfo, kStateCount>& state_info();

}  // namespace lactsim::model
