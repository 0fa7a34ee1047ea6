#pragma once
/// @file case_series_fit.hpp
/// Fitting a case series: one scenario per subject (mother), the same free parameters for
/// each, estimated per subject, or with some of them shared (one value for all subjects) in
/// one joint problem whose parameter vector is the shared values followed by every subject's
/// own copies of the others (docs/fitting.md §Case series).

#include <limits>
#include <string>
#include <vector>

#include "lactsim/fit/fit.hpp"

namespace lactsim {

/// What became of one subject's fit.
enum class SubjectFitStatus {
  ok,           ///< fitted; estimates, SEs and intervals as fit_parameters gives them
  failed,       ///< not fitted: too few observations, or no start point could be simulated
  interrupted,  ///< cancelled during this subject's fit: best point so far, no SEs
  not_fitted    ///< cancelled before this subject's fit began
};

/// "ok", "failed", "interrupted", "not_fitted" (per_subject.csv's status column).
std::string_view to_string(SubjectFitStatus status);

/// One subject's estimates: one entry per free parameter, in --free order (a shared
/// parameter holds the joint estimate, the same for every subject).
struct SubjectFit {
  std::string subject;
  std::filesystem::path scenario_file;
  SubjectFitStatus status = SubjectFitStatus::not_fitted;
  std::string detail;                 ///< Levenberg-Marquardt stop reason, or why it failed
  std::vector<double> estimate;       ///< NaN when failed or not fitted
  std::vector<double> standard_error; ///< NaN where unavailable
  std::vector<double> ci_lower, ci_upper;  ///< Wald 95%, clipped to the bounds; NaN where unavailable
  double chi_square = std::numeric_limits<double>::quiet_NaN();  ///< this subject's residuals only
  std::size_t points = 0;             ///< this subject's observations
  std::vector<ObservationComparison> comparisons;  ///< at the estimate; empty unless ok or interrupted
  Scenario fitted;                    ///< the scenario with the estimates applied (start values when failed)
};

/// Everything a case-series fit found.
struct CaseSeriesFit {
  std::vector<FreeParameter> parameters;  ///< in --free order, with the first subject's start values
  std::vector<bool> shared;               ///< per parameter: one value for all subjects
  std::vector<SubjectFit> subjects;       ///< in scenario order
  /// With shared parameters: the joint problem's result (parameter names: shared ones as
  /// given, the others as NAME[subject]); absent when every parameter is per subject.
  std::optional<FitResult> joint;
  bool interrupted = false;
  std::size_t evaluations = 0;            ///< simulations of one subject, summed
};

/// Fits `scenarios` (one per subject, `subjects` naming them in the same order). Without
/// `shared_names` each subject is one fit_parameters() problem; with them one joint problem.
/// A subject with fewer observations than free parameters, or whose start cannot be
/// simulated, is reported as failed and the others are fitted (in the joint problem: left
/// out of it). settings.progress gets stages prefixed "subject NAME (i/N): ".
/// @throws InputError for an unknown, repeated or non-free shared name, a bad free name or
///         bound (as FitProblem), scenarios and subjects of different lengths
CaseSeriesFit fit_case_series(const std::vector<Scenario>& scenarios, const std::vector<std::string>& subjects,
                              const std::vector<std::string>& free_names, const std::vector<std::string>& shared_names,
                              const std::vector<std::pair<std::string, std::pair<double, double>>>& bounds,
                              double default_cv, const FitSettings& settings);

/// Across-subject statistics of one parameter's estimates (subjects with status ok only).
struct EstimateSpread {
  std::size_t subjects = 0;
  double mean = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();   ///< sample SD (n − 1); NaN for fewer than 2
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
};

/// The spread of parameter `k`'s estimates over the subjects fitted ok.
EstimateSpread estimate_spread(const CaseSeriesFit& fit, std::size_t k);

}  // namespace lactsim
