#include "cmd_plot.hpp"
#include "cmd_sweep.hpp"

#include <iostream>
#include <sstream>

#include "lactsim/sim/parallel_runner.hpp"
#include "lactsim/sim/run_scenarios.hpp"
#include "lactsim/sim/streaming_output.hpp"
#include "lactsim/sim/sweep.hpp"

namespace lactsim::cli {

SweepCommand::SweepCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("sweep", "Run a scenario over a design of parameter values; one CSV row per sample");
  app_->add_option("scenario", scenario_file_, "scenario TOML file")->required();
  app_->add_option("--vary", vary_, "parameter range NAME=LO:HI or NAME=LO:HI:log (repeatable)")
      ->allow_extra_args(false);
  app_->add_option("--design", design_, "grid, lhs, sobol, or file:PATH (a CSV of parameter sets)")
      ->capture_default_str();
  app_->add_option("--samples,-n", samples_, "samples (grid: about N points, round(N^(1/d)) levels per parameter)")
      ->capture_default_str();
  app_->add_option("--threads,-j", threads_, "worker threads (0 = all cores)")->capture_default_str();
  app_->add_option("--seed", seed_, "seed of the Latin hypercube")->capture_default_str();
  app_->add_option("--out,-o", out_, "output CSV (default: standard output)");
  app_->add_option("--shard", shard_, "run only shard I of N (I/N, 1-based), for job arrays; join with `lactsim merge`");
  app_->add_option("--set", set_assignments_, "fixed parameter override NAME=VALUE (repeatable)")->allow_extra_args(false);
  app_->add_option("--rtol", relative_tolerance_, "relative error tolerance per step")->capture_default_str();
  app_->add_option("--atol", absolute_tolerance_, "absolute error tolerance per step")->capture_default_str();
  app_->add_flag("--quiet,-q", quiet_, "no summary on stderr");
  app_->add_flag("--plot", plot_, "render figures of --out into figures/ next to it (needs gnuplot; see `lactsim plot`)");
}

int SweepCommand::execute() {
  SweepOptions options;
  options.solver.relative_tolerance = relative_tolerance_;
  options.solver.absolute_tolerance = absolute_tolerance_;
  validate_solver_options(options.solver);
  options.threads = threads_ == 0 ? default_thread_count() : threads_;
  if (!shard_.empty()) options.shard = parse_shard(shard_);
  options.progress = !quiet_ && ProgressBar::stderr_is_terminal();

  std::filesystem::path design_file;
  const DesignKind kind = parse_design_kind(design_, &design_file);
  if (plot_) check_plot_request(out_);
  const auto scenarios = load_scenarios({scenario_file_}, set_assignments_);
  const SimulationInput base = to_simulation_input(scenarios.front());
  std::optional<Design> design;
  if (kind == DesignKind::file) {
    if (!vary_.empty()) throw InputError({"<command line>", 0, 0}, "--vary", "not used with --design file:PATH");
    design = Design::from_csv(design_file);
  } else {
    std::vector<ParameterRange> ranges;
    for (const auto& text : vary_) ranges.push_back(parse_parameter_range(text, {"<command line>", 0, 0}));
    design = Design::generated(kind, std::move(ranges), samples_, seed_);
  }

  const MpiSession mpi;  // active only under `mpirun -n K` (K > 1) in an MPI build
  auto sweep = [&](std::ostream& out) {
    return mpi.active() ? run_sweep_mpi(base, *design, options, out) : run_sweep(base, *design, options, out);
  };
  SweepSummary summary;
  if (mpi.rank() != 0) {
    std::ostringstream discarded;  // only rank 0 writes; other ranks send it their rows
    summary = sweep(discarded);
    return 0;
  }
  if (out_.empty() || out_ == "-") {
    summary = sweep(std::cout);
    std::cout.flush();
  } else {
    StreamingOutputFile file(out_);
    summary = sweep(file.stream());
    file.commit();
  }
  if (!quiet_) {
    std::cerr << "lactsim sweep: " << summary.samples << " samples";
    if (options.shard.count > 1) {
      std::cerr << " (shard " << options.shard.index + 1 << "/" << options.shard.count << ": samples "
                << options.shard.begin(design->size()) << "-" << options.shard.end(design->size()) - 1 << " of "
                << design->size() << ")";
    }
    std::cerr << ", " << summary.failed << " failed (see the status and error columns)";
    if (!out_.empty() && out_ != "-") std::cerr << "; wrote " << out_;
    std::cerr << "\n";
  }
  if (plot_) render_result_figures(out_, {}, "", quiet_);
  return 0;
}

}  // namespace lactsim::cli
