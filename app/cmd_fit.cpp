#include "cmd_plot.hpp"
#include "cmd_fit.hpp"
#include "fit_progress.hpp"
#include "interrupt_progress.hpp"
#include "number_flags.hpp"


#include <cstdio>
#include <iostream>
#include <limits>

#include "lactsim/fit/case_series_report.hpp"
#include "lactsim/fit/fit.hpp"
#include "lactsim/io/case_table.hpp"
#include "lactsim/fit/fit_report.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/parameter_set.hpp"
#include "lactsim/io/run_scenarios.hpp"

namespace lactsim::cli {

FitCommand::FitCommand(CLI::App& parent) {
  app_ = parent.add_subcommand(
      "fit", "Estimate parameters from the scenarios' observed data (weighted least squares, Levenberg-Marquardt)");
  app_->add_option("scenarios", scenario_files_, "scenario TOML files with [[observed]] data")->required();
  app_->add_option("--free", free_names_, "parameters to estimate: NAME[,NAME...]")->required()->delimiter(',');
  app_->add_option("--multistart", multistart_, "extra starts from a Latin-hypercube design within the bounds")
      ->capture_default_str()
      ->transform(count_in_range(0, limits::kMaxMultistart));
  app_->add_option("--seed", seed_, "seed of the multistart design (same seed, same starts)")
      ->capture_default_str()
      ->transform(count_in_range(0, std::numeric_limits<std::uint64_t>::max()));
  auto* profile =
      app_->add_flag("--profile", profile_, "profile likelihood and likelihood-based 95% interval per free parameter");
  app_->add_option("--profile-points", profile_points_, "profile grid points per parameter (both sides)")
      ->capture_default_str()
      ->transform(count_in_range(3, 101));
  app_->add_option("--bound", bound_assignments_, "narrow a free parameter's bounds: NAME=LO:HI (repeatable)")
      ->allow_extra_args(false);
  app_->add_option("--params", params_file_, "parameter-set TOML applied to every scenario before --set");
  app_->add_option("--set", set_assignments_, "override a parameter for every scenario: NAME=VALUE (repeatable)")
      ->allow_extra_args(false);
  auto* observations =
      app_->add_option("--observations", observations_file_,
                       "case table CSV (subject,quantity,day,time_h,value,unit,sd): fit each scenario's subject "
                       "separately (a case series; every subject of the table needs a scenario); writes "
                       "per_subject.csv and summary.json");
  app_->add_option("--subject", subject_, "the subject of the --observations table this one scenario is")
      ->needs(observations)
      ->check([](const std::string& subject) { return subject_name_problem(subject); });
  app_->add_option("--shared", shared_names_,
                   "free parameters fitted as one value across the subjects (one joint fit): NAME[,NAME...]")
      ->delimiter(',')
      ->needs(observations);
  app_->add_option("--default-cv", default_cv_, "relative SD of observations with no SD, range or subject spread")
      ->capture_default_str()
      ->check(plain_number());
  app_->add_option("--max-iterations", max_iterations_, "Levenberg-Marquardt evaluations per start")
      ->capture_default_str()
      ->transform(count_in_range(1, 100000));
  app_->add_option("--out,-o", out_dir_, "output directory for fit.json, parameters.toml, observed.csv, profile.csv")
      ->capture_default_str();
  app_->add_flag("--quiet,-q", quiet_, "print nothing on success");
  app_->add_flag("--progress", progress_,
                 "report progress on stderr as lines 'progress: STAGE: N evaluations, best chi-square X', at most "
                 "one a second, even when stderr is not a terminal (and with --quiet)");
  profile->excludes(observations);
  app_->add_flag("--plot", plot_, "render figures of the outputs into DIR/figures/ (needs gnuplot; see `lactsim plot`)");
  figure_flags_.add_to(*app_);
}

std::string FitCommand::command_line() const {
  std::string text = "lactsim fit";
  for (const auto& f : scenario_files_) text += " " + f;
  std::string names;
  for (const auto& n : free_names_) names += (names.empty() ? "" : ",") + n;
  text += " --free " + names;
  for (const auto& b : bound_assignments_) text += " --bound " + b;
  if (!params_file_.empty()) text += " --params " + params_file_;
  for (const auto& s : set_assignments_) text += " --set " + s;
  text += " --multistart " + std::to_string(multistart_) + " --seed " + std::to_string(seed_);
  if (profile_) text += " --profile --profile-points " + std::to_string(profile_points_);
  if (default_cv_ != 0.25) text += " --default-cv " + std::to_string(default_cv_);
  if (!observations_file_.empty()) text += " --observations " + observations_file_;
  if (!subject_.empty()) text += " --subject " + subject_;
  std::string shared;
  for (const auto& n : shared_names_) shared += (shared.empty() ? "" : ",") + n;
  if (!shared.empty()) text += " --shared " + shared;
  return text;
}

FitCommand::Inputs FitCommand::load_inputs() const {
  Inputs in;
  if (plot_) in.figure_format = check_plot_request(out_dir_, figure_flags_);  // a missing gnuplot fails before the fit
  std::vector<std::filesystem::path> files(scenario_files_.begin(), scenario_files_.end());
  in.manifest = begin_manifest("fit", command_line_);
  in.scenarios = load_scenarios(files, set_assignments_, params_file_, kCommandLineOrigin);
  in.manifest.add_scenario_inputs(files, params_file_, set_assignments_);
  for (const std::string& b : bound_assignments_) in.bounds.push_back(parse_bound_assignment(b));
  return in;
}

int FitCommand::execute() {
  if (!observations_file_.empty()) return execute_case_series();
  Inputs in = load_inputs();
  const FigureFormat& figure_format = in.figure_format;
  RunManifest& manifest = in.manifest;
  std::vector<Scenario>& scenarios = in.scenarios;
  const auto& bounds = in.bounds;
  manifest.seeds.emplace_back("multistart", seed_);
  const ScenarioNames scenario_names = scenario_names_of(scenarios);  // for figure titles; scenarios move below
  const FitProblem problem(std::move(scenarios), free_names_, bounds, default_cv_);

  FitSettings settings;
  settings.multistart = multistart_;
  settings.seed = seed_;
  settings.profile = profile_;
  settings.profile_points = profile_points_;
  settings.max_iterations = max_iterations_;
  CancellationToken cancel;  // SIGINT: the fit returns its best point so far
  settings.cancel = &cancel;
  FitProgressDisplay progress(quiet_, progress_);
  settings.progress = progress.callback();
  FitResult result;
  {
    const InterruptGuard guard(cancel);
    result = fit_parameters(problem, settings);
  }
  progress.finish();
  // Said on stderr even with --quiet: a script reading only fit.json's intervals should still see it.
  for (const Profile& profile : result.profiles) {
    if (!profile.warning.empty()) std::cerr << "lactsim fit: warning: " << profile.warning << "\n";
  }
  const ScenarioComparisons comparisons = problem.comparisons_at(result.estimate);
  OutputStaging staging = stage_fit_outputs(problem, result, comparisons, command_line(), out_dir_, &manifest);
  staging.commit();
  if (!quiet_) {
    std::cout << fit_summary_text(problem, result);
    for (std::size_t i = 0; i < comparisons.size(); ++i) {
      if (comparisons[i].empty()) continue;
      std::cout << metrics_text(problem.scenarios()[i].file.stem().string(), comparison_metrics(comparisons[i]));
    }
    std::cout << "outputs written to " << out_dir_ << "/ (" << staging.paths().size() << " files)\n";
  }
  if (plot_) {
    draw_figures_of_written_results(
        [&] { render_result_figures(out_dir_, {}, "", figure_format, quiet_, scenario_names); });
  }
  return 0;
}

int FitCommand::execute_case_series() {
  Inputs in = load_inputs();
  const FigureFormat& figure_format = in.figure_format;
  RunManifest& manifest = in.manifest;
  std::vector<Scenario>& scenarios = in.scenarios;
  const auto& bounds = in.bounds;
  // A case series must be fitted whole (no subject left out unnoticed); --subject picks one
  // mother from it on purpose, so the others' rows are then ignored, as by `run`.
  const std::vector<std::string> subjects =
      attach_case_table(scenarios, read_case_table(observations_file_), subject_, subject_.empty());
  manifest.add_input("observations", observations_file_);
  manifest.seeds.emplace_back("multistart", seed_);
  const ScenarioNames scenario_names = scenario_names_of(scenarios);

  FitSettings settings;
  settings.multistart = multistart_;
  settings.seed = seed_;
  settings.max_iterations = max_iterations_;
  CancellationToken cancel;  // SIGINT: the subject being fitted keeps its best point, the rest are not fitted
  settings.cancel = &cancel;
  FitProgressDisplay progress(quiet_, progress_);  // stages name the subject: one line per subject
  settings.progress = progress.callback();
  CaseSeriesFit fit;
  {
    const InterruptGuard guard(cancel);
    fit = fit_case_series(scenarios, subjects, free_names_, shared_names_, bounds, default_cv_, settings);
  }
  progress.finish();
  OutputStaging staging = stage_case_series_outputs(fit, command_line(), out_dir_, &manifest, default_cv_);
  staging.commit();
  std::size_t ok = 0;
  for (const SubjectFit& s : fit.subjects) {
    if (s.status == SubjectFitStatus::ok) {
      ++ok;
      continue;
    }
    // Said even with --quiet: a subject is never dropped silently.
    std::cerr << "lactsim fit: subject " << s.subject << ": " << to_string(s.status) << ": " << s.detail << "\n";
  }
  if (!quiet_) {
    std::cout << case_series_summary_text(fit);
    std::cout << "outputs written to " << out_dir_ << "/ (" << staging.paths().size() << " files)\n";
  }
  if (plot_) {
    draw_figures_of_written_results(
        [&] { render_result_figures(out_dir_, {}, "", figure_format, quiet_, scenario_names); });
  }
  // As a fit of scenarios: an interrupted fit has written its best points and exits 0
  // (docs/fitting.md); only a series in which no subject could be fitted is a failure.
  return ok == 0 && !fit.interrupted ? static_cast<int>(ExitCode::simulation_failure) : 0;
}

}  // namespace lactsim::cli
