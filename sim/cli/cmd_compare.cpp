#include "cmd_plot.hpp"
#include "cmd_compare.hpp"

#include <iostream>

#include "lactsim/sim/comparison.hpp"
#include "lactsim/sim/output_files.hpp"
#include "lactsim/sim/parallel_runner.hpp"
#include "lactsim/sim/run_scenarios.hpp"

namespace lactsim::cli {

CompareCommand::CompareCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("compare",
                               "Endpoints of scenarios side by side with differences and ratios to the first; "
                               "paired over the first scenario's [population] when it has one");
  app_->add_option("scenarios", scenario_files_, "scenario TOML files; the first is the reference")->required();
  app_->add_option("--out,-o", out_, "also write a tidy CSV to this file");
  app_->add_option("--threads,-j", threads_, "worker threads for populations (0 = all cores)")->capture_default_str();
  app_->add_flag("--no-population", no_population_, "ignore [population]: compare the scenarios' own mothers only");
  app_->add_option("--set", set_assignments_, "override a parameter for every scenario: NAME=VALUE (repeatable)")
      ->allow_extra_args(false);
  app_->add_option("--rtol", relative_tolerance_, "relative error tolerance per step")->capture_default_str();
  app_->add_option("--atol", absolute_tolerance_, "absolute error tolerance per step")->capture_default_str();
  app_->add_flag("--quiet,-q", quiet_, "print nothing on success");
  app_->add_flag("--plot", plot_, "render figures of --out into figures/ next to it (needs gnuplot; see `lactsim plot`)");
}

int CompareCommand::execute() {
  SolverOptions solver;
  solver.relative_tolerance = relative_tolerance_;
  solver.absolute_tolerance = absolute_tolerance_;
  validate_solver_options(solver);
  if (plot_) check_plot_request(out_);
  const std::vector<std::filesystem::path> files(scenario_files_.begin(), scenario_files_.end());
  const auto scenarios = load_scenarios(files, set_assignments_);
  const unsigned threads = threads_ == 0 ? default_thread_count() : threads_;
  const Comparison comparison = compare_scenarios(scenarios, solver, threads, !no_population_,
                                                  !quiet_ && ProgressBar::stderr_is_terminal());
  if (!out_.empty()) write_file_atomically(out_, comparison_csv(comparison));
  if (!quiet_) std::cout << comparison_table(comparison);
  if (plot_) render_result_figures(out_, {}, "", quiet_);
  return 0;
}

}  // namespace lactsim::cli
