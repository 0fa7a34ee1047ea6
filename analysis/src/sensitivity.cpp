#include "lactsim/analysis/sensitivity.hpp"

#include "lactsim/analysis/parallel_runner.hpp"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <optional>

#include "lactsim/io/counter_rng.hpp"
#include "lactsim/analysis/design.hpp"
#include "lactsim/engine/errors.hpp"

namespace lactsim {
namespace {

constexpr double kTwoToMinus64 = 0x1.0p-64;
// Work items held in memory at once (each is d + 2 or d + 1 runs).
constexpr std::size_t kBlockSize = 256;
// Bootstrap weights use streams from here on, apart from the design's own streams.
constexpr std::uint64_t kBootstrapStream = 1'000'000;

void check_common(const SensitivityOptions& o) {
  const SourceLocation where{kArgumentsOrigin, 0, 0};
  if (o.dimensions == 0) throw InputError(where, "ranges", "give at least one parameter to vary");
  if (o.outputs == 0) throw InputError(where, "endpoints", "give at least one endpoint");
  if (o.samples == 0) throw InputError(where, "samples", "must be at least 1");
  if (!(o.confidence > 0.0 && o.confidence < 1.0)) throw InputError(where, "confidence", "must be in (0, 1)");
}

/// Value at quantile q of sorted data (linear interpolation between order statistics).
double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::nan("");
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  return sorted[lower] + (position - static_cast<double>(lower)) * (sorted[upper] - sorted[lower]);
}

/// Running sums of one output for one bootstrap replicate.
struct SobolSums {
  double weight = 0, sum_a = 0, sum_b = 0, sum_aa = 0, sum_bb = 0;
  std::vector<double> first, total;  ///< Σ f_B (f_ABi − f_A), Σ (f_A − f_ABi)²
};

}  // namespace

SobolResult sobol_analysis(const UnitModel& model, const SensitivityOptions& options) {
  check_common(options);
  const std::size_t d = options.dimensions, m = options.outputs, n = options.samples;
  const std::size_t runs_per_item = d + 2;
  const std::size_t replicates = options.bootstrap_replicates;
  const unsigned threads = std::max(1u, options.threads);

  struct Slot {
    bool ok = false;
    std::vector<double> values;  ///< [run][output]: A, B, AB_1 … AB_d
  };
  std::vector<Slot> slots(kBlockSize);
  for (auto& slot : slots) slot.values.resize(runs_per_item * m);
  struct Worker {
    std::optional<boost::random::sobol> sobol;
    std::size_t next_index = 0;
    std::vector<double> point, run_point;
  };
  std::vector<Worker> workers(threads);
  for (auto& w : workers) {
    w.sobol.emplace(2 * d);
    w.point.resize(2 * d);
    w.run_point.resize(d);
  }

  // sums[r * m + k]: replicate r (0 = the full sample) of output k.
  std::vector<SobolSums> sums((replicates + 1) * m);
  for (auto& s : sums) {
    s.first.assign(d, 0.0);
    s.total.assign(d, 0.0);
  }
  std::vector<double> reference(m, 0.0);
  bool have_reference = false;
  SobolResult result;
  result.model_runs = n * runs_per_item;

  run_in_order(
      0, n, threads, kBlockSize,
      [&](std::size_t j, unsigned worker) {
        Worker& w = workers[worker];
        if (j != w.next_index) w.sobol->seed(j);
        for (double& u : w.point) u = static_cast<double>((*w.sobol)()) * kTwoToMinus64;
        w.next_index = j + 1;
        Slot& slot = slots[j % kBlockSize];
        slot.ok = true;
        for (std::size_t run = 0; run < runs_per_item && slot.ok; ++run) {
          for (std::size_t i = 0; i < d; ++i) {
            // run 0: A; run 1: B; run 2 + k: A with column k taken from B.
            const bool from_b = run == 1 || (run >= 2 && i == run - 2);
            w.run_point[i] = w.point[from_b ? d + i : i];
          }
          slot.ok = model(w.run_point, std::span<double>(slot.values).subspan(run * m, m), worker);
          for (std::size_t k = 0; k < m && slot.ok; ++k) slot.ok = std::isfinite(slot.values[run * m + k]);
        }
      },
      [&](std::size_t j) {
        const Slot& slot = slots[j % kBlockSize];
        if (!slot.ok) {
          ++result.failed_samples;
          return;
        }
        ++result.base_samples;
        if (!have_reference) {  // centring keeps the sums well conditioned
          for (std::size_t k = 0; k < m; ++k) reference[k] = slot.values[k];
          have_reference = true;
        }
        for (std::size_t r = 0; r <= replicates; ++r) {
          const double weight = r == 0 ? 1.0 : counter_poisson1(options.seed, j, kBootstrapStream + r);
          if (weight == 0.0) continue;
          for (std::size_t k = 0; k < m; ++k) {
            SobolSums& s = sums[r * m + k];
            const double fa = slot.values[k] - reference[k], fb = slot.values[m + k] - reference[k];
            s.weight += weight;
            s.sum_a += weight * fa;
            s.sum_b += weight * fb;
            s.sum_aa += weight * fa * fa;
            s.sum_bb += weight * fb * fb;
            for (std::size_t i = 0; i < d; ++i) {
              const double fab = slot.values[(2 + i) * m + k] - reference[k];
              s.first[i] += weight * fb * (fab - fa);
              s.total[i] += weight * (fa - fab) * (fa - fab);
            }
          }
        }
      },
      options.progress, options.cancel);

  auto estimate = [&](const SobolSums& s, std::size_t i, bool total, double* variance_out) {
    const double mean = (s.sum_a + s.sum_b) / (2.0 * s.weight);
    const double variance = (s.sum_aa + s.sum_bb) / (2.0 * s.weight) - mean * mean;
    if (variance_out != nullptr) *variance_out = variance;
    if (!(variance > 0.0)) return std::nan("");
    return total ? s.total[i] / (2.0 * s.weight) / variance : s.first[i] / s.weight / variance;
  };
  const double tail = (1.0 - options.confidence) / 2.0;
  result.by_output.resize(m);
  std::vector<double> draws;
  for (std::size_t k = 0; k < m; ++k) {
    SobolIndices& out = result.by_output[k];
    if (result.base_samples == 0) {  // nothing to estimate from: undefined, not zero
      const double undefined = std::nan("");
      out.first_order.assign(d, Estimate{undefined, undefined, undefined});
      out.total_order.assign(d, Estimate{undefined, undefined, undefined});
      out.variance = undefined;
      continue;
    }
    out.first_order.resize(d);
    out.total_order.resize(d);
    estimate(sums[k], 0, false, &out.variance);
    for (int total = 0; total < 2; ++total) {
      for (std::size_t i = 0; i < d; ++i) {
        Estimate& e = total ? out.total_order[i] : out.first_order[i];
        e.value = estimate(sums[k], i, total != 0, nullptr);
        draws.clear();
        for (std::size_t r = 1; r <= replicates; ++r) {
          if (sums[r * m + k].weight <= 0.0) continue;
          const double v = estimate(sums[r * m + k], i, total != 0, nullptr);
          if (std::isfinite(v)) draws.push_back(v);
        }
        std::sort(draws.begin(), draws.end());
        e.low = draws.empty() ? e.value : quantile_sorted(draws, tail);
        e.high = draws.empty() ? e.value : quantile_sorted(draws, 1.0 - tail);
      }
    }
  }
  return result;
}

