#include "cmd_plot.hpp"
#include "cmd_sweep.hpp"
#include "interrupt_progress.hpp"
#include "number_flags.hpp"

#include <iostream>
#include <limits>
#include <optional>

#include "lactsim/io/input_limits.hpp"
#include "lactsim/analysis/parallel_runner.hpp"
#include "lactsim/analysis/resumable_runs.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/analysis/sweep.hpp"
#include "lactsim/engine/text_format.hpp"

namespace lactsim::cli {

SweepCommand::SweepCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("sweep", "Run a scenario over a design of parameter values; one CSV row per sample");
  app_->add_option("scenario", scenario_file_, "scenario TOML file")->required();
  app_->add_option("--vary", vary_,
                   "parameter range NAME=LO:HI or NAME=LO:HI:log, schedule variable SECTION.KEY=LO:HI (e.g. "
                   "feeds.every_h=2:4), or covariate delivery=A,B,... / parity=A,B (grid only) (repeatable)")
      ->allow_extra_args(false);
  app_->add_option("--design", design_, "grid, lhs, sobol, or file:PATH (a CSV of parameter sets)")
      ->capture_default_str();
  app_->add_option("--samples,-n", samples_, "samples (grid: about N points, round(N^(1/d)) levels per parameter)")
      ->capture_default_str()
      ->transform(count_in_range(1, limits::kMaxSamples));
  app_->add_option("--threads,-j", threads_, "worker threads (0 = all cores)")
      ->capture_default_str()
      ->transform(count_in_range(0, limits::kMaxThreads));
  app_->add_option("--seed", seed_, "seed of the Latin hypercube")
      ->capture_default_str()
      ->transform(count_in_range(0, std::numeric_limits<std::uint64_t>::max()));
  app_->add_option("--out,-o", out_, "output CSV (default: standard output)");
  app_->add_option("--shard", shard_, "run only shard I of N (I/N, 1-based), for job arrays; join with `lactsim merge`");
  app_->add_option("--params", params_file_, "parameter-set TOML (e.g. from `lactsim fit`) applied before --set");
  app_->add_option("--set", set_assignments_, "fixed parameter override NAME=VALUE (repeatable)")->allow_extra_args(false);
  solver_flags_.add_to(*app_);
  app_->add_flag("--resume", resume_,
                 "continue an interrupted run of the same command from OUT.partial (needs --out); the result is "
                 "byte-identical to an uninterrupted run");
  app_->add_option("--block-size", block_size_,
                   "samples computed and written per block: OUT.partial is flushed after each block, so a killed "
                   "run loses at most one block")
      ->capture_default_str()
      ->transform(count_in_range(1, limits::kMaxBlockSize));
  app_->add_flag("--quiet,-q", quiet_, "no summary on stderr");
  app_->add_flag("--progress", progress_, kProgressFlagHelp);
  app_->footer(
      "Exit codes: 0 success; 1 other failure (e.g. cannot write --out); 2 bad input (scenario, design or parameter "
      "file, argument; the message names file:line:column and field); 130 interrupted (Ctrl-C, with --out). A sample "
      "whose integration fails is a row with status failed (see its error column), not an error.\n"
      "Interruption: with --out, rows stream into OUT.partial (fingerprint in OUT.partial.json), renamed to OUT "
      "when the sweep is complete. Ctrl-C (SIGINT) stops after the current block, keeps OUT.partial and exits with "
      "code 130; after a crash or SIGKILL OUT.partial holds every block written before it. Repeat the command "
      "with --resume to continue.");
  app_->add_flag("--plot", plot_, "render figures of --out into figures/ next to it (needs gnuplot; see `lactsim plot`)");
  figure_flags_.add_to(*app_);
}

