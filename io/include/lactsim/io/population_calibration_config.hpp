#pragma once
/// @file population_calibration_config.hpp
/// The configuration of a population-level calibration (`lactsim calibrate-population`,
/// docs/calibration.md, "Between-mother variability"): subgroups of mothers (scenario files),
/// cohorts mixing them with weights, the [population] table whose spreads are estimated, the
/// free spreads (and at most a few single-mother parameters), and the published
/// population-level targets with their standard errors.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "lactsim/engine/errors.hpp"
#include "lactsim/io/population_spec.hpp"
#include "lactsim/io/scenario.hpp"

namespace lactsim {

/// z with Φ(z) = 0.975: half-width of a 95% interval in standard errors.
inline constexpr double kZ975 = 1.959963984540054;

/// Standard error of ln(OR) from a published 95% interval [lower, upper] of the odds ratio:
/// (ln upper − ln lower) / (2 · 1.96) (the interval is symmetric on the log scale).
/// @throws InputError (argument "ci95") unless 0 < lower < upper
double log_odds_ratio_se_from_ci(double lower, double upper);

/// Standard error of a proportion p observed in n subjects: sqrt(p (1 − p) / n).
/// @throws InputError (argument "n") unless n ≥ 1 and 0 < p < 1
double proportion_se(double p, double n);

/// One subgroup of mothers: a scenario (its schedule, delivery mode and parity) around which
/// the population's mothers are drawn.
struct CalibrationSubgroup {
  std::string name;
  Scenario scenario;
  SourceLocation where;
};

/// A cohort: subgroups mixed with weights (normalised to sum 1), e.g. "primiparas of
/// Nommsen-Rivers 2010" = 75 % vaginal + 5 % planned + 20 % emergency caesarean.
struct CalibrationCohort {
  std::string name;
  std::vector<std::pair<std::size_t, double>> weights;  ///< (subgroup index, weight)
  SourceLocation where;
};

/// What a population-level target measures.
enum class PopulationTargetKind {
  median,      ///< median of the endpoint over the cohort
  percentile,  ///< quantile `quantile` of the endpoint
  fraction,    ///< fraction of the cohort with the endpoint above (or below) `threshold`
  odds_ratio,  ///< odds of endpoint > threshold in `cohort` over those in `reference_cohort`, compared as ln(OR)
};

/// "median", "percentile", "fraction", "odds_ratio".
std::string_view target_kind_name(PopulationTargetKind kind);

/// A published population-level number and its uncertainty.
struct PopulationTarget {
  std::string name;
  std::string source;
  PopulationTargetKind kind = PopulationTargetKind::median;
  std::string endpoint;              ///< endpoint column, e.g. "onset_h", "milk_day3_ml"
  std::size_t cohort = 0;            ///< index into the config's cohorts
  std::size_t reference_cohort = 0;  ///< odds_ratio: the unexposed cohort
  double quantile = 0.5;             ///< median (0.5), percentile
  double threshold = 0;              ///< fraction, odds_ratio
  bool above = true;                 ///< fraction, odds_ratio: endpoint > threshold (else <)
  double value = 0;                  ///< on the compared scale: ln(OR) for odds ratios
  double se = 0;                     ///< on the compared scale
  std::string se_origin;             ///< how se was derived, for the report
  double published_value = 0;        ///< as published (the OR itself for odds ratios)
  SourceLocation where;
};

/// Correlation between two targets' errors (e.g. a median and a fraction from one sample).
struct TargetCorrelation {
  std::size_t first = 0, second = 0;  ///< target indices
  double rho = 0;
  SourceLocation where;
};

/// A free quantity of the calibration.
struct CalibrationFreeQuantity {
  enum class Kind {
    spread,       ///< cv (or sd, when the entry gives sd) of a varied parameter
    parameter,    ///< a single-mother parameter, set in every subgroup
    correlation,  ///< rho of a [[population.correlations]] pair
  };
  Kind kind = Kind::spread;
  std::string name;         ///< parameter name; for a correlation the first of the pair
  std::string second;       ///< correlation: the second parameter
  std::size_t index = 0;    ///< spread: variability entry; correlation: correlation entry
  double lower = 0, upper = 0;
  double start = 0;
  bool sd = false;          ///< spread: the entry gives sd (in the parameter's unit), not cv
  SourceLocation where;
  /// "activation_rate_per_h.cv", "primiparity_activation_factor", "rho(a,b)".
  std::string label() const;
};

/// A loaded and checked calibration configuration.
struct PopulationCalibrationConfig {
  std::filesystem::path file;
  std::string sha256;
  std::string name;
  double bandwidth_h = 1.0;    ///< logistic kernel bandwidth for endpoints in h
  double bandwidth_ml = 2.0;   ///< logistic kernel bandwidth for endpoints in mL
  PopulationSpec population;   ///< size = mothers per subgroup; spreads = the start
  std::vector<CalibrationSubgroup> subgroups;
  std::vector<CalibrationCohort> cohorts;
  std::vector<CalibrationFreeQuantity> free;
  std::vector<PopulationTarget> targets;
  std::vector<TargetCorrelation> target_correlations;
};

/// Parses a calibration configuration; scenario paths are relative to `file`'s folder.
/// @throws InputError naming file:line:column and the field for any problem (exit 2)
PopulationCalibrationConfig parse_population_calibration(std::string_view text, const std::filesystem::path& file);

/// Reads and parses a calibration configuration.
/// @throws InputError as parse_population_calibration, or when the file cannot be opened
PopulationCalibrationConfig load_population_calibration(const std::filesystem::path& file);

}  // namespace lactsim
