#include "cmd_plot.hpp"
#include "cmd_sensitivity.hpp"
#include "number_flags.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include "lactsim/analysis/design.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/analysis/sensitivity.hpp"
#include "lactsim/analysis/sweep.hpp"
#include "lactsim/engine/text_format.hpp"

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
  app_->add_flag("--plot", plot_, "render figures of --out into figures/ next to it (needs gnuplot; see `lactsim plot`)");
}

int SensitivityCommand::execute() {
  const SolverOptions solver = solver_flags_.options();
  if (plot_) check_plot_request(out_);
  const auto scenarios = load_scenarios({scenario_file_}, set_assignments_, params_file_);
  const SimulationInput base = to_simulation_input(scenarios.front());
  const int days = horizon_days(base.horizon_h);

  std::vector<ParameterRange> ranges;
  for (const auto& text : vary_) ranges.push_back(parse_parameter_range(text, {"<command line>", 0, 0}));
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (ranges[i].name == ranges[j].name) throw InputError({"<command line>", 0, 0}, "--vary " + ranges[i].name, "is given twice");
    }
  }
  if (endpoints_.empty()) endpoints_ = {days >= 3 ? "milk_day3_ml" : "milk_day1_ml", "onset_h"};
  std::vector<std::size_t> endpoint_index;
  for (const auto& name : endpoints_) endpoint_index.push_back(find_endpoint(name, days, "--endpoint " + name));

  SensitivityOptions options;
  options.dimensions = ranges.size();
  options.outputs = endpoint_index.size();
  options.samples = samples_;
  options.threads = threads_ == 0 ? default_thread_count() : threads_;
  options.seed = seed_;
  options.bootstrap_replicates = bootstrap_;
  options.morris_levels = levels_;
  options.progress = !quiet_ && ProgressBar::stderr_is_terminal();

  std::vector<double model::ModelParameters::*> members;
  for (const auto& r : ranges) members.push_back(r.member);
  std::vector<SampleEvaluator> evaluators;
  std::vector<std::vector<double>> values(options.threads, std::vector<double>(ranges.size()));
  for (unsigned w = 0; w < options.threads; ++w) evaluators.emplace_back(base, members, solver);
  // Onset not reached within the horizon is censored at the horizon, so it stays a number.
  const UnitModel model = [&](std::span<const double> unit, std::span<double> outputs, unsigned worker) {
    for (std::size_t j = 0; j < ranges.size(); ++j) values[worker][j] = ranges[j].value_at(unit[j]);
    const SampleOutcome o = evaluators[worker].evaluate(values[worker]);
    if (!o.ok) return false;
    for (std::size_t k = 0; k < endpoint_index.size(); ++k) {
      const double v = endpoint_value(o.endpoints, endpoint_index[k], days);
      outputs[k] = (endpoint_index[k] == 0 && std::isnan(v)) ? base.horizon_h : v;
    }
    return true;
  };

  std::string csv, table;
  char line[256];
  if (method_ == "sobol") {
    const SobolResult result = sobol_analysis(model, options);
    csv = "endpoint,parameter,index,value,ci95_low,ci95_high\n";
    std::snprintf(line, sizeof line, "Sobol indices: N = %zu base samples (%zu runs, %zu base samples failed), 95%% bootstrap intervals (%zu replicates)\n",
                  result.base_samples, result.model_runs, result.failed_samples, bootstrap_);
    table += line;
    for (std::size_t k = 0; k < endpoints_.size(); ++k) {
      std::snprintf(line, sizeof line, "\n%s (variance %s)\n  %-36s %-28s %-28s\n", endpoints_[k].c_str(),
                    format_number(result.by_output[k].variance).c_str(), "parameter", "first order S_i", "total order S_Ti");
      table += line;
      for (std::size_t i = 0; i < ranges.size(); ++i) {
        const Estimate& s = result.by_output[k].first_order[i];
        const Estimate& t = result.by_output[k].total_order[i];
        csv += endpoints_[k] + "," + ranges[i].name + ",first," + csv_cell(s.value) + "," + csv_cell(s.low) + "," + csv_cell(s.high) + "\n";
        csv += endpoints_[k] + "," + ranges[i].name + ",total," + csv_cell(t.value) + "," + csv_cell(t.low) + "," + csv_cell(t.high) + "\n";
        std::snprintf(line, sizeof line, "  %-36s %6.3f [%6.3f, %6.3f]     %6.3f [%6.3f, %6.3f]\n", ranges[i].name.c_str(),
                      s.value, s.low, s.high, t.value, t.low, t.high);
        table += line;
      }
    }
  } else {
    const MorrisResult result = morris_analysis(model, options);
    csv = "endpoint,parameter,mu,mu_star,sigma\n";
    std::snprintf(line, sizeof line, "Morris screening: r = %zu trajectories, p = %d levels (%zu runs, %zu trajectories failed)\n"
                  "effects are per full range of each parameter, in the endpoint's unit\n",
                  result.trajectories, levels_, result.model_runs, result.failed_trajectories);
    table += line;
    for (std::size_t k = 0; k < endpoints_.size(); ++k) {
      std::snprintf(line, sizeof line, "\n%s\n  %-36s %12s %12s %12s\n", endpoints_[k].c_str(), "parameter", "mu*", "mu", "sigma");
      table += line;
      for (std::size_t i = 0; i < ranges.size(); ++i) {
        const MorrisMeasures& m = result.by_output[k][i];
        csv += endpoints_[k] + "," + ranges[i].name + "," + csv_cell(m.mu) + "," + csv_cell(m.mu_star) + "," + csv_cell(m.sigma) + "\n";
        std::snprintf(line, sizeof line, "  %-36s %12s %12s %12s\n", ranges[i].name.c_str(), format_number(m.mu_star).c_str(),
                      format_number(m.mu).c_str(), format_number(m.sigma).c_str());
        table += line;
      }
    }
  }
  if (!out_.empty()) write_file_atomically(out_, csv);
  if (!quiet_) std::cout << table;
  if (plot_) render_result_figures(out_, {}, "", quiet_);
  return 0;
}

}  // namespace lactsim::cli
