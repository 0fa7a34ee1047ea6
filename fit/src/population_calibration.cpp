// calibrate_population: population-level targets → spreads, by Levenberg–Marquardt over
// common-random-number simulations of every subgroup.

#include "lactsim/fit/population_calibration.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <thread>

#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/fit/population_targets.hpp"
#include "lactsim/io/population_file.hpp"
#include "lactsim/model/parameter_registry.hpp"

namespace lactsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Endpoint values of every mother of one subgroup, [mother][endpoint]; failed mothers empty.
struct SubgroupValues {
  std::vector<double> values;
  std::vector<bool> ok;
  std::size_t endpoints = 0;
};

/// Simulates mothers 0..size−1 of `spec` around `input` (a horizon of `days` days) on `threads` threads (static blocks:
/// mother i's result does not depend on the thread count). An onset not reached within the
/// horizon is censored at the horizon: it is only known to be later, and every threshold and
/// quantile the targets use lies well inside the horizon (checked by the report).
SubgroupValues simulate_subgroup(const SimulationInput& input, int days, const PopulationSpec& spec,
                                 const SolverOptions& solver, unsigned threads) {
  SubgroupValues out;
  out.endpoints = endpoint_names(days).size();
  out.values.assign(spec.size * out.endpoints, kNaN);
  out.ok.assign(spec.size, false);
  const PopulationSampler sampler(spec, input.parameters);
  const unsigned workers = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(spec.size)));
  auto work = [&](unsigned worker) {
    SampleEvaluator evaluator(input, {}, solver);
    for (std::size_t i = worker; i < spec.size; i += workers) {
      const SampleOutcome o = evaluator.evaluate_parameters(sampler.mother(i));
      if (!o.ok) continue;  // its values stay NaN
      for (std::size_t k = 0; k < out.endpoints; ++k) {
        const double v = endpoint_value(o.endpoints, k, days);
        out.values[i * out.endpoints + k] = std::isfinite(v) ? v : input.horizon_h;
      }
    }
  };
  if (workers == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (unsigned w = 0; w < workers; ++w) pool.emplace_back(work, w);
    for (auto& t : pool) t.join();
  }
  // Set here, not by the workers: elements of a vector<bool> share words.
  for (std::size_t i = 0; i < spec.size; ++i) out.ok[i] = std::isfinite(out.values[i * out.endpoints]);
  return out;
}

/// Cholesky factor of the targets' correlation matrix (identity plus the given pairs).
std::vector<double> target_whitening(const PopulationCalibrationConfig& config) {
  const auto n = static_cast<Eigen::Index>(config.targets.size());
  Eigen::MatrixXd correlation = Eigen::MatrixXd::Identity(n, n);
  for (const TargetCorrelation& c : config.target_correlations) {
    correlation(static_cast<Eigen::Index>(c.first), static_cast<Eigen::Index>(c.second)) = c.rho;
    correlation(static_cast<Eigen::Index>(c.second), static_cast<Eigen::Index>(c.first)) = c.rho;
  }
  // Cholesky factor L (R = L Lᵀ); a (near-)zero pivot means the correlations are inconsistent.
  const Eigen::LLT<Eigen::MatrixXd> llt(correlation);
  const Eigen::MatrixXd l = llt.matrixL();
  if (llt.info() != Eigen::Success || (n > 0 && l.diagonal().minCoeff() <= 1e-6)) {
    throw InputError(config.target_correlations.back().where, "target_correlation",
                     "the targets' correlations are inconsistent (the matrix is not positive definite)");
  }
  std::vector<double> row_major(static_cast<std::size_t>(n * n));
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) row_major[static_cast<std::size_t>(i * n + j)] = l(i, j);
  }
  return row_major;
}

std::string unit_of(const CalibrationFreeQuantity& q) {
  if (q.kind == CalibrationFreeQuantity::Kind::correlation) return "1";
  const model::ParameterInfo* info = model::find_parameter(q.name);
  if (q.kind == CalibrationFreeQuantity::Kind::spread && !q.sd) return "1";
  return std::string(info->unit);
}

}  // namespace

PopulationCalibrationProblem::PopulationCalibrationProblem(PopulationCalibrationConfig config, const SolverOptions& solver,
                                                           unsigned threads)
    : config_(std::move(config)), solver_(solver), threads_(std::max(1u, threads)) {
  for (const CalibrationFreeQuantity& q : config_.free) {
    free_.push_back({q.label(), unit_of(q), BoundTransform(q.lower, q.upper), q.start});
  }
  whitening_ = target_whitening(config_);
}

