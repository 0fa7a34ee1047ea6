#include "cmd_plot.hpp"
#include "cmd_sensitivity.hpp"
#include "interrupt_progress.hpp"
#include "number_flags.hpp"

#include <iostream>
#include <limits>

#include "lactsim/analysis/design.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/analysis/parallel_runner.hpp"
#include "lactsim/analysis/scenario_sensitivity.hpp"

namespace lactsim::cli {

SensitivityCommand::SensitivityCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("sensitivity", "Sobol indices (Saltelli/Jansen) or Morris screening of endpoints");
  app_->add_option("scenario", scenario_file_, "scenario TOML file")->required();
  app_->add_option("--method", method_, "sobol or morris")->capture_default_str()->check(CLI::IsMember({"sobol", "morris"}));
  app_->add_option("--vary", vary_, "parameter range NAME=LO:HI or NAME=LO:HI:log (repeatable)")
      ->required()
      ->allow_extra_args(false);
  app_->add_option("--endpoint,-e", endpoints_,
                   "endpoint to analyse (repeatable; default milk_day3_ml and onset_h; see `lactsim sweep` columns)")
      ->allow_extra_args(false);
  app_->add_option("--samples,-n", samples_, "Sobol: base samples N (N(d+2) runs); Morris: trajectories r (r(d+1) runs)")
      ->capture_default_str()
      ->transform(count_in_range(1, limits::kMaxSamples));
  app_->add_option("--threads,-j", threads_, "worker threads (0 = all cores)")
      ->capture_default_str()
      ->transform(count_in_range(0, limits::kMaxThreads));
  app_->add_option("--seed", seed_, "seed of the bootstrap (Sobol) or trajectories (Morris)")
      ->capture_default_str()
      ->transform(count_in_range(0, std::numeric_limits<std::uint64_t>::max()));
  app_->add_option("--bootstrap", bootstrap_, "Sobol bootstrap replicates for the 95% intervals")
      ->capture_default_str()
      ->transform(count_in_range(0, limits::kMaxBootstrap));
  app_->add_option("--levels", levels_, "Morris grid levels p (even)")
      ->capture_default_str()
      ->transform(count_in_range(2, limits::kMaxMorrisLevels));
  app_->add_option("--out,-o", out_, "also write the table as CSV to this file");
  app_->add_option("--params", params_file_, "parameter-set TOML (e.g. from `lactsim fit`) applied before --set");
  app_->add_option("--set", set_assignments_, "fixed parameter override NAME=VALUE (repeatable)")->allow_extra_args(false);
  solver_flags_.add_to(*app_);
  app_->add_flag("--quiet,-q", quiet_, "print nothing on success");
  app_->add_flag("--progress", progress_, kProgressFlagHelp);
  app_->add_flag("--plot", plot_, "render figures of --out into figures/ next to it (needs gnuplot; see `lactsim plot`)");
  figure_flags_.add_to(*app_);
}

int SensitivityCommand::execute() {
  ScenarioSensitivityRequest request;
  request.solver = solver_flags_.options();
  FigureFormat figure_format;
  if (plot_) figure_format = check_plot_request(out_, figure_flags_);
  RunManifest manifest = begin_manifest("sensitivity", command_line_);
  const auto scenarios = load_scenarios({scenario_file_}, set_assignments_, params_file_, kCommandLineOrigin);
  manifest.add_scenario_inputs({scenario_file_}, params_file_, set_assignments_);
  const SimulationInput base = to_simulation_input(scenarios.front());

  request.method = parse_sensitivity_method(method_);
  for (const auto& text : vary_) request.ranges.push_back(parse_parameter_range(text, {kArgumentsOrigin, 0, 0}));
  request.endpoints = endpoints_;
  request.options.samples = samples_;
  request.options.threads = threads_ == 0 ? default_thread_count() : threads_;
  request.options.seed = seed_;
  request.options.bootstrap_replicates = bootstrap_;
  request.options.morris_levels = levels_;
  ProgressBar bar(request.method == SensitivityMethod::sobol ? "base samples" : "trajectories",
                  ProgressBar::display_for(quiet_, progress_));
  request.options.progress = bar.callback();

  const ScenarioSensitivity result = scenario_sensitivity(base, request);
  bar.finish();
  const std::string csv = sensitivity_csv(result);
  if (!out_.empty()) {
    record_sensitivity_manifest(manifest, request, result);
    write_file_with_manifest(out_, csv, manifest);
  }
  if (!quiet_) std::cout << sensitivity_table(result);
  if (plot_) {  // drawn from the CSV in memory, not read back from --out
    draw_figures_of_written_results([&] {
      const PlotReport report = plot_csv_text(csv, out_, find_gnuplot(), figure_format, scenario_names_of(scenarios));
      report_figures(report, report.figures_dir, quiet_);
    });
  }
  return 0;
}

}  // namespace lactsim::cli
