#include "cmd_plot.hpp"
#include "cmd_compare.hpp"
#include "number_flags.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>

#include "lactsim/analysis/comparison.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/analysis/parallel_runner.hpp"
#include "lactsim/io/resume.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "lactsim/analysis/sweep.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/io/run_scenarios.hpp"

namespace lactsim::cli {

CompareCommand::CompareCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("compare",
                               "Endpoints of scenarios side by side with differences and ratios to the first; "
                               "paired over the first scenario's [population] when it has one");
  app_->add_option("scenarios", scenario_files_, "scenario TOML files; the first is the reference")->required();
  app_->add_option("--out,-o", out_, "also write a tidy CSV to this file");
  app_->add_option("--threads,-j", threads_, "worker threads for populations (0 = all cores)")
      ->capture_default_str()
      ->transform(count_in_range(0, limits::kMaxThreads));
  app_->add_flag("--no-population", no_population_, "ignore [population]: compare the scenarios' own mothers only");
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
  app_->footer(
      "Interruption: with --out and a [population], per-mother endpoint rows stream into OUT.partial (fingerprint "
      "in OUT.partial.json) and OUT is written when all mothers are done. Ctrl-C (SIGINT) stops after the current "
      "block, keeps OUT.partial and exits with code 130; repeat the command with --resume to continue.");
  app_->add_flag("--plot", plot_, "render figures of --out into figures/ next to it (needs gnuplot; see `lactsim plot`)");
}

RunFingerprint CompareCommand::fingerprint() const {
  // Everything that changes a per-mother row; thread count and block size do not.
  RunFingerprint f;
  const BuildInfo build = build_info();
  f.add("lactsim_version", build.version + " (" + build.git_commit + ")");
  f.add("command", "compare");
  for (std::size_t i = 0; i < scenario_files_.size(); ++i) {
    f.add("scenario_" + std::to_string(i + 1), std::filesystem::path(scenario_files_[i]).stem().string());
    f.add("scenario_" + std::to_string(i + 1) + "_sha256", file_sha256(scenario_files_[i]));
  }
  std::string sets;
  for (const auto& s : set_assignments_) sets += (sets.empty() ? "" : " ") + s;
  f.add("set", sets);
  f.add("params_sha256", params_file_.empty() ? std::string("none") : file_sha256(params_file_));
  solver_flags_.add_to_fingerprint(f);
  return f;
}

int CompareCommand::execute() {
  const SolverOptions solver = solver_flags_.options();
  if (plot_) check_plot_request(out_);
  const std::vector<std::filesystem::path> files(scenario_files_.begin(), scenario_files_.end());
  const auto scenarios = load_scenarios(files, set_assignments_, params_file_);
  const unsigned threads = threads_ == 0 ? default_thread_count() : threads_;
  const bool progress = !quiet_ && ProgressBar::stderr_is_terminal();
  if (resume_ && out_.empty()) {
    throw InputError({"<command line>", 0, 0}, "--resume", "needs --out FILE (the per-mother rows are kept beside it)");
  }
  const bool population = !no_population_ && scenarios.front().population.has_value();
  Comparison comparison;
  if (!population || out_.empty()) {
    comparison = compare_scenarios(scenarios, solver, threads, !no_population_, progress);
    if (!out_.empty()) write_file_atomically(out_, comparison_csv(comparison));
  } else {
    // Percentiles need every mother: keep per-mother rows in OUT.partial as they complete.
    const std::size_t rows = scenarios.front().population->size * scenarios.size();
    ResumableOutputFile file(out_, fingerprint(), population_rows_header(horizon_days(scenarios.front().horizon_h())),
                             0, rows, resume_, std::cerr);
    const InterruptGuard interrupt;
    PopulationCheckpoint checkpoint;
    checkpoint.rows = &file.stream();
    checkpoint.resumed_file = file.partial_path();
    checkpoint.completed_rows = file.completed_rows();
    checkpoint.block_size = block_size_;
    checkpoint.after_block = [&] {
      file.checkpoint();
      return !InterruptGuard::requested();
    };
    comparison = compare_scenarios(scenarios, solver, threads, true, progress, &checkpoint);
    if (comparison.interrupted) {
      file.checkpoint();
      std::cerr << "lactsim compare: interrupted; the mothers done so far are kept in " << file.partial_path().string()
                << ". To continue, repeat the same command with --resume.\n";
      return kInterruptedExitCode;
    }
    file.checkpoint();
    write_file_atomically(out_, comparison_csv(comparison));
    file.discard();
  }
  // How many mothers each arm included goes to stderr even under --quiet when some failed:
  // percentiles over fewer mothers than requested must not pass unnoticed.
  const bool any_failed = std::any_of(comparison.failed_mothers.begin(), comparison.failed_mothers.end(),
                                      [](std::size_t failed) { return failed > 0; });
  if (!quiet_ || any_failed) std::cerr << population_counts_text(comparison);
  if (!quiet_) std::cout << comparison_table(comparison);
  if (plot_) render_result_figures(out_, {}, "", quiet_);
  return 0;
}

}  // namespace lactsim::cli