PopulationSpec PopulationCalibrationProblem::population_at(const std::vector<double>& theta) const {
  PopulationSpec spec = config_.population;
  for (std::size_t k = 0; k < config_.free.size(); ++k) {
    const CalibrationFreeQuantity& q = config_.free[k];
    if (q.kind == CalibrationFreeQuantity::Kind::spread) {
      ParameterVariability& v = spec.variability[q.index];
      (q.sd ? v.sd.emplace() : v.cv) = theta[k];
    } else if (q.kind == CalibrationFreeQuantity::Kind::correlation) {
      spec.correlations[q.index].rho = theta[k];
    }
  }
  return spec;
}

bool PopulationCalibrationProblem::statistics(const std::vector<double>& theta, PopulationStatistics& out) const {
  const PopulationSpec spec = population_at(theta);
  std::vector<SubgroupValues> groups;
  out.failed_mothers = 0;
  try {
    for (const CalibrationSubgroup& g : config_.subgroups) {
      SimulationInput input = to_simulation_input(g.scenario);
      for (std::size_t k = 0; k < config_.free.size(); ++k) {
        const CalibrationFreeQuantity& q = config_.free[k];
        if (q.kind == CalibrationFreeQuantity::Kind::parameter) input.parameters.*(model::find_parameter(q.name)->member) = theta[k];
      }
      if (!model::validate_parameters(input.parameters).empty()) return false;
      groups.push_back(simulate_subgroup(input, g.scenario.duration_days, spec, solver_, threads_));
      out.failed_mothers += static_cast<std::size_t>(std::count(groups.back().ok.begin(), groups.back().ok.end(), false));
    }
  } catch (const InputError&) {
    return false;  // a law that cannot be formed at these spreads (e.g. a truncated normal with no mass)
  }
  const int days = config_.subgroups.front().scenario.duration_days;
  // Pooled values of one endpoint over a cohort, each mother weighted by her subgroup's
  // weight over its included mothers.
  auto cohort_values = [&](std::size_t cohort, std::size_t endpoint, std::vector<double>& values, std::vector<double>& weights) {
    values.clear(), weights.clear();
    for (const auto& [g, w] : config_.cohorts[cohort].weights) {
      const SubgroupValues& s = groups[g];
      const auto included = static_cast<double>(std::count(s.ok.begin(), s.ok.end(), true));
      if (w == 0.0) continue;
      if (included == 0.0) return false;
      for (std::size_t i = 0; i < s.ok.size(); ++i) {
        if (!s.ok[i]) continue;
        values.push_back(s.values[i * s.endpoints + endpoint]);
        weights.push_back(w / included);
      }
    }
    return true;
  };
  out.values.assign(config_.targets.size(), kNaN);
  std::vector<double> values, weights;
  for (std::size_t t = 0; t < config_.targets.size(); ++t) {
    const PopulationTarget& target = config_.targets[t];
    const std::size_t endpoint = find_endpoint(target.endpoint, days, "endpoint");
    const double b = target.endpoint.ends_with("_h") ? config_.bandwidth_h : config_.bandwidth_ml;
    if (!cohort_values(target.cohort, endpoint, values, weights)) return false;
    auto fraction = [&] {
      const double below = smoothed_fraction_below(values, weights, target.threshold, b);
      return target.above ? 1.0 - below : below;
    };
    switch (target.kind) {
      case PopulationTargetKind::median:
      case PopulationTargetKind::percentile:
        out.values[t] = smoothed_quantile(values, weights, target.quantile, b);
        break;
      case PopulationTargetKind::fraction:
        out.values[t] = fraction();
        break;
      case PopulationTargetKind::odds_ratio: {
        const double exposed = log_odds(fraction());
        if (!cohort_values(target.reference_cohort, endpoint, values, weights)) return false;
        out.values[t] = exposed - log_odds(fraction());
        break;
      }
    }
  }
  return true;
}

bool PopulationCalibrationProblem::residuals(const std::vector<double>& theta, std::vector<double>& out) const {
  PopulationStatistics s;
  if (!statistics(theta, s)) return false;
  const std::size_t n = config_.targets.size();
  std::vector<double> z(n);
  for (std::size_t t = 0; t < n; ++t) z[t] = (s.values[t] - config_.targets[t].value) / config_.targets[t].se;
  // r = L⁻¹ z (forward substitution): correlated target errors count once.
  out.assign(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double sum = z[i];
    for (std::size_t j = 0; j < i; ++j) sum -= whitening_[i * n + j] * out[j];
    out[i] = sum / whitening_[i * n + i];
  }
  return std::all_of(out.begin(), out.end(), [](double r) { return std::isfinite(r); });
}

