#pragma once
/// @file observables.hpp
/// The simulated counterpart of every observed quantity a scenario may carry, the
/// weight (standard deviation) each observation gets, and the comparison of the two
/// (docs/fitting.md §Observables and §Weights).

#include <optional>
#include <string>
#include <vector>

#include "lactsim/io/json_writer.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/engine/simulation.hpp"

namespace lactsim {

/// Coefficient of variation used as the SD of an observation that has no SD, no range and
/// no other subjects at the same time (docs/fitting.md §Weights).
inline constexpr double kDefaultObservationCv = 0.25;

/// Largest magnitude of an observed number (value, sd, min, max) in its file unit. Far above
/// any physiological value (milk < 10^4 mL/day, prolactin < 10^4 ng/mL, onset < 1440 h), and
/// with kMinObservationSd it keeps every standardised residual and its square finite
/// (docs/fitting.md §Weights).
inline constexpr double kMaxObservedMagnitude = 1e6;

/// Smallest SD an observation may be weighted by, in its model unit, whatever the SD's origin
/// (reported, range/4, subject spread or default CV): far below any assay's resolution, and
/// large enough that (simulated − observed)/SD cannot overflow.
inline constexpr double kMinObservationSd = 1e-6;

/// Where an observation's standard deviation came from.
enum class SigmaOrigin { reported_sd, range_over_4, subject_spread, default_cv };

/// Text used in outputs: "sd", "range/4", "subject_spread", "default_cv".
std::string_view to_string(SigmaOrigin origin);

/// One observed point in model units, with the SD it is weighted by.
struct WeightedObservation {
  std::size_t series_index = 0;      ///< index into Scenario::observed
  std::size_t point_index = 0;       ///< index into the series' points
  std::string quantity;              ///< e.g. "milk_transferred_daily"
  std::string model_unit;            ///< unit of observed, sigma, min, max
  std::optional<int> day;            ///< day d = hours [24(d-1), 24d)
  std::optional<double> time_h;      ///< or a time after birth, h
  double observed = 0;               ///< mean, median or single value, model unit
  double sigma = 0;                  ///< SD used as weight, model unit (> 0)
  SigmaOrigin sigma_origin = SigmaOrigin::reported_sd;
  std::optional<double> min, max;    ///< reported range, model unit
  std::optional<Session> session;    ///< the pumping session a per-session volume refers to
  SourceLocation where;              ///< the point in the scenario file
};

/// Converts every observed point of `scenario` to model units and gives it an SD.
/// @param default_cv  relative SD for points with no spread information (> 0)
/// @throws InputError naming the point when its unit cannot be converted, a per-session
///         volume has no pumping session, or no SD can be formed (value 0 and no spread) or
///         the SD is below kMinObservationSd. The scenario loader calls this, so every command
///         refuses such a file at load.
std::vector<WeightedObservation> weighted_observations(const Scenario& scenario,
                                                       double default_cv = kDefaultObservationCv);

/// Timeseries spacing (h) at which every time-point observable of `observations` falls on the
/// output grid, so it is read exactly; 0 when none needs the timeseries.
double observation_output_step_h(const std::vector<WeightedObservation>& observations);

/// The simulated value of one observation from a finished run of `input`, in model units.
/// Time points between timeseries rows are interpolated linearly. An event time (onset_time,
/// first_colostrum_time, perceived_onset_time) whose event did not happen within the horizon
/// is returned as the horizon (`censored` is then set to true). The infant
/// weight uses the input's parameters and birth weight (infant_weight.hpp).
/// @throws InputError when the run lacks the timeseries or day the observation needs
double simulated_value(const WeightedObservation& observation, const RunResult& result, const SimulationInput& input,
                       bool* censored = nullptr);

/// One observation set against its simulated value.
struct ObservationComparison {
  WeightedObservation observation;
  double simulated = 0;    ///< model unit
  bool censored = false;   ///< event (onset, first colostrum, perceived onset) not reached: simulated is the horizon, a lower bound
  double residual() const { return simulated - observation.observed; }
  double standardised_residual() const { return residual() / observation.sigma; }
};

/// Every observation of a scenario compared with its run.
/// @throws InputError as weighted_observations and simulated_value
/// @throws SimulationError when a standardised residual or its square is not finite (never
///         written as inf or nan)
std::vector<ObservationComparison> compare_observations(const Scenario& scenario, const RunResult& result,
                                                        double default_cv = kDefaultObservationCv);

/// Root-mean-square error of one quantity, in its model unit.
struct QuantityRmse {
  std::string quantity;
  std::string unit;
  std::size_t points = 0;
  double rmse = 0;
};

/// Goodness-of-fit summary of a set of comparisons.
struct ComparisonMetrics {
  std::size_t points = 0;
  double chi_square = 0;                       ///< sum of squared standardised residuals
  double mean_abs_standardised_residual = 0;   ///< mean |(sim − obs) / SD|
  std::size_t points_with_sd = 0;              ///< points whose SD was reported
  std::optional<double> fraction_within_1sd;   ///< among points with a reported SD
  std::size_t points_with_range = 0;           ///< points with a reported range
  std::optional<double> fraction_within_range; ///< among points with a range
  std::vector<QuantityRmse> rmse;              ///< per quantity, in order of first appearance
};

/// Summarises comparisons (empty input gives zero points and no fractions).
ComparisonMetrics comparison_metrics(const std::vector<ObservationComparison>& comparisons);

/// observed.csv: one row per observation with observed, simulated, residual, standardised
/// residual, SD and its origin, in model units (named per row).
std::string observed_csv(const Scenario& scenario, const std::vector<ObservationComparison>& comparisons);

/// The same table with a first column `leading_column` holding `leading_value` on every row
/// (e.g. `lactsim fit`'s "scenario" column over several scenarios); with `with_header` false,
/// the rows only. A value is quoted as CSV requires, so a record stays one record whatever
/// the texts (a source holding a line break included).
std::string observed_csv(const Scenario& scenario, const std::vector<ObservationComparison>& comparisons,
                         const std::string& leading_column, const std::string& leading_value, bool with_header);

/// Writes the metrics as a JSON object value (the caller has written the key).
void write_metrics_json(JsonWriter& json, const ComparisonMetrics& metrics);

/// A few human-readable lines with the metrics, for the terminal.
std::string metrics_text(const std::string& scenario_label, const ComparisonMetrics& metrics);

}  // namespace lactsim
