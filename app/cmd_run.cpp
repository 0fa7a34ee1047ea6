#include <algorithm>
#include <iostream>
#include <optional>

#include "cmd_plot.hpp"
#include "cmd_run.hpp"
#include "number_flags.hpp"
#include "lactsim/io/case_table.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/io/parameter_set.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/plot/plot_render.hpp"
#include "lactsim/plot/plot_results.hpp"
#include "lactsim/io/run_scenarios.hpp"

namespace lactsim::cli {
namespace {

/// Whether --format's list names `format`.
bool has_format(const std::vector<std::string>& formats, const std::string& format) {
  return std::find(formats.begin(), formats.end(), format) != formats.end();
}

}  // namespace

RunCommand::RunCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("run", "Simulate scenarios; write timeseries.csv, daily.csv and summary.json per scenario");
  app_->add_option("scenarios", scenario_files_, "scenario TOML files")->required();
  app_->add_option("--out,-o", out_dir_, "output directory; each scenario writes DIR/<file stem>/")
      ->capture_default_str();
  app_->add_option("--params", params_file_, "parameter-set TOML (e.g. from `lactsim fit`) applied before --set");
  app_->add_option("--set", set_assignments_, "override a parameter for every scenario: NAME=VALUE (repeatable)")
      ->allow_extra_args(false);
  app_->add_option("--observations", observations_file_,
                   "case table CSV (subject,quantity,day,time_h,value,unit,sd): the rows of each scenario's subject "
                   "become observed points; other subjects' rows are ignored");
  app_->add_option("--subject", subject_,
                   "the subject of the --observations table this scenario is (one scenario; else [scenario] subject)")
      ->needs("--observations")
      ->check([](const std::string& subject) { return subject_name_problem(subject); });
  solver_flags_.add_to(*app_);
  app_->add_option("--output-step-min", output_step_min_, "timeseries.csv spacing in minutes")
      ->capture_default_str()
      ->check(plain_number())
      ->check(CLI::Validator(
          [](std::string& text) {  // a plain number already: plain_number() ran first
            return std::stod(text) > 0.0 ? std::string() : std::string("must be more than 0 minutes");
          },
          "POSITIVE"));
  app_->add_option("--format", table_formats_,
                   "table layout: wide (timeseries.csv, daily.csv), long (timeseries_long.csv, daily_long.csv: "
                   "scenario,time_h|day,variable,unit,value, to stack many runs), or wide,long for both")
      ->capture_default_str();
  app_->add_flag("--quiet,-q", quiet_, "print nothing on success");
  app_->add_flag("--plot", plot_, "also render figures into DIR/figures/ (needs gnuplot; see `lactsim plot`)");
  figure_flags_.add_to(*app_);
}

int RunCommand::execute() {
  // The list parser of --figure-format: "wide,", ",wide" and "long,long" are bad input.
  const std::vector<std::string> table_formats =
      parse_format_list(table_formats_, {"wide", "long"}, kCommandLineOrigin, "--format");
  std::optional<GnuplotProgram> gnuplot;
  PlotOptions plot_options;
  if (plot_) {  // bad figure flags or a missing gnuplot fail (exit 2) before any work is done
    plot_options.format = figure_flags_.format();
    gnuplot = find_gnuplot();
  }
  RunOptions options;
  options.solver = solver_flags_.options();
  options.output_step_h = output_step_min_ / 60.0;
  std::vector<std::filesystem::path> files(scenario_files_.begin(), scenario_files_.end());
  result_folder_names(files);  // refuses names that cannot be result folders, before any work too
  RunManifest manifest = begin_manifest("run", command_line_);
  std::vector<Scenario> scenarios = load_scenarios(files, set_assignments_, params_file_, kCommandLineOrigin);
  manifest.add_scenario_inputs(files, params_file_, set_assignments_);
  if (!observations_file_.empty()) {
    attach_case_table(scenarios, read_case_table(observations_file_), subject_, false);
    manifest.add_input("observations", observations_file_);
  }
  manifest.solver = options.solver;
  for (const Scenario& scenario : scenarios) {  // before any run: a grid too fine for a horizon is bad input
    check_output_grid(options.output_step_h, scenario.horizon_h(), {kCommandLineOrigin, 0, 0}, "--output-step-min");
  }
  auto runs = run_scenarios(std::move(scenarios), options);

  // Every output of this command, figures included, is built in a staging folder inside
  // --out and swapped in only when all of it is complete (docs/outputs.md).
  FolderTransaction transaction(out_dir_);
  const RunTableFormats formats{has_format(table_formats, "wide"), has_format(table_formats, "long")};
  const OutputStaging staging = stage_run_outputs(runs, options, transaction.staging_dir(), formats, &manifest);
  staging.commit();
  std::optional<PlotReport> figures;
  if (plot_) {  // drawn from the runs in memory, into the staged figures folder
    transaction.carry_over(kFiguresFolderName);
    // Figures that cannot be drawn are a note: the results are committed as without --plot
    // (the staged figures/ keeps what DIR/figures/ held).
    draw_figures_of_written_results([&] {
      figures = plot_scenario_runs(runs, transaction.staging_dir() / kFiguresFolderName, plot_options, *gnuplot);
    });
  }
  transaction.commit();

  if (!quiet_) {
    std::cout << daily_milk_table(runs);
    for (const ScenarioRun& run : runs) {
      if (run.scenario.observed.empty()) continue;
      std::cout << metrics_text(run.scenario.file.stem().string(), comparison_metrics(run.observations));
    }
    std::cout << "outputs written to " << out_dir_ << "/ (" << staging.paths().size() << " files)\n";
  }
  if (figures) report_figures(*figures, std::filesystem::path(out_dir_) / kFiguresFolderName, quiet_);
  return 0;
}

}  // namespace lactsim::cli
