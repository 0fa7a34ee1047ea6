#pragma once
/// @file population_calibration.hpp
/// Calibration of between-mother variability against population-level targets (medians,
/// percentiles, fractions past a threshold, odds ratios between cohorts): every evaluation
/// simulates the same mothers (common random numbers: same seed, same mother indices) of every
/// subgroup with the candidate spreads, reduces them to kernel-smoothed statistics
/// (population_targets.hpp) and compares them with the targets; fit_parameters minimises the
/// standardised, decorrelated residuals and reports standard errors and the directions the
/// targets cannot identify (docs/calibration.md, "Between-mother variability").

#include <filesystem>
#include <string>
#include <vector>

#include "lactsim/engine/solver_options.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/fit/fit.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/io/population_calibration_config.hpp"

namespace lactsim {

/// The model's value of every target at given free quantities.
struct PopulationStatistics {
  std::vector<double> values;  ///< per target, on the compared scale (ln OR for odds ratios)
  std::size_t failed_mothers = 0;  ///< over all subgroups; failed mothers are left out of every statistic
};

/// The least-squares problem of a calibration configuration:
/// z_t = (model_t − target_t) / se_t, residuals r = L⁻¹ z with L L' the targets' correlation matrix.
class PopulationCalibrationProblem : public LeastSquaresProblem {
 public:
  /// @throws InputError at the last target correlation when the targets' correlations are inconsistent
  PopulationCalibrationProblem(PopulationCalibrationConfig config, const SolverOptions& solver, unsigned threads);

  std::size_t parameter_count() const override { return free_.size(); }
  std::size_t residual_count() const override { return config_.targets.size(); }
  const std::vector<FreeParameter>& free_parameters() const override { return free_; }
  bool residuals(const std::vector<double>& theta, std::vector<double>& out) const override;

  /// The model's statistics at `theta`; false when the quantities are invalid together (a
  /// parameter out of its bounds or a law that cannot be formed) or no mother of a cohort succeeded.
  bool statistics(const std::vector<double>& theta, PopulationStatistics& out) const;
  /// The [population] table with the free spreads and correlations at `theta`.
  PopulationSpec population_at(const std::vector<double>& theta) const;
  const PopulationCalibrationConfig& config() const { return config_; }

 private:
  PopulationCalibrationConfig config_;
  SolverOptions solver_;
  unsigned threads_;
  std::vector<FreeParameter> free_;
  std::vector<double> whitening_;  ///< Cholesky factor L of the targets' correlation matrix, row-major
};

/// How to calibrate.
struct PopulationCalibrationSettings {
  unsigned threads = 1;
  /// Tighter than `run`'s default so that finite-difference derivatives of a mother's onset
  /// (steps of 1e-3 in the optimiser coordinate) are not dominated by integration error.
  SolverOptions solver = [] {
    SolverOptions s;
    s.method = kDefaultSolverMethod;
    s.relative_tolerance = 1e-8;
    s.absolute_tolerance = 1e-10;
    return s;
  }();
  FitSettings fit;  ///< multistart, iterations, profiles, progress, cancellation
};

/// One target at the estimate.
struct TargetAtEstimate {
  double model = 0;             ///< on the compared scale
  double standardised = 0;      ///< (model − target) / se, before decorrelation
  double model_published = 0;   ///< on the published scale (exp of ln OR for odds ratios)
};

/// Everything a population calibration found.
struct PopulationCalibrationResult {
  FitResult fit;
  std::vector<TargetAtEstimate> targets;  ///< per config target
  PopulationSpec population;              ///< the calibrated [population] table
  std::size_t failed_mothers = 0;         ///< at the estimate
};

/// Runs the calibration.
/// @throws InputError for a bad configuration or settings; SimulationError when not even the start can be evaluated
PopulationCalibrationResult calibrate_population(const PopulationCalibrationProblem& problem,
                                                 const PopulationCalibrationSettings& settings);

/// Terminal report: estimates ± SE with 95% intervals, the objective, the model-vs-target table and
/// the identifiability warnings.
std::string population_calibration_text(const PopulationCalibrationProblem& problem, const PopulationCalibrationResult& result);

/// Queues estimates.csv, targets.csv, population.toml (the calibrated table, a population file),
/// report.txt and (with a `manifest`) manifest.json, with the mothers' seed added, in `out_dir`.
OutputStaging stage_population_calibration_outputs(const PopulationCalibrationProblem& problem,
                                                   const PopulationCalibrationResult& result,
                                                   const std::string& command_line, const std::filesystem::path& out_dir,
                                                   const RunManifest* manifest = nullptr);

}  // namespace lactsim