PopulationCalibrationResult calibrate_population(const PopulationCalibrationProblem& problem,
                                                 const PopulationCalibrationSettings& settings) {
  PopulationCalibrationResult result;
  result.fit = fit_parameters(problem, settings.fit);
  result.population = problem.population_at(result.fit.estimate);
  PopulationStatistics s;
  if (!problem.statistics(result.fit.estimate, s)) {
    throw SimulationError(0.0, "", "the calibrated population could not be evaluated");
  }
  result.failed_mothers = s.failed_mothers;
  for (std::size_t t = 0; t < s.values.size(); ++t) {
    const PopulationTarget& target = problem.config().targets[t];
    TargetAtEstimate e;
    e.model = s.values[t];
    e.standardised = (e.model - target.value) / target.se;
    e.model_published = target.kind == PopulationTargetKind::odds_ratio ? std::exp(e.model) : e.model;
    result.targets.push_back(e);
  }
  return result;
}

namespace {

std::string target_description(const PopulationCalibrationConfig& config, const PopulationTarget& t) {
  const std::string cohort = config.cohorts[t.cohort].name;
  const std::string side = std::string(t.above ? " > " : " < ") + format_number(t.threshold);
  switch (t.kind) {
    case PopulationTargetKind::median: return "median " + t.endpoint + " in " + cohort;
    case PopulationTargetKind::percentile:
      return "percentile " + format_number(100.0 * t.quantile) + " of " + t.endpoint + " in " + cohort;
    case PopulationTargetKind::fraction: return "fraction " + t.endpoint + side + " in " + cohort;
    case PopulationTargetKind::odds_ratio:
      return "OR(" + t.endpoint + side + ") " + cohort + " vs " + config.cohorts[t.reference_cohort].name;
  }
  return t.name;
}

std::string estimates_csv(const PopulationCalibrationProblem& problem, const FitResult& fit) {
  std::ostringstream out;
  out << "quantity,unit,start,estimate,se,ci95_low,ci95_high,at_bound\n";
  for (std::size_t k = 0; k < fit.estimate.size(); ++k) {
    const FreeParameter& p = problem.free_parameters()[k];
    out << csv_escape(p.name) << "," << p.unit << "," << csv_cell(p.start) << "," << csv_cell(fit.estimate[k]) << ","
        << csv_cell(fit.standard_error[k]) << "," << csv_cell(fit.ci_lower[k]) << "," << csv_cell(fit.ci_upper[k]) << ","
        << (fit.at_bound[k] ? "true" : "false") << "\n";
  }
  return out.str();
}

std::string targets_csv(const PopulationCalibrationProblem& problem, const PopulationCalibrationResult& r) {
  const auto& config = problem.config();
  std::ostringstream out;
  out << "target,kind,endpoint,cohort,reference,threshold,quantile,published_value,model_value,compared_scale,"
         "target_compared,se_compared,se_origin,model_compared,standardised_residual,source\n";
  for (std::size_t t = 0; t < config.targets.size(); ++t) {
    const PopulationTarget& g = config.targets[t];
    const bool ratio = g.kind == PopulationTargetKind::odds_ratio;
    const bool thresholded = ratio || g.kind == PopulationTargetKind::fraction;
    out << csv_escape(g.name) << "," << target_kind_name(g.kind) << "," << g.endpoint << "," << csv_escape(config.cohorts[g.cohort].name)
        << "," << (ratio ? csv_escape(config.cohorts[g.reference_cohort].name) : "") << ","
        << (thresholded ? std::string(g.above ? ">" : "<") + format_number(g.threshold) : "") << ","
        << (thresholded ? "" : format_number(g.quantile)) << "," << csv_cell(g.published_value) << ","
        << csv_cell(r.targets[t].model_published) << "," << (ratio ? "ln_odds_ratio" : "value") << "," << csv_cell(g.value)
        << "," << csv_cell(g.se) << "," << csv_escape(g.se_origin) << "," << csv_cell(r.targets[t].model) << ","
        << csv_cell(r.targets[t].standardised) << "," << csv_escape(g.source) << "\n";
  }
  return out.str();
}

}  // namespace

