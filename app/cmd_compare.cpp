#include "cmd_plot.hpp"
#include "cmd_compare.hpp"
#include "interrupt_progress.hpp"
#include "number_flags.hpp"

#include <algorithm>
#include <iostream>
#include <optional>
#include <sstream>

#include "lactsim/analysis/comparison.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/io/population_file.hpp"
#include "lactsim/analysis/parallel_runner.hpp"
#include "lactsim/analysis/resumable_runs.hpp"
#include "lactsim/io/run_scenarios.hpp"

namespace lactsim::cli {

CompareCommand::CompareCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("compare",
                               "Endpoints of scenarios side by side with differences and ratios to the first; "
                               "paired over the same mothers: --population POP.toml, or the first scenario's [population]");
  app_->add_option("scenarios", scenario_files_, "scenario TOML files; the first is the reference")->required();
  app_->add_option("--out,-o", out_, "also write a tidy CSV to this file");
  app_->add_option("--threads,-j", threads_, "worker threads for populations (0 = all cores)")
      ->capture_default_str()
      ->transform(count_in_range(0, limits::kMaxThreads));
  auto* population = app_->add_option(
      "--population", population_file_,
      "population TOML file holding a [population] table: run every arm on these same mothers, replacing the "
      "scenarios' own tables (none need one)");
  app_->add_flag("--no-population", no_population_, "ignore [population]: compare the scenarios' own mothers only")
      ->excludes(population);
  app_->add_option("--params", params_file_, "parameter-set TOML (e.g. from `lactsim fit`) applied before --set");
  app_->add_option("--set", set_assignments_, "override a parameter for every scenario: NAME=VALUE (repeatable)")
      ->allow_extra_args(false);
  solver_flags_.add_to(*app_);
  app_->add_flag("--resume", resume_,
                 "continue an interrupted population comparison from OUT.partial (needs --out); the table is "
                 "identical to an uninterrupted run");
  app_->add_option("--block-size", block_size_,
                   "mothers per block: with --out and a [population], per-mother rows go to OUT.partial, flushed "
                   "after each block")
      ->capture_default_str()
      ->transform(count_in_range(1, std::size_t{1} << 24));
  app_->add_flag("--quiet,-q", quiet_, "print nothing on success");
  app_->add_flag("--progress", progress_, kProgressFlagHelp);
  app_->footer(
      "Exit codes: 0 success; 1 other failure (e.g. cannot write --out); 2 bad input (scenario or population file, "
      "argument; the message names file:line:column and field); 3 simulation failure of a scenario's own mother; "
      "130 interrupted (Ctrl-C, with --out and a population).\n"
      "Interruption: with --out and a [population], per-mother endpoint rows stream into OUT.partial (fingerprint "
      "in OUT.partial.json) and OUT is written when all mothers are done. Ctrl-C (SIGINT) stops after the current "
      "block, keeps OUT.partial and exits with code 130; repeat the command with --resume to continue.");
  app_->add_flag("--plot", plot_, "render figures of --out into figures/ next to it (needs gnuplot; see `lactsim plot`)");
  figure_flags_.add_to(*app_);
}

int CompareCommand::execute() {
  CompareOptions options;
  options.solver = solver_flags_.options();
  FigureFormat figure_format;
  if (plot_) figure_format = check_plot_request(out_, figure_flags_);
  const std::vector<std::filesystem::path> files(scenario_files_.begin(), scenario_files_.end());
  auto scenarios = load_scenarios(files, set_assignments_, params_file_, kCommandLineOrigin);
  if (!population_file_.empty()) {
    // Every arm gets the file's table (checked against each arm's values), so any arms pair.
    const PopulationSpec spec = load_population_file(population_file_);
    for (Scenario& scenario : scenarios) use_population(scenario, spec);
  }
  options.threads = threads_ == 0 ? default_thread_count() : threads_;
  options.use_population = !no_population_;
  options.block_size = block_size_;
  ProgressBar bar("mothers", ProgressBar::display_for(quiet_, progress_));
  options.progress = bar.callback();
  if (resume_ && out_.empty()) {
    throw InputError({kCommandLineOrigin, 0, 0}, "--resume", "needs --out FILE (the per-mother rows are kept beside it)");
  }
  Comparison comparison;
  if (out_.empty()) {
    comparison = compare_scenarios(scenarios, options);
  } else {
    // Only a population comparison keeps rows to resume from: only it stops at Ctrl-C.
    CancellationToken cancel;
    std::optional<InterruptGuard> interrupt;
    if (options.use_population && scenarios.front().population) {
      options.cancel = &cancel;
      interrupt.emplace(cancel, "\nlactsim: interrupt: finishing the current block of samples (Ctrl-C again to abort)\n");
    }
    const RunManifest manifest = compare_manifest(files, set_assignments_, params_file_, options.solver, population_file_,
                                                  scenarios, options.use_population, command_line_);
    const ResumableTarget target{out_, compare_fingerprint(files, set_assignments_, params_file_, options.solver, population_file_),
                                 resume_, &std::cerr, &manifest};
    FileComparisonResult result = compare_scenarios_to_file(scenarios, options, target);
    if (result.comparison.interrupted) {
      bar.finish();
      std::cerr << "lactsim compare: interrupted; the mothers done so far are kept in " << result.partial_path.string()
                << ". To continue, repeat the same command with --resume.\n";
      return kInterruptedExitCode;
    }
    comparison = std::move(result.comparison);
  }
  bar.finish();
  // How many mothers each arm included goes to stderr even under --quiet when some failed:
  // percentiles over fewer mothers than requested must not pass unnoticed.
  const bool any_failed = std::any_of(comparison.failed_mothers.begin(), comparison.failed_mothers.end(),
                                      [](std::size_t failed) { return failed > 0; });
  if (!quiet_ || any_failed) std::cerr << population_counts_text(comparison);
  if (!quiet_) std::cout << comparison_table(comparison);
  if (plot_) {
    draw_figures_of_written_results(
        [&] { render_result_figures(out_, {}, "", figure_format, quiet_, scenario_names_of(scenarios)); });
  }
  return 0;
}

}  // namespace lactsim::cli
