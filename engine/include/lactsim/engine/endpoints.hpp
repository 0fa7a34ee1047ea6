#pragma once
/// @file endpoints.hpp
/// Scalar outcomes of one run: what summary.json reports, what `compare` sets side by side and
/// what every sweep, population and sensitivity analysis reduces a simulation to. `simulate()`
/// and `simulate_endpoints()` fill the same type with the same recorder.

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>

#include "lactsim/engine/solver_options.hpp"

namespace lactsim {

/// Longest horizon endpoints are kept for, days (scenario files allow at most 60 days;
/// simulate() refuses longer horizons).
inline constexpr std::size_t kMaxEndpointDays = 60;

/// How long after a feed's start its PRL and OT peaks are looked for, h (PRL peaks about
/// 45 min after suckling starts: Noel, Suh & Frantz 1974, J Clin Endocrinol Metab 38:413).
inline constexpr double kFeedResponseWindow_h = 2.0;

/// One value per simulated day (day 1 first), at most kMaxEndpointDays of them: a fixed array,
/// so endpoints computed in a sweep allocate nothing.
class DayValues {
 public:
  /// Days recorded.
  std::size_t size() const { return size_; }
  /// Whether no day is recorded.
  bool empty() const { return size_ == 0; }
  /// Value of day `i + 1`. @pre i < size()
  double operator[](std::size_t i) const { return values_[i]; }
  /// First recorded value.
  const double* begin() const { return values_.data(); }
  /// Past the last recorded value.
  const double* end() const { return values_.data() + size_; }
  /// Appends the next day's value; a day past kMaxEndpointDays is dropped (simulate() refuses
  /// such horizons before integrating).
  void push_back(double value) {
    if (size_ < values_.size()) values_[size_++] = value;
  }
  /// Same days with the same values.
  bool operator==(const DayValues& other) const {
    return size_ == other.size_ && std::equal(begin(), end(), other.begin());
  }

 private:
  std::array<double, kMaxEndpointDays> values_{};
  std::size_t size_ = 0;
};

/// Outcomes of one simulation.
struct Endpoints {
  std::optional<double> onset_h;           ///< lactogenesis II onset (activation reaches 0.5), h
  DayValues milk_transferred_ml_by_day;    ///< milk to the infant per day; index 0 = day 1
  double milk_transferred_total_ml = 0;    ///< over the whole horizon
  double milk_expressed_total_ml = 0;      ///< pumped over the whole horizon
  double milk_synthesised_total_ml = 0;    ///< synthesised over the whole horizon
  /// |synthesised − (Δstored + transferred + expressed)| / synthesised: integration check.
  double mass_balance_relative_error = 0;
  double prl_peak_per_feed_ng_ml = 0;  ///< mean over feeds of the peak total PRL within kFeedResponseWindow_h of feed start
  double ot_peak_per_feed_uU_ml = 0;   ///< mean over feeds of the peak OT within kFeedResponseWindow_h of feed start
  int feeds = 0;                       ///< feeds in the horizon
  // Infant weight (docs/model.md §Infant weight), percent change since birth weight.
  std::optional<double> weight_change_24h_percent;  ///< at 24 h; empty when the horizon is shorter
  std::optional<double> weight_change_48h_percent;  ///< at 48 h; empty when the horizon is shorter
  std::optional<double> weight_change_72h_percent;  ///< at 72 h; empty when the horizon is shorter
  double weight_nadir_percent = 0;     ///< lowest weight change over the solver's step ends and edges
  double weight_nadir_h = 0;           ///< when it was reached, h after birth
  std::optional<int> birth_weight_regained_day;  ///< day of the first return to birth weight after falling below it
  // Observation models (docs/model.md §Observation models).
  /// Start of the first expression or pumping session whose expressed volume reaches
  /// colostrum_visible_threshold_ml, h after birth; empty when none does (or there is none).
  std::optional<double> first_colostrum_h;
  /// First time the stored milk reaches perceived_onset_stored_ml (the mother feels her milk
  /// come in), h after birth; empty when it does not within the horizon.
  std::optional<double> perceived_onset_h;
  SolverStats stats;                   ///< the integration's step counts
  /// Every field equal (bitwise for the numbers, up to NaN).
  bool operator==(const Endpoints&) const = default;
};

/// Milk transferred on day `day` (1-based), or empty when the run is shorter.
std::optional<double> milk_on_day(const Endpoints& endpoints, int day);

}  // namespace lactsim