MorrisResult morris_analysis(const UnitModel& model, const SensitivityOptions& options) {
  check_common(options);
  const int p = options.morris_levels;
  if (p < 2 || p % 2 != 0) throw InputError({kArgumentsOrigin, 0, 0}, "morris_levels", "must be an even number >= 2");
  const std::size_t d = options.dimensions, m = options.outputs, r = options.samples;
  const double delta = static_cast<double>(p) / (2.0 * (p - 1));
  const unsigned threads = std::max(1u, options.threads);

  struct Slot {
    bool ok = false;
    std::vector<double> effects;  ///< [input][output]
  };
  std::vector<Slot> slots(kBlockSize);
  for (auto& slot : slots) slot.effects.resize(d * m);
  struct Worker {
    std::vector<double> point, before, after;
  };
  std::vector<Worker> workers(threads);
  for (auto& w : workers) {
    w.point.resize(d);
    w.before.resize(m);
    w.after.resize(m);
  }
  std::vector<double> sum(d * m, 0.0), sum_abs(d * m, 0.0), sum_sq(d * m, 0.0);
  MorrisResult result;
  result.model_runs = r * (d + 1);

  run_in_order(
      0, r, threads, kBlockSize,
      [&](std::size_t t, unsigned worker) {
        Worker& w = workers[worker];
        Slot& slot = slots[t % kBlockSize];
        // Base point on the lower half of the p-level grid, so that x + delta stays in [0, 1];
        // a random half of the coordinates start at the upper point and step down instead.
        std::vector<double>& x = w.point;
        std::vector<double> sign(d);
        for (std::size_t i = 0; i < d; ++i) {
          const auto level = static_cast<int>(counter_uniform(options.seed, t, 2 * i) * (p / 2));
          const bool down = counter_uniform(options.seed, t, 2 * i + 1) < 0.5;
          x[i] = static_cast<double>(level) / (p - 1) + (down ? delta : 0.0);
          sign[i] = down ? -1.0 : 1.0;
        }
        slot.ok = model(x, w.before, worker);
        const std::uint64_t key = mix64(options.seed ^ mix64(t + 1));
        for (std::size_t step = 0; step < d && slot.ok; ++step) {
          const auto i = static_cast<std::size_t>(keyed_permutation(step, d, key));
          x[i] += sign[i] * delta;
          slot.ok = model(x, w.after, worker);
          for (std::size_t k = 0; k < m && slot.ok; ++k) {
            slot.effects[i * m + k] = (w.after[k] - w.before[k]) / (sign[i] * delta);
            slot.ok = std::isfinite(slot.effects[i * m + k]);
          }
          std::swap(w.before, w.after);
        }
      },
      [&](std::size_t t) {
        const Slot& slot = slots[t % kBlockSize];
        if (!slot.ok) {
          ++result.failed_trajectories;
          return;
        }
        ++result.trajectories;
        for (std::size_t q = 0; q < d * m; ++q) {
          sum[q] += slot.effects[q];
          sum_abs[q] += std::abs(slot.effects[q]);
          sum_sq[q] += slot.effects[q] * slot.effects[q];
        }
      },
      options.progress, options.cancel);

  result.by_output.assign(m, std::vector<MorrisMeasures>(d));
  const auto count = static_cast<double>(result.trajectories);
  for (std::size_t k = 0; k < m && count > 0; ++k) {
    for (std::size_t i = 0; i < d; ++i) {
      const std::size_t q = i * m + k;
      MorrisMeasures& mm = result.by_output[k][i];
      mm.mu = sum[q] / count;
      mm.mu_star = sum_abs[q] / count;
      mm.sigma = count > 1 ? std::sqrt(std::max(0.0, (sum_sq[q] - count * mm.mu * mm.mu) / (count - 1))) : 0.0;
    }
  }
  return result;
}

}  // namespace lactsim
