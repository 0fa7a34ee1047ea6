#include "lactsim/engine/endpoints.hpp"

#include <algorithm>
#include <cmath>

namespace lactsim {

Endpoints compute_endpoints(const RunResult& result) {
  namespace st = model::state;
  Endpoints e;
  e.onset_h = result.onset_h;
  for (const DailyTotals& day : result.daily) e.milk_transferred_ml_by_day.push_back(day.milk_transferred_ml);
  const model::State& x0 = result.initial_state;
  const model::State& x1 = result.final_state;
  e.milk_transferred_total_ml = x1[st::milk_transferred] - x0[st::milk_transferred];
  e.milk_expressed_total_ml = x1[st::milk_expressed] - x0[st::milk_expressed];
  e.milk_synthesised_total_ml = x1[st::milk_synthesised] - x0[st::milk_synthesised];
  const double accounted = (x1[st::milk_stored] - x0[st::milk_stored]) + e.milk_transferred_total_ml +
                           e.milk_expressed_total_ml;
  e.mass_balance_relative_error =
      std::abs(e.milk_synthesised_total_ml - accounted) / std::max(e.milk_synthesised_total_ml, 1e-300);
  return e;
}

std::optional<double> milk_on_day(const Endpoints& endpoints, int day) {
  if (day < 1 || static_cast<std::size_t>(day) > endpoints.milk_transferred_ml_by_day.size()) return std::nullopt;
  return endpoints.milk_transferred_ml_by_day[static_cast<std::size_t>(day) - 1];
}

}  // namespace lactsim