int SweepCommand::execute() {
  SweepOptions options;
  options.solver = solver_flags_.options();
  options.threads = threads_ == 0 ? default_thread_count() : threads_;
  if (!shard_.empty()) options.shard = parse_shard(shard_);
  options.block_size = block_size_;
  const bool to_file = !out_.empty() && out_ != "-";
  if (resume_ && !to_file) {
    throw InputError({kCommandLineOrigin, 0, 0}, "--resume", "needs --out FILE (standard output cannot be resumed)");
  }

  std::filesystem::path design_file;
  const DesignKind kind = parse_design_kind(design_, &design_file);
  FigureFormat figure_format;
  if (plot_) figure_format = check_plot_request(out_, figure_flags_);
  const auto scenarios = load_scenarios({scenario_file_}, set_assignments_, params_file_, kCommandLineOrigin);
  const SimulationInput base = to_simulation_input(scenarios.front());
  std::optional<Design> design;
  if (kind == DesignKind::file) {
    if (!vary_.empty()) throw InputError({kCommandLineOrigin, 0, 0}, "--vary", "not used with --design file:PATH");
    if (app_->count("--samples") > 0) {  // the file's rows are the samples; a count would be silently ignored
      throw InputError({kCommandLineOrigin, 0, 0}, "--samples",
                       "not used with --design file:PATH (every row of the file is one sample)");
    }
    design = Design::from_csv(design_file);
  } else {
    std::vector<ParameterRange> ranges;
    for (const auto& text : vary_) ranges.push_back(parse_parameter_range(text, {kArgumentsOrigin, 0, 0}));
    design = Design::generated(kind, std::move(ranges), samples_, seed_);
  }
  options.scenario = &scenarios.front();
  check_schedule_variables(*design, options.scenario);  // before any output is opened

  const MpiSession mpi;  // active only under `mpirun -n K` (K > 1) in an MPI build
  ProgressBar bar("sims", mpi.rank() == 0 ? ProgressBar::display_for(quiet_, progress_) : ProgressDisplay::off);
  options.progress = bar.callback();
  SweepSummary summary;
  std::size_t resumed = 0;
  if (!to_file) {
    CsvSweepSink sink(std::cout);  // under MPI only rank 0 writes; other ranks send it their rows
    summary = mpi.active() ? run_sweep_mpi(base, *design, options, sink) : run_sweep(base, *design, options, sink);
    std::cout.flush();
  } else {
    SweepRequestRecord record{scenario_file_, set_assignments_, params_file_, design_, vary_, seed_, shard_,
                              options.solver};
    CancellationToken cancel;
    options.cancel = &cancel;
    const InterruptGuard interrupt(
        cancel, "\nlactsim: interrupt: finishing the current block of samples (Ctrl-C again to abort)\n");
    const RunManifest manifest = sweep_manifest(record, *design, command_line_);
    const FileSweepResult result = run_sweep_to_file(
        base, *design, options,
        {out_, mpi.rank() == 0 ? sweep_fingerprint(record, *design) : RunFingerprint{}, resume_, &std::cerr, &manifest},
        &mpi);
    summary = result.summary;
    resumed = result.resumed_samples;
    if (summary.interrupted && mpi.rank() == 0) {
      bar.finish();
      std::cerr << "lactsim sweep: interrupted after " << resumed + summary.samples << " of " << result.shard_samples
                << " samples; they are kept in " << result.partial_path.string()
                << ". To continue, repeat the same command with --resume.\n";
      return kInterruptedExitCode;
    }
  }
  bar.finish();
  if (mpi.rank() != 0) return 0;
  if (!quiet_) {
    std::cerr << "lactsim sweep: " << summary.samples << " samples";
    if (resumed > 0) std::cerr << " (after " << resumed << " resumed)";
    if (options.shard.count > 1) {
      std::cerr << " (shard " << options.shard.index + 1 << "/" << options.shard.count << ": samples "
                << options.shard.begin(design->size()) << "-" << options.shard.end(design->size()) - 1 << " of "
                << design->size() << ")";
    }
    std::cerr << ", " << summary.failed << " failed (see the status and error columns)";
    if (to_file) std::cerr << "; wrote " << out_;
    std::cerr << "\n";
  }
  if (plot_) {
    draw_figures_of_written_results(
        [&] { render_result_figures(out_, {}, "", figure_format, quiet_, scenario_names_of(scenarios)); });
  }
  return 0;
}

}  // namespace lactsim::cli
