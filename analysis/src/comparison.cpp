#include "lactsim/analysis/comparison.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "lactsim/engine/fast_endpoints.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/analysis/parallel_runner.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/io/streaming_output.hpp"
#include "lactsim/analysis/sweep.hpp"
#include "lactsim/engine/text_format.hpp"
#include "comparison_statistics.hpp"

namespace lactsim {
namespace {

constexpr const char* kLateOnsetName = "onset_after_72h_fraction";

// ---- per-mother checkpoint rows (lactsim compare --resume)

/// One arm of a population comparison, mothers [done, size) computed and streamed as rows
/// to the checkpoint (the same MotherEvaluator as run_population), one block held in memory
/// at a time; sets `stopped` when the token is cancelled before the last mother. Progress
/// counts mothers over all arms.
void run_arm_with_checkpoint(const SimulationInput& base, const PopulationSpec& spec, const CompareOptions& options,
                             std::size_t arms, std::size_t arm, const std::string& scenario, std::size_t done,
                             const PopulationCheckpoint& checkpoint, bool& stopped) {
  const unsigned threads = std::max(1u, options.threads);
  MotherEvaluator mothers(base, spec, options.solver, threads);
  const std::size_t block = std::max<std::size_t>(1, options.block_size);
  PopulationRun run = empty_population_run(std::min(block, spec.size), horizon_days(base.horizon_h));
  const std::size_t m = run.endpoint_names.size();
  std::size_t begin = done;
  std::string row;
  auto compute = [&](std::size_t i, unsigned worker) { mothers.evaluate(i, worker, run, i - begin); };
  auto consume = [&](std::size_t i) {
    const std::size_t r = i - begin;
    row = std::to_string(arm * spec.size + i) + "," + csv_escape(scenario) + "," + std::to_string(i) +
          (run.errors[r].empty() ? ",ok" : ",failed");
    for (std::size_t k = 0; k < m; ++k) row += "," + round_trip_cell(run.values[r * m + k]);
    // One line per row, so the rows can be read back line by line.
    std::string error = run.errors[r];
    std::replace(error.begin(), error.end(), '\n', ' ');
    row += "," + csv_escape(error) + "\n";
    *checkpoint.rows << row;
  };
  for (; begin < spec.size; begin += block) {
    const std::size_t end = std::min(spec.size, begin + block);
    run_in_order(begin, end, threads, block, compute, consume);
    if (checkpoint.after_block) checkpoint.after_block();
    if (options.progress) options.progress(arm * spec.size + end, arms * spec.size);
    if (end < spec.size && is_cancelled(options.cancel)) {
      stopped = true;
      break;
    }
  }
}

}  // namespace

std::string population_rows_header(int days) {
  std::string header = "row,scenario,mother,status";
  for (const auto& name : endpoint_names(days)) header += "," + name;
  return header + ",error\n";
}

namespace {

/// True when two [population] tables draw the same mothers (locations aside).
bool same_population_draws(const PopulationSpec& a, const PopulationSpec& b) {
  auto same_variability = [](const ParameterVariability& x, const ParameterVariability& y) {
    return x.name == y.name && x.cv == y.cv && x.distribution == y.distribution && x.sd == y.sd &&
           x.lower == y.lower && x.upper == y.upper;
  };
  auto same_correlation = [](const ParameterCorrelation& x, const ParameterCorrelation& y) {
    return x.first == y.first && x.second == y.second && x.rho == y.rho;
  };
  return a.size == b.size && a.seed == b.seed &&
         std::equal(a.variability.begin(), a.variability.end(), b.variability.begin(), b.variability.end(),
                    same_variability) &&
         std::equal(a.correlations.begin(), a.correlations.end(), b.correlations.begin(), b.correlations.end(),
                    same_correlation);
}

/// compare pairs mothers by running the first scenario's population on every arm; a later
/// arm's table that differs from it would be ignored, so it is refused instead.
void refuse_population_tables_that_would_be_ignored(const std::vector<Scenario>& scenarios) {
  const std::optional<PopulationSpec>& first = scenarios.front().population;
  for (std::size_t i = 1; i < scenarios.size(); ++i) {
    const std::optional<PopulationSpec>& table = scenarios[i].population;
    if (!table || (first && same_population_draws(*first, *table))) continue;
    const std::string why = first ? "differs from the one in " + scenarios.front().file.string()
                                  : "is in an arm, but " + scenarios.front().file.string() + " has none";
    throw InputError(table->where, "population",
                     "compare runs the first scenario's [population] on every arm, so that mothers are paired; "
                     "this table " + why + " and would be ignored. Give the population in the first scenario "
                     "(the same table, or none, in the others), or use --no-population");
  }
}

}  // namespace

Comparison compare_scenarios(const std::vector<Scenario>& scenarios, const CompareOptions& options,
                             const PopulationCheckpoint* checkpoint) {
  if (scenarios.empty()) throw InputError({kArgumentsOrigin, 0, 0}, "scenarios", "give at least one scenario");
  const SolverOptions& solver = options.solver;
  const bool use_population = options.use_population;
  for (const auto& s : scenarios) {
    if (s.duration_days != scenarios.front().duration_days) {
      throw InputError({s.file.string(), 0, 0}, "scenario.duration_days",
                       "all compared scenarios need the same duration (" +
                           std::to_string(scenarios.front().duration_days) + " days in " +
                           scenarios.front().file.string() + ")");
    }
  }
  Comparison c;
  const int days = horizon_days(scenarios.front().horizon_h());
  const auto names = endpoint_names(days);
  const std::size_t arms = scenarios.size();
  std::vector<Endpoints> deterministic;
  std::vector<PopulationRun> populations;  // in memory only without a checkpoint
  if (use_population) refuse_population_tables_that_would_be_ignored(scenarios);
  if (use_population && scenarios.front().population) c.population = scenarios.front().population;
  const bool checkpointed = c.population && checkpoint != nullptr && checkpoint->rows != nullptr;
  for (const auto& s : scenarios) {
    c.scenarios.push_back(s.file.stem().string());
    const SimulationInput input = to_simulation_input(s);
    FastWorkspace workspace;
    deterministic.push_back(simulate_endpoints(input, solver, workspace));
    if (!c.population) continue;
    const std::size_t arm = c.scenarios.size() - 1, size = c.population->size;
    if (checkpointed) {
      const std::size_t done = std::min(size, checkpoint->completed_rows - std::min(checkpoint->completed_rows, arm * size));
      bool stopped = false;
      run_arm_with_checkpoint(input, *c.population, options, arms, arm, c.scenarios.back(), done, *checkpoint, stopped);
      if (stopped) {
        c.interrupted = true;
        return c;
      }
    } else {
      ProgressCallback arm_progress;
      if (options.progress) {
        arm_progress = [&](std::size_t done, std::size_t) { options.progress(arm * size + done, arms * size); };
      }
      try {
        populations.push_back(run_population(input, *c.population, solver, options.threads, arm_progress, options.cancel));
      } catch (const Cancelled&) {
        c.interrupted = true;
        return c;
      }
    }
  }
  // Per-mother values come from passes over the mothers: from the checkpoint file when there
  // is one (memory then does not grow with the number of mothers), else from memory.
  const double horizon_h = scenarios.front().horizon_h();
  std::vector<detail::ArmStatistics> stats;
  if (c.population) {
    const detail::MotherPass pass =
        checkpointed ? detail::checkpoint_mother_pass(checkpoint->resumed_file, arms, c.population->size, names.size())
                     : detail::memory_mother_pass(populations);
    stats = detail::arm_statistics(pass, arms, names.size(), horizon_h);
    for (const auto& arm : stats) {
      c.failed_mothers.push_back(arm.failed);
      c.first_failure.push_back(arm.first_failure);
    }
  }
  auto add_rows = [&](const std::string& name, std::size_t k, auto value_of) {
    const double reference = value_of(std::size_t{0});
    for (std::size_t a = 0; a < arms; ++a) {
      ComparisonRow row;
      row.endpoint = name;
      row.scenario = c.scenarios[a];
      row.value = value_of(a);
      row.difference = row.value - reference;
      row.ratio = reference != 0.0 ? row.value / reference : std::nan("");
      if (c.population) {
        const detail::ArmStatistics& arm = stats[a];
        row.paired_mean = arm.paired_means[k];
        if (k < names.size()) {
          row.population = arm.bands[k];
          row.paired_difference = arm.paired_bands[k];
        } else {
          row.fraction = arm.late_fraction;
        }
        // Onset not reached within the horizon counts as later than it (right-censored), not as missing.
        if (k == 0 && arm.bands[0].count > 0) {
          row.not_reached_fraction = arm.not_reached_fraction;
          if (arm.not_reached > 0) row.censored_above_h = horizon_h;
        }
      }
      c.rows.push_back(row);
    }
  };
  for (std::size_t k = 0; k < names.size(); ++k) {
    add_rows(names[k], k, [&](std::size_t a) { return endpoint_value(deterministic[a], k, days); });
  }
  // The deterministic mother's 0/1 is no fraction, and percentiles of a 0/1 indicator say
  // nothing: these rows carry the fraction (Wilson interval) and the paired difference of
  // fractions (bootstrap interval) only.
  if (c.population) add_rows(kLateOnsetName, names.size(), [](std::size_t) { return std::nan(""); });
  return c;
}

PercentileBand censored_percentile_band(const std::vector<double>& low, const std::vector<double>& high) {
  // quantile() leaves non-finite values out, so an unbounded side stands at the largest finite
  // double: a percentile that gives it any weight then differs between the two bound vectors.
  constexpr double kUnbounded = std::numeric_limits<double>::max();
  std::vector<double> lows, highs;
  for (std::size_t i = 0; i < low.size() && i < high.size(); ++i) {
    if (std::isnan(low[i]) || std::isnan(high[i])) continue;
    lows.push_back(std::clamp(low[i], -kUnbounded, kUnbounded));
    highs.push_back(std::clamp(high[i], -kUnbounded, kUnbounded));
  }
  // A quantile is monotone in every value, so the true one lies between these two.
  auto percentile = [&](double q) {
    const double at_low = quantile(lows, q), at_high = quantile(highs, q);
    return at_low == at_high && std::abs(at_low) < kUnbounded ? at_low : std::nan("");
  };
  PercentileBand band;
  band.count = lows.size();
  band.p5 = percentile(0.05);
  band.p50 = percentile(0.50);
  band.p95 = percentile(0.95);
  return band;
}

std::vector<std::pair<std::string, std::vector<double>>> comparison_population_columns(const Comparison& c) {
  std::vector<std::pair<std::string, std::vector<double>>> columns;
  if (!c.population) return columns;
  const char* names[] = {"population_p5",
                         "population_p50",
                         "population_p95",
                         "paired_difference_p5",
                         "paired_difference_p50",
                         "paired_difference_p95",
                         "paired_mean_difference",
                         "paired_mean_difference_lower_95",
                         "paired_mean_difference_upper_95",
                         "n_paired",
                         "fraction",
                         "fraction_lower_95",
                         "fraction_upper_95",
                         "not_reached_fraction",
                         "censored_above_h",
                         "n_requested",
                         "n_included",
                         "n_failed"};
  for (const char* name : names) columns.emplace_back(name, std::vector<double>(c.rows.size(), std::nan("")));
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    const ComparisonRow& row = c.rows[r];
    std::size_t column = 0;
    auto put = [&](double v) { columns[column++].second[r] = v; };
    const PercentileBand none{std::nan(""), std::nan(""), std::nan(""), 0};
    for (const PercentileBand* band : {row.population ? &*row.population : &none,
                                       row.paired_difference ? &*row.paired_difference : &none}) {
      put(band->p5);
      put(band->p50);
      put(band->p95);
    }
    const PairedMeanDifference paired = row.paired_mean.value_or(PairedMeanDifference{});
    put(paired.mean);
    put(paired.lower);
    put(paired.upper);
    put(static_cast<double>(paired.pairs));
    const ProportionInterval fraction = row.fraction.value_or(ProportionInterval{std::nan(""), std::nan(""), std::nan("")});
    put(fraction.estimate);
    put(fraction.lower);
    put(fraction.upper);
    put(row.not_reached_fraction);
    put(row.censored_above_h);
    // Rows are endpoint-major with the arms in order, so the row's arm is its index modulo the arms.
    const std::size_t failed = c.failed_mothers[r % c.scenarios.size()];
    put(static_cast<double>(c.population->size));
    put(static_cast<double>(c.population->size - failed));
    put(static_cast<double>(failed));
  }
  return columns;
}

