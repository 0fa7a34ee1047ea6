#include "lactsim/sim/population.hpp"

#include <algorithm>
#include <cmath>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/sim/counter_rng.hpp"
#include "lactsim/sim/parallel_runner.hpp"
#include "lactsim/sim/sample_evaluation.hpp"
#include "lactsim/sim/sweep.hpp"

namespace lactsim {

PopulationSampler::PopulationSampler(const PopulationSpec& spec, const model::ModelParameters& base)
    : spec_(spec), base_(base) {
  const std::size_t k = spec.variability.size();
  for (const auto& v : spec.variability) sigma_.push_back(std::sqrt(std::log1p(v.cv * v.cv)));
  std::vector<double> correlation(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i) correlation[i * k + i] = 1.0;
  auto index_of = [&](const std::string& name) {
    for (std::size_t i = 0; i < k; ++i) {
      if (spec.variability[i].name == name) return i;
    }
    return k;
  };
  for (const auto& c : spec.correlations) {
    const std::size_t a = index_of(c.first), b = index_of(c.second);
    if (a == k || b == k) {
      throw InputError(c.where, "population.correlations",
                       "'" + (a == k ? c.first : c.second) + "' has no entry in [population.variability]");
    }
    correlation[a * k + b] = correlation[b * k + a] = c.rho;
  }
  // Cholesky–Banachiewicz; a non-positive pivot means the correlations are inconsistent.
  cholesky_.assign(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double s = correlation[i * k + j];
      for (std::size_t q = 0; q < j; ++q) s -= cholesky_[i * k + q] * cholesky_[j * k + q];
      if (i == j) {
        if (s <= 1e-12) {
          const SourceLocation where = spec.correlations.empty() ? spec.where : spec.correlations.back().where;
          throw InputError(where, "population.correlations",
                           "the correlations are inconsistent (the matrix is not positive definite)");
        }
        cholesky_[i * k + i] = std::sqrt(s);
      } else {
        cholesky_[i * k + j] = s / cholesky_[j * k + j];
      }
    }
  }
}

model::ModelParameters PopulationSampler::mother(std::size_t index) const {
  const std::size_t k = spec_.variability.size();
  model::ModelParameters p = base_;
  std::vector<double> z(k);
  for (std::size_t i = 0; i < k; ++i) z[i] = counter_normal(spec_.seed, index, spec_.variability[i].registry_index);
  for (std::size_t i = 0; i < k; ++i) {
    double correlated = 0.0;
    for (std::size_t j = 0; j <= i; ++j) correlated += cholesky_[i * k + j] * z[j];
    const auto& v = spec_.variability[i];
    p.*(v.member) = base_.*(v.member) * std::exp(sigma_[i] * correlated);
  }
  return p;
}

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

void MotherEvaluator::evaluate(std::size_t index, unsigned worker, PopulationRun& run) {
  const SampleOutcome o = evaluators_[worker].evaluate_parameters(sampler_.mother(index));
  if (!o.ok) {
    run.errors[index] = o.error;
    return;
  }
  const std::size_t m = run.endpoint_names.size();
  for (std::size_t k = 0; k < m; ++k) run.values[index * m + k] = endpoint_value(o.endpoints, k, days_);
}

PopulationRun run_population(const SimulationInput& base, const PopulationSpec& spec, const SolverOptions& solver,
                             unsigned threads, bool progress) {
  PopulationRun run = empty_population_run(spec.size, horizon_days(base.horizon_h));
  threads = std::max(1u, threads);
  MotherEvaluator mothers(base, spec, solver, threads);
  ProgressBar bar(spec.size, "mothers", progress);
  // Results go straight to their row, so the block size only sets the progress cadence.
  run_in_order(
      0, spec.size, threads, 256, [&](std::size_t i, unsigned worker) { mothers.evaluate(i, worker, run); },
      [&](std::size_t i) {
        if (!run.errors[i].empty()) ++run.failed;
      },
      &bar);
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
