#include "lactsim/analysis/population.hpp"

#include <algorithm>
#include <cmath>

#include "lactsim/analysis/parallel_runner.hpp"
#include "lactsim/analysis/sweep.hpp"

namespace lactsim {

PopulationRun empty_population_run(std::size_t mothers, int days) {
  PopulationRun run;
  run.endpoint_names = endpoint_names(days);
  run.mothers = mothers;
  run.values.assign(mothers * run.endpoint_names.size(), std::nan(""));
  run.errors.assign(mothers, {});
  return run;
}

MotherEvaluator::MotherEvaluator(const SimulationInput& base, const PopulationSpec& spec, const SolverOptions& solver,
                                 unsigned threads)
    : days_(horizon_days(base.horizon_h)), sampler_(spec, base.parameters) {
  for (unsigned w = 0; w < std::max(1u, threads); ++w) {
    evaluators_.emplace_back(base, std::vector<double model::ModelParameters::*>{}, solver);
  }
}

void MotherEvaluator::evaluate(std::size_t index, unsigned worker, PopulationRun& run, std::size_t row) {
  const SampleOutcome o = evaluators_[worker].evaluate_parameters(sampler_.mother(index));
  const std::size_t m = run.endpoint_names.size();
  run.errors[row] = o.ok ? std::string() : o.error;
  for (std::size_t k = 0; k < m; ++k) run.values[row * m + k] = o.ok ? endpoint_value(o.endpoints, k, days_) : std::nan("");
}

PopulationRun run_population(const SimulationInput& base, const PopulationSpec& spec, const SolverOptions& solver,
                             unsigned threads, const ProgressCallback& progress, const CancellationToken* cancel) {
  PopulationRun run = empty_population_run(spec.size, horizon_days(base.horizon_h));
  threads = std::max(1u, threads);
  MotherEvaluator mothers(base, spec, solver, threads);
  // Results go straight to their row, so the block size only sets the progress and
  // cancellation cadence.
  run_in_order(
      0, spec.size, threads, 256, [&](std::size_t i, unsigned worker) { mothers.evaluate(i, worker, run); },
      [&](std::size_t i) {
        if (!run.errors[i].empty()) ++run.failed;
      },
      progress, cancel);
  return run;
}

double quantile(std::vector<double> values, double q) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const std::size_t upper = std::min(lower + 1, values.size() - 1);
  return values[lower] + (position - static_cast<double>(lower)) * (values[upper] - values[lower]);
}

PercentileBand percentile_band(std::vector<double> values) {
  PercentileBand band;
  band.count = static_cast<std::size_t>(std::count_if(values.begin(), values.end(), [](double v) { return std::isfinite(v); }));
  band.p5 = quantile(values, 0.05);
  band.p50 = quantile(values, 0.50);
  band.p95 = quantile(values, 0.95);
  return band;
}

}  // namespace lactsim