std::string comparison_csv(const Comparison& c) {
  const auto columns = comparison_population_columns(c);
  std::string out = "endpoint,scenario,value,difference,ratio";
  for (const auto& column : columns) out += "," + column.first;
  out += "\n";
  for (std::size_t index = 0; index < c.rows.size(); ++index) {
    const ComparisonRow& r = c.rows[index];
    out += r.endpoint + "," + csv_escape(r.scenario) + "," + csv_cell(r.value) + "," + csv_cell(r.difference) + "," + csv_cell(r.ratio);
    for (const auto& column : columns) {
      const double v = column.second[index];
      // Counts are written in full (csv_cell keeps 10 significant digits).
      out += "," + (column.first.starts_with("n_") ? std::to_string(static_cast<std::size_t>(v)) : csv_cell(v));
    }
    out += "\n";
  }
  return out;
}

std::string population_counts_text(const Comparison& c) {
  if (!c.population) return "";
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "population: %zu mothers (seed %llu) per scenario, same mothers in every arm\n",
                c.population->size, static_cast<unsigned long long>(c.population->seed));
  out += line;
  for (std::size_t a = 0; a < c.failed_mothers.size(); ++a) {
    const std::size_t failed = c.failed_mothers[a];
    std::snprintf(line, sizeof line, "  %s: %zu requested, %zu included, %zu failed", c.scenarios[a].c_str(),
                  c.population->size, c.population->size - failed, failed);
    out += line;
    out += failed > 0 ? "; first reason: " + c.first_failure[a] + "\n" : std::string("\n");
  }
  return out;
}

