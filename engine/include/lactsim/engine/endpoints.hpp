#pragma once
/// @file endpoints.hpp
/// Scalar outcomes of one run, as reported in summary.json and compared across scenarios.

#include <optional>
#include <vector>

#include "lactsim/engine/simulation.hpp"

namespace lactsim {

/// Outcomes of one simulation.
struct Endpoints {
  std::optional<double> onset_h;            ///< lactogenesis II onset (activation = 0.5), h
  std::vector<double> milk_transferred_ml_by_day;  ///< index 0 = day 1
  double milk_transferred_total_ml = 0;
  double milk_expressed_total_ml = 0;
  double milk_synthesised_total_ml = 0;
  /// |synthesised − (Δstored + transferred + expressed)| / synthesised: integration check.
  double mass_balance_relative_error = 0;
};

/// Computes the endpoints of a finished run.
Endpoints compute_endpoints(const RunResult& result);

/// Milk transferred on day `day` (1-based), or empty when the run is shorter.
std::optional<double> milk_on_day(const Endpoints& endpoints, int day);

}  // namespace lactsim
