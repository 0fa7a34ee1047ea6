#include "cmd_population.hpp"

#include <iostream>
#include <optional>

#include "interrupt_progress.hpp"
#include "number_flags.hpp"
#include "lactsim/analysis/parallel_runner.hpp"
#include "lactsim/analysis/population_study.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/population_file.hpp"
#include "lactsim/io/run_scenarios.hpp"

namespace lactsim::cli {

PopulationCommand::PopulationCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("population",
                               "A virtual population around one scenario: one row per mother (drawn parameters, "
                               "endpoints, status) in DIR/mothers.csv and its summary in DIR/summary.csv");
  app_->add_option("scenario", scenario_file_, "scenario TOML file (the mothers' median values and schedules)")
      ->required();
  app_->add_option("--population", population_file_,
                   "population TOML file holding a [population] table (as in a scenario); default: the "
                   "scenario's own [population], else the calibrated default scenarios/populations/first_week.toml");
  app_->add_option("--out,-o", out_, "output folder (mothers.csv, summary.csv)")->required();
  app_->add_option("--threads,-j", threads_, "worker threads (0 = all cores)")
      ->capture_default_str()
      ->transform(count_in_range(0, limits::kMaxThreads));
  app_->add_option("--params", params_file_, "parameter-set TOML (e.g. from `lactsim fit`) applied before --set");
  app_->add_option("--set", set_assignments_, "override a parameter: NAME=VALUE (repeatable)")->allow_extra_args(false);
  solver_flags_.add_to(*app_);
  app_->add_flag("--resume", resume_,
                 "continue an interrupted run from DIR/mothers.csv.partial; the files are identical to an "
                 "uninterrupted run");
  app_->add_option("--block-size", block_size_, "mothers per block (rows flushed to DIR/mothers.csv.partial after each)")
      ->capture_default_str()
      ->transform(count_in_range(1, std::size_t{1} << 24));
  app_->add_flag("--quiet,-q", quiet_, "print nothing on success");
  app_->add_flag("--progress", progress_, kProgressFlagHelp);
  app_->footer(
      "Rows stream into DIR/mothers.csv.partial (fingerprint in DIR/mothers.csv.partial.json); when every mother is "
      "done DIR/summary.csv is written and mothers.csv renamed into place. Ctrl-C (SIGINT) stops after the current "
      "block and keeps the partial file; repeat the command with --resume to continue.\n"
      "Exit codes: 0 success; 1 other failure (e.g. cannot write DIR); 2 bad input (scenario or population file, "
      "argument; the message names file:line:column and field); "
      "3 simulation failure (every mother failed; nothing is written, the rows stay in DIR/mothers.csv.partial); "
      "130 interrupted (Ctrl-C). A mother whose integration fails is counted and listed, not an error, as long as "
      "one mother is included.");
}

int PopulationCommand::execute() {
  Scenario scenario = load_scenarios({scenario_file_}, set_assignments_, params_file_, kCommandLineOrigin).front();
  if (choose_population(scenario, population_file_) == PopulationChoice::shipped_default && !quiet_) {
    std::cerr << "lactsim population: no [population] table; using the calibrated default, " << kDefaultPopulationFile
              << "\n";
  }
  PopulationStudyOptions options;
  options.solver = solver_flags_.options();
  options.threads = threads_ == 0 ? default_thread_count() : threads_;
  options.block_size = block_size_;
  ProgressBar bar("mothers", ProgressBar::display_for(quiet_, progress_));
  options.progress = bar.callback();
  CancellationToken cancel;
  options.cancel = &cancel;
  const InterruptGuard interrupt(cancel, "\nlactsim: interrupt: finishing the current block of mothers (Ctrl-C again to abort)\n");
  const RunManifest manifest = population_manifest(scenario_file_, population_file_, set_assignments_, params_file_,
                                                   options.solver, scenario, command_line_);
  const ResumableTarget target{
      out_, population_fingerprint(scenario_file_, population_file_, set_assignments_, params_file_, options.solver),
      resume_, &std::cerr, &manifest};
  const PopulationStudyResult result = run_population_study(scenario, options, target);
  bar.finish();
  if (result.interrupted) {
    std::cerr << "lactsim population: interrupted; the mothers done so far are kept in " << result.partial_path.string()
              << ". To continue, repeat the same command with --resume.\n";
    return kInterruptedExitCode;
  }
  // Counts go to stderr even under --quiet when a mother failed: percentiles over fewer
  // mothers than requested must not pass unnoticed.
  const PopulationSummary& s = result.summary;
  if (!quiet_ || s.failed > 0) {
    std::cerr << "population: " << scenario.population->size << " mothers (seed " << scenario.population->seed
              << ") around " << scenario.file.stem().string() << ": " << population_counts_line(s) << "\n";
  }
  if (!quiet_) std::cout << population_summary_table(s);
  return 0;
}

}  // namespace lactsim::cli
