#include "cmd_calibrate_population.hpp"
#include "fit_progress.hpp"
#include "interrupt_progress.hpp"
#include "number_flags.hpp"


#include <cstdio>
#include <iostream>
#include <limits>
#include <thread>

#include "lactsim/fit/population_calibration.hpp"
#include "lactsim/io/input_limits.hpp"

namespace lactsim::cli {

CalibratePopulationCommand::CalibratePopulationCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("calibrate-population",
                               "Estimate between-mother spreads from population-level targets (medians, percentiles, "
                               "fractions, odds ratios) over common-random-number populations");
  app_->add_option("config", config_file_, "calibration TOML (subgroups, cohorts, [population], free spreads, targets)")
      ->required();
  app_->add_option("--out,-o", out_dir_, "output directory for estimates.csv, targets.csv, population.toml, report.txt")
      ->capture_default_str();
  app_->add_option("-j,--threads", threads_, "worker threads (0 = all cores); results do not depend on it")
      ->capture_default_str()
      ->transform(count_in_range(0, 1024));
  app_->add_option("--multistart", multistart_, "extra starts from a Latin-hypercube design within the bounds")
      ->capture_default_str()
      ->transform(count_in_range(0, limits::kMaxMultistart));
  app_->add_option("--seed", seed_, "seed of the multistart design (the mothers' seed is the config's)")
      ->capture_default_str()
      ->transform(count_in_range(0, std::numeric_limits<std::uint64_t>::max()));
  app_->add_option("--max-iterations", max_iterations_, "Levenberg-Marquardt evaluations per start")
      ->capture_default_str()
      ->transform(count_in_range(1, 100000));
  app_->add_flag("--quiet,-q", quiet_, "print nothing on success");
}

std::string CalibratePopulationCommand::command_line() const {
  return "lactsim calibrate-population " + config_file_ + " --multistart " + std::to_string(multistart_) + " --seed " +
         std::to_string(seed_) + " --max-iterations " + std::to_string(max_iterations_);
}

int CalibratePopulationCommand::execute() {
  const unsigned threads = threads_ == 0 ? std::max(1u, std::thread::hardware_concurrency()) : threads_;
  PopulationCalibrationSettings settings;
  settings.threads = threads;
  settings.fit.multistart = multistart_;
  settings.fit.seed = seed_;
  settings.fit.max_iterations = max_iterations_;
  RunManifest manifest = begin_manifest("calibrate-population", command_line_);
  const PopulationCalibrationProblem problem(load_population_calibration(config_file_), settings.solver, threads);
  manifest.add_population_calibration_inputs(problem.config());
  manifest.seeds.emplace_back("multistart", seed_);
  manifest.solver = settings.solver;
  CancellationToken cancel;  // SIGINT: the calibration returns its best point so far
  settings.fit.cancel = &cancel;
  FitProgressDisplay progress(quiet_, /*progress_flag=*/false);
  settings.fit.progress = progress.callback();
  PopulationCalibrationResult result;
  {
    const InterruptGuard guard(cancel);
    result = calibrate_population(problem, settings);
  }
  progress.finish();
  OutputStaging staging = stage_population_calibration_outputs(problem, result, command_line(), out_dir_, &manifest);
  staging.commit();
  if (!quiet_) {
    std::cout << population_calibration_text(problem, result);
    std::cout << "outputs written to " << out_dir_ << "/ (" << staging.paths().size() << " files)\n";
  }
  return result.fit.interrupted ? kInterruptedExitCode : 0;
}

}  // namespace lactsim::cli