std::string population_calibration_text(const PopulationCalibrationProblem& problem, const PopulationCalibrationResult& r) {
  const auto& config = problem.config();
  const FitResult& fit = r.fit;
  std::ostringstream out;
  char line[512];
  out << "Population calibration" << (config.name.empty() ? "" : ": " + config.name) << "\n";
  std::snprintf(line, sizeof line, "%zu subgroups x %zu mothers (seed %llu, common random numbers), %zu failed at the estimate\n",
                config.subgroups.size(), config.population.size, static_cast<unsigned long long>(config.population.seed),
                r.failed_mothers);
  out << line;
  std::snprintf(line, sizeof line, "objective (chi-square, decorrelated) %.4g over %zu targets, %zu free; %zu evaluations%s\n",
                fit.chi_square, fit.residuals, fit.estimate.size(), fit.evaluations,
                fit.interrupted ? " (INTERRUPTED: best point so far)" : "");
  out << line << "\n";
  std::snprintf(line, sizeof line, "%-40s %10s %10s %10s  %-21s\n", "quantity", "start", "estimate", "SE", "95% CI (Wald)");
  out << line;
  for (std::size_t k = 0; k < fit.estimate.size(); ++k) {
    const FreeParameter& p = problem.free_parameters()[k];
    std::snprintf(line, sizeof line, "%-40s %10.4g %10.4g %10.3g  %.4g to %.4g%s\n", (p.name + " (" + p.unit + ")").c_str(),
                  p.start, fit.estimate[k], fit.standard_error[k], fit.ci_lower[k], fit.ci_upper[k],
                  fit.at_bound[k] ? "  AT BOUND" : "");
    out << line;
  }
  out << "\n";
  std::snprintf(line, sizeof line, "%-26s %-60s %10s %10s %8s %8s\n", "target", "what", "published", "model", "SE", "z");
  out << line;
  for (std::size_t t = 0; t < config.targets.size(); ++t) {
    const PopulationTarget& g = config.targets[t];
    const bool ratio = g.kind == PopulationTargetKind::odds_ratio;
    std::snprintf(line, sizeof line, "%-26s %-60s %10.4g %10.4g %8.3g %+8.2f\n", g.name.c_str(),
                  target_description(config, g).c_str(), g.published_value, r.targets[t].model_published, g.se,
                  r.targets[t].standardised);
    out << line;
    if (ratio) out << std::string(27, ' ') << "(odds ratios compared as ln OR; SE is of ln OR)\n";
  }
  if (!config.target_correlations.empty()) {
    out << "correlated targets (decorrelated in the objective):";
    for (const auto& c : config.target_correlations) {
      out << " " << config.targets[c.first].name << "~" << config.targets[c.second].name << " rho " << format_number(c.rho, 3);
    }
    out << "\n";
  }
  out << "\nrelative Fisher eigenvalues:";
  for (double e : fit.fisher_eigenvalues) out << " " << format_number(e, 3);
  out << "\n";
  if (fit.warnings.empty()) out << "every direction is identified (eigenvalues >= 1)\n";
  for (const IdentifiabilityWarning& w : fit.warnings) out << "warning: " << w.message << "\n";
  return out.str();
}

OutputStaging stage_population_calibration_outputs(const PopulationCalibrationProblem& problem,
                                                   const PopulationCalibrationResult& result,
                                                   const std::string& command_line, const std::filesystem::path& out_dir,
                                                   const RunManifest* manifest) {
  OutputStaging staging;
  if (manifest != nullptr) {
    RunManifest complete = *manifest;
    complete.seeds.emplace_back("mothers", problem.config().population.seed);
    stage_manifest(staging, out_dir / kManifestFileName, complete);
  }
  staging.add(out_dir / "estimates.csv", estimates_csv(problem, result.fit));
  staging.add(out_dir / "targets.csv", targets_csv(problem, result));
  std::string comment = "Calibrated between-mother variability (lactsim calibrate-population).\nconfiguration: " +
                        problem.config().file.string() + " (sha256 " + problem.config().sha256 + ")\ncommand: " +
                        command_line + "\nobjective (chi-square): " + format_number(result.fit.chi_square, 6);
  for (const CalibrationFreeQuantity& q : problem.config().free) {
    if (q.kind == CalibrationFreeQuantity::Kind::parameter) {
      comment += "\nNOTE: " + q.name + " was estimated too (estimates.csv); it is a single-mother parameter and is not part of this table";
    }
  }
  staging.add(out_dir / "population.toml", population_file_text(result.population, comment));
  staging.add(out_dir / "report.txt", "command: " + command_line + "\n\n" + population_calibration_text(problem, result));
  return staging;
}

}  // namespace lactsim
