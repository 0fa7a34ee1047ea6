#include "lactsim/engine/endpoints.hpp"

namespace lactsim {

std::optional<double> milk_on_day(const Endpoints& endpoints, int day) {
  if (day < 1 || static_cast<std::size_t>(day) > endpoints.milk_transferred_ml_by_day.size()) return std::nullopt;
  return endpoints.milk_transferred_ml_by_day[static_cast<std::size_t>(day) - 1];
}

}  // namespace lactsim