std::string comparison_table(const Comparison& c) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-28s %-24s %12s %12s %8s", "endpoint", "scenario", "value", "diff", "ratio");
  out += line;
  if (c.population) {
    std::snprintf(line, sizeof line, "  %-32s %-32s  %s", "population 5/50/95%", "paired diff 5/50/95%",
                  "mean paired diff [95% bootstrap CI]");
    out += line;
  }
  out += "\n";
  auto number = [](double v) { return std::isfinite(v) ? format_number(v) : std::string("-"); };
  std::string censoring_notes;
  for (const auto& r : c.rows) {
    std::snprintf(line, sizeof line, "%-28s %-24s %12s %12s %8s", r.endpoint.c_str(), r.scenario.c_str(),
                  number(r.value).c_str(), number(r.difference).c_str(), number(r.ratio).c_str());
    out += line;
    if (r.population) {
      const bool censored = std::isfinite(r.censored_above_h);
      // On a censored row, a missing percentile is one the mothers without onset decide.
      auto band = [&](const PercentileBand& b, const std::string& when_censored) {
        auto text = [&](double v) {
          // Four significant digits keep the column narrow; cutting the text instead turned
          // -2.265e-13 into -2.26521.
          if (censored && b.count > 0 && !std::isfinite(v)) return when_censored;
          return std::isfinite(v) ? format_number(v, 4) : std::string("-");
        };
        return text(b.p5) + " / " + text(b.p50) + " / " + text(b.p95);
      };
      const std::string later = ">" + number(r.censored_above_h);
      std::snprintf(line, sizeof line, "  %-32s %-32s", band(*r.population, later).c_str(),
                    r.paired_difference ? band(*r.paired_difference, "censored").c_str() : "");
      out += line;
      if (censored) {
        std::snprintf(line, sizeof line, "  %s: %.1f%% of mothers did not reach onset within %s h\n",
                      r.scenario.c_str(), 100.0 * r.not_reached_fraction, number(r.censored_above_h).c_str());
        censoring_notes += line;
      }
    }
    auto interval = [](double mean, double lower, double upper) {
      if (!std::isfinite(mean)) return std::string("censored");
      return format_number(mean, 4) + " [" + format_number(lower, 4) + ", " + format_number(upper, 4) + "]";
    };
    if (r.fraction) {
      const std::string fraction = std::isfinite(r.fraction->estimate)
                                       ? "fraction " + interval(r.fraction->estimate, r.fraction->lower, r.fraction->upper)
                                       : std::string("fraction unknown");
      std::snprintf(line, sizeof line, "  %-32s %-32s", fraction.c_str(), "");
      out += line;
    }
    if (r.paired_mean) {
      out += "  " + interval(r.paired_mean->mean, r.paired_mean->lower, r.paired_mean->upper);
    }
    out += "\n";
  }
  if (!censoring_notes.empty()) {
    out += "onset_h: a mother who did not reach onset counts as later than the horizon (censored), not as missing;\n"
           "a percentile among such mothers shows as >horizon, a paired difference they decide as censored;\n"
           "the mean paired onset difference is censored when any mother lacks onset in either arm.\n" +
           censoring_notes;
  }
  return out;
}

}  // namespace lactsim
