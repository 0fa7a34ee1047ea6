#pragma once
/// @file fit_report.hpp
/// The files and terminal summary `lactsim fit` produces (docs/fitting.md §Outputs).

#include <string>
#include <vector>

#include "lactsim/fit/fit.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/output_files.hpp"

namespace lactsim {

/// Comparisons at the estimate, one vector per scenario of the problem.
using ScenarioComparisons = std::vector<std::vector<ObservationComparison>>;

/// The name of a Levenberg-Marquardt stop status (StartOutcome::status), as fit.json writes it,
/// e.g. "relative_reduction_too_small".
std::string lm_status_text(int status);

/// fit.json: estimates with SE and 95% intervals, correlation, identifiability warnings,
/// starts, profiles, per-scenario fit metrics and provenance (command, scenario SHA-256).
std::string fit_json(const FitProblem& problem, const FitResult& result, const ScenarioComparisons& comparisons,
                     const std::string& command_line);

/// parameters.toml: the estimates as a parameter set for `--params FILE`.
std::string fit_parameter_set(const FitProblem& problem, const FitResult& result, const std::string& command_line);

/// profile.csv: parameter, value, chi_square, delta_chi_square per profile point (header only
/// when no profile was computed).
std::string profile_csv(const FitResult& result);

/// observed.csv for all scenarios at the estimate, with a leading scenario column.
std::string fit_observed_csv(const FitProblem& problem, const ScenarioComparisons& comparisons);

/// Queues fit.json, parameters.toml, observed.csv, (with profiles) profile.csv and (with a
/// `manifest`) manifest.json, its solver set to fit_solver_options(), in `out_dir`.
OutputStaging stage_fit_outputs(const FitProblem& problem, const FitResult& result,
                                const ScenarioComparisons& comparisons, const std::string& command_line,
                                const std::filesystem::path& out_dir, const RunManifest* manifest = nullptr);

/// Human-readable summary: estimates ± SE with intervals, correlations, warnings, profiles.
std::string fit_summary_text(const FitProblem& problem, const FitResult& result);

}  // namespace lactsim
