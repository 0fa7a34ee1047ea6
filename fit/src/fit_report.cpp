#include "lactsim/fit/fit_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/io/json_writer.hpp"
#include "lactsim/io/parameter_set.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "lactsim/engine/text_format.hpp"

namespace lactsim {

std::string lm_status_text(int status) {
  // Eigen::LevenbergMarquardtSpace::Status, in enum order from NotStarted = -2.
  static const char* kNames[] = {"not_started", "running", "improper_input", "relative_reduction_too_small",
                                 "relative_error_too_small", "relative_error_and_reduction_too_small",
                                 "cosine_too_small", "too_many_function_evaluations", "ftol_too_small",
                                 "xtol_too_small", "gtol_too_small", "user_asked"};
  const int index = status + 2;
  return index >= 0 && index < static_cast<int>(std::size(kNames)) ? kNames[index] : "unknown";
}

namespace {

std::string g(double value, int digits = 4) {
  char text[40];
  std::snprintf(text, sizeof text, "%.*g", digits, value);
  return text;
}

}  // namespace

std::string fit_json(const FitProblem& problem, const FitResult& r, const ScenarioComparisons& comparisons,
                     const std::string& command_line) {
  const BuildInfo build = build_info();
  JsonWriter json;
  json.begin_object();
  json.key("lactsim_version").value(build.version);
  json.key("git_commit").value(build.git_commit);
  json.key("command").value(command_line);
  json.key("method").value(
      "weighted least squares; Levenberg-Marquardt (Eigen unsupported LevenbergMarquardt, MINPACK lmder) on "
      "logistic/log-logistic bound transforms; central-difference Jacobian; SE from the Fisher information JtJ "
      "at the estimate (not rescaled by chi-square/dof)");
  json.key("interrupted").value(r.interrupted);
  json.key("chi_square").value(r.chi_square);
  json.key("observations").value(r.residuals);
  json.key("free_parameters").value(r.estimate.size());
  json.key("degrees_of_freedom").value(static_cast<long long>(r.residuals) - static_cast<long long>(r.estimate.size()));
  json.key("evaluations").value(r.evaluations);

  json.key("estimates").begin_array();
  for (std::size_t k = 0; k < r.estimate.size(); ++k) {
    const FreeParameter& p = r.parameters[k];
    json.begin_object();
    json.key("name").value(p.name).key("unit").value(p.unit);
    json.key("estimate").value(r.estimate[k]);
    json.key("start").value(p.start);
    json.key("standard_error").value(r.standard_error[k]);
    json.key("ci95_wald").begin_array().value(r.ci_lower[k]).value(r.ci_upper[k]).end_array();
    json.key("bounds").begin_array().value(p.bounds.lower()).value(p.bounds.upper()).end_array();
    json.key("at_bound").value(static_cast<bool>(r.at_bound[k]));
    json.key("transform").value(p.bounds.log_scale() ? "log-logistic" : "logistic");
    for (const Profile& profile : r.profiles) {
      if (profile.name != p.name) continue;
      json.key("ci95_profile").begin_array().value(profile.lower_95).value(profile.upper_95).end_array();
      json.key("profile_flat").value(profile.flat);
      json.key("profile_warning");
      if (profile.warning.empty()) {
        json.null();
      } else {
        json.value(profile.warning);
      }
    }
    json.end_object();
  }
  json.end_array();

  json.key("correlation").begin_array();
  for (const auto& row : r.correlation) {
    json.begin_array();
    for (double c : row) json.value(c);
    json.end_array();
  }
  json.end_array();
  json.key("relative_fisher_eigenvalues").begin_array();
  for (double lambda : r.fisher_eigenvalues) json.value(lambda);
  json.end_array();
  json.key("identifiability_warnings").begin_array();
  for (const IdentifiabilityWarning& w : r.warnings) {
    json.begin_object();
    json.key("eigenvalue").value(w.eigenvalue);
    json.key("direction").begin_array();
    for (double c : w.direction) json.value(c);
    json.end_array();
    json.key("message").value(w.message);
    json.end_object();
  }
  json.end_array();

  json.key("starts").begin_array();
  for (const StartOutcome& s : r.starts) {
    json.begin_object();
    json.key("start").begin_array();
    for (double v : s.start) json.value(v);
    json.end_array();
    json.key("estimate").begin_array();
    for (double v : s.estimate) json.value(v);
    json.end_array();
    json.key("chi_square").value(s.chi_square);
    json.key("status").value(lm_status_text(s.status));
    json.key("evaluations").value(s.evaluations);
    json.end_object();
  }
  json.end_array();

  json.key("scenarios").begin_array();
  for (std::size_t i = 0; i < problem.scenarios().size(); ++i) {
    const Scenario& s = problem.scenarios()[i];
    json.begin_object();
    json.key("file").value(s.file.string());
    json.key("sha256").value(s.sha256);
    json.key("fit_metrics");
    write_metrics_json(json, comparison_metrics(i < comparisons.size() ? comparisons[i] : ScenarioComparisons::value_type{}));
    json.end_object();
  }
  json.end_array();
  json.end_object();
  return json.str();
}

std::string fit_parameter_set(const FitProblem& problem, const FitResult& r, const std::string& command_line) {
  std::vector<std::pair<std::string, double>> values;
  for (std::size_t k = 0; k < r.estimate.size(); ++k) values.emplace_back(r.parameters[k].name, r.estimate[k]);
  std::string files;
  for (const Scenario& s : problem.scenarios()) files += (files.empty() ? "" : " ") + s.file.string();
  return parameter_set_toml(values,
                            {"lactsim parameter set written by `lactsim fit`.",
                             "Use with: lactsim run SCENARIO --params THIS_FILE"},
                            {{"command", command_line},
                             {"scenarios", files},
                             {"chi_square", format_number(r.chi_square)},
                             {"interrupted", r.interrupted ? "true" : "false"},
                             {"lactsim_version", build_info().version}});
}

std::string profile_csv(const FitResult& r) {
  std::string out = "parameter,value,chi_square,delta_chi_square\n";
  for (const Profile& p : r.profiles) {
    double minimum = r.chi_square;
    for (double c : p.chi_square) {
      if (std::isfinite(c)) minimum = std::min(minimum, c);
    }
    for (std::size_t i = 0; i < p.values.size(); ++i) {
      out += p.name + "," + format_number(p.values[i]) + "," + format_number(p.chi_square[i]) + "," +
             format_number(p.chi_square[i] - minimum) + "\n";
    }
  }
  return out;
}

std::string fit_observed_csv(const FitProblem& problem, const ScenarioComparisons& comparisons) {
  std::string out;
  for (std::size_t i = 0; i < comparisons.size(); ++i) {
    const Scenario& scenario = problem.scenarios()[i];
    out += observed_csv(scenario, comparisons[i], "scenario", scenario.file.stem().string(), i == 0);
  }
  return out;
}

OutputStaging stage_fit_outputs(const FitProblem& problem, const FitResult& result,
                                const ScenarioComparisons& comparisons, const std::string& command_line,
                                const std::filesystem::path& out_dir, const RunManifest* manifest) {
  OutputStaging staging;
  staging.add(out_dir / "fit.json", fit_json(problem, result, comparisons, command_line));
  if (manifest != nullptr) {
    RunManifest complete = *manifest;
    complete.solver = fit_solver_options();
    stage_manifest(staging, out_dir / kManifestFileName, complete);
  }
  staging.add(out_dir / "parameters.toml", fit_parameter_set(problem, result, command_line));
  staging.add(out_dir / "observed.csv", fit_observed_csv(problem, comparisons));
  if (!result.profiles.empty()) staging.add(out_dir / "profile.csv", profile_csv(result));
  return staging;
}

std::string fit_summary_text(const FitProblem& problem, const FitResult& r) {
  std::string out;
  if (r.interrupted) {
    const bool have_se = !r.standard_error.empty() && std::isfinite(r.standard_error.front());
    out += have_se ? "INTERRUPTED during the profiles: estimates and SEs complete, profiles partial\n"
                   : "INTERRUPTED: best point so far (no standard errors)\n";
  }
  out += "chi-square " + g(r.chi_square) + " over " + std::to_string(r.residuals) + " observations, " +
         std::to_string(r.estimate.size()) + " free parameters, " + std::to_string(r.evaluations) + " evaluations (" +
         std::to_string(problem.scenarios().size()) + " scenarios each)\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-36s %12s %11s  %-25s %s\n", "parameter", "estimate", "SE", "95% CI (Wald)",
                r.profiles.empty() ? "" : "95% CI (profile)");
  out += line;
  for (std::size_t k = 0; k < r.estimate.size(); ++k) {
    const FreeParameter& p = r.parameters[k];
    std::string profile_text;
    for (const Profile& pr : r.profiles) {
      if (pr.name != p.name) continue;
      profile_text = pr.flat ? "flat: not identifiable"
                             : "[" + (pr.lower_95 ? g(*pr.lower_95) : std::string("bound")) + ", " +
                                   (pr.upper_95 ? g(*pr.upper_95) : std::string("bound")) + "]";
    }
    const std::string ci = "[" + g(r.ci_lower[k]) + ", " + g(r.ci_upper[k]) + "]";
    std::snprintf(line, sizeof line, "%-36s %12s %11s  %-25s %s%s\n", (p.name + " (" + p.unit + ")").c_str(),
                  g(r.estimate[k], 5).c_str(), g(r.standard_error[k], 3).c_str(), ci.c_str(), profile_text.c_str(),
                  r.at_bound[k] ? " [at bound]" : "");
    out += line;
  }
  if (r.estimate.size() > 1 && !r.interrupted) {
    out += "correlation:\n";
    for (std::size_t k = 0; k < r.estimate.size(); ++k) {
      out += "  ";
      for (double c : r.correlation[k]) out += (std::isfinite(c) ? (c >= 0 ? " " : "") + g(c, 2) : std::string(" nan")) + "\t";
      out += r.parameters[k].name + "\n";
    }
  }
  for (const IdentifiabilityWarning& w : r.warnings) out += "warning: " + w.message + "\n";
  for (const Profile& pr : r.profiles) {
    if (!pr.warning.empty()) out += "warning: " + pr.warning + "\n";
  }
  return out;
}

}  // namespace lactsim
