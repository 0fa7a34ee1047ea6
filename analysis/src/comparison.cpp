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

namespace lactsim {
namespace {

constexpr const char* kLateOnsetName = "onset_after_72h_fraction";

// ---- per-mother checkpoint rows (lactsim compare --resume)

/// Reads the first `count` checkpoint rows of `file` into `runs` (row = arm × mothers + mother).
void read_checkpoint_rows(const std::filesystem::path& file, std::size_t count, std::vector<PopulationRun>& runs) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot read " + file.string());
  const std::string text = read_bounded(in, file, limits::kMaxCsvFileBytes, "--resume");
  const std::size_t mothers = runs.front().mothers, m = runs.front().endpoint_names.size();
  std::size_t start = 0, row = 0;
  int line = 1;
  bool quoted = false, header = true;
  for (std::size_t i = 0; i < text.size() && row < count; ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (text[i] != '\n' || quoted) continue;
    const std::string_view record(text.data() + start, i - start);
    const int record_line = line;
    line += static_cast<int>(std::count(record.begin(), record.end(), '\n')) + 1;
    start = i + 1;
    if (header) {
      header = false;
      continue;
    }
    const auto fields = split_csv_record(record);
    const std::size_t arm = row / mothers, mother = row % mothers;
    auto bad = [&](const std::string& what) {
      return InputError({file.string(), record_line, 1}, "row", what + "; delete the file or run without --resume");
    };
    if (fields.size() != m + 5 || arm >= runs.size()) throw bad("not a row of this comparison");
    if (fields[2] != std::to_string(mother)) throw bad("expected mother " + std::to_string(mother));
    PopulationRun& run = runs[arm];
    for (std::size_t k = 0; k < m; ++k) {
      const std::string& f = fields[4 + k];
      double v = std::nan("");
      if (!f.empty()) {
        const auto [end, error] = std::from_chars(f.data(), f.data() + f.size(), v);
        if (error != std::errc{} || end != f.data() + f.size()) throw bad("'" + f + "' is not a number");
      }
      run.values[mother * m + k] = v;
    }
    run.errors[mother] = fields[m + 4];
    ++row;
  }
  if (row < count) throw Error(file.string() + " holds fewer rows than expected");
}

/// One arm of a population comparison, mothers [done, size) computed and streamed as rows
/// to the checkpoint (the same MotherEvaluator as run_population); sets `stopped` when
/// the token is cancelled before the last mother. Progress counts mothers over all arms.
void run_arm_with_checkpoint(const SimulationInput& base, const PopulationSpec& spec, const CompareOptions& options,
                             std::size_t arms, std::size_t arm, const std::string& scenario, std::size_t done,
                             const PopulationCheckpoint& checkpoint, PopulationRun& run, bool& stopped) {
  const std::size_t m = run.endpoint_names.size();
  const unsigned threads = std::max(1u, options.threads);
  MotherEvaluator mothers(base, spec, options.solver, threads);
  const std::size_t block = std::max<std::size_t>(1, options.block_size);
  std::string row;
  auto compute = [&](std::size_t i, unsigned worker) { mothers.evaluate(i, worker, run); };
  auto consume = [&](std::size_t i) {
    row = std::to_string(arm * spec.size + i) + "," + csv_escape(scenario) + "," + std::to_string(i) +
          (run.errors[i].empty() ? ",ok" : ",failed");
    for (std::size_t k = 0; k < m; ++k) row += "," + round_trip_cell(run.values[i * m + k]);
    row += "," + csv_escape(run.errors[i]) + "\n";
    *checkpoint.rows << row;
  };
  for (std::size_t begin = done; begin < spec.size; begin += block) {
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

/// Fills, on every row of a population comparison, the mean paired difference to the first
/// arm with its Poisson-bootstrap interval, and on the onset_after_72h_fraction rows (the
/// last endpoint) the fraction with its Wilson interval instead of percentile bands. Mother i
/// enters an arm's paired statistics when she is included in that arm and the first; her
/// bootstrap weights are keyed by her index, so the result does not depend on threads or on
/// resuming. A statistic that a mother's unknown value would decide is NaN (censored): the
/// mean onset difference as soon as one such mother lacks onset in either arm, a fraction
/// when `late` cannot tell (horizon shorter than 72 h).
template <class Late>
void add_paired_statistics(Comparison& c, const std::vector<PopulationRun>& populations, const Late& late) {
  const std::size_t arms = c.scenarios.size();
  const PopulationRun& reference = populations.front();
  const std::size_t m = reference.endpoint_names.size();  // the late fraction is statistic m
  std::vector<double> differences(m + 1);
  for (std::size_t a = 0; a < arms; ++a) {
    const PopulationRun& arm = populations[a];
    PoissonBootstrapMeans bootstrap(m + 1);
    bool onset_censored = false, late_unknown = false, arm_late_unknown = false;
    std::size_t late_count = 0, included = 0;
    for (std::size_t i = 0; i < arm.mothers; ++i) {
      if (arm.errors[i].empty()) {
        ++included;
        const double is_late = late(arm.at(i, 0), false);
        if (std::isnan(is_late)) arm_late_unknown = true;
        if (is_late == 1.0) ++late_count;
      }
      if (!arm.errors[i].empty() || !reference.errors[i].empty()) continue;
      for (std::size_t k = 0; k < m; ++k) differences[k] = arm.at(i, k) - reference.at(i, k);
      if (std::isnan(arm.at(i, 0)) || std::isnan(reference.at(i, 0))) onset_censored = true;
      differences[m] = late(arm.at(i, 0), false) - late(reference.at(i, 0), false);
      if (std::isnan(differences[m])) late_unknown = true;
      bootstrap.add(i, differences);
    }
    for (std::size_t index = a; index < c.rows.size(); index += arms) {
      ComparisonRow& row = c.rows[index];
      const std::size_t k = index / arms;  // rows are endpoint-major with the arms in order
      PairedMeanDifference paired;
      paired.pairs = bootstrap.count(k);
      const bool censored = (k == 0 && onset_censored) || (k == m && late_unknown);
      if (!censored) {
        paired.mean = bootstrap.mean(k);
        std::tie(paired.lower, paired.upper) = bootstrap.percentile_interval(k);
      }
      row.paired_mean = paired;
      if (k == m) {
        row.population.reset();
        row.paired_difference.reset();
        row.fraction = arm_late_unknown ? ProportionInterval{std::nan(""), std::nan(""), std::nan("")}
                                        : wilson_interval(late_count, included);
      }
    }
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
  std::vector<Endpoints> deterministic;
  std::vector<PopulationRun> populations;
  if (use_population) refuse_population_tables_that_would_be_ignored(scenarios);
  if (use_population && scenarios.front().population) c.population = scenarios.front().population;
  const bool checkpointed = c.population && checkpoint != nullptr && checkpoint->rows != nullptr;
  if (checkpointed) {
    populations.assign(scenarios.size(), empty_population_run(c.population->size, days));
    if (checkpoint->completed_rows > 0) read_checkpoint_rows(checkpoint->resumed_file, checkpoint->completed_rows, populations);
  }
  for (const auto& s : scenarios) {
    c.scenarios.push_back(s.file.stem().string());
    const SimulationInput input = to_simulation_input(s);
    FastWorkspace workspace;
    deterministic.push_back(simulate_endpoints(input, solver, workspace));
    if (c.population) {
      if (checkpointed) {
        const std::size_t arm = c.scenarios.size() - 1, size = c.population->size;
        const std::size_t done = std::min(size, checkpoint->completed_rows - std::min(checkpoint->completed_rows, arm * size));
        bool stopped = false;
        run_arm_with_checkpoint(input, *c.population, options, scenarios.size(), arm, c.scenarios.back(), done,
                                *checkpoint, populations[arm], stopped);
        if (stopped) {
          c.interrupted = true;
          return c;
        }
        populations[arm].failed = static_cast<std::size_t>(std::count_if(
            populations[arm].errors.begin(), populations[arm].errors.end(), [](const std::string& e) { return !e.empty(); }));
      } else {
        const std::size_t arm = c.scenarios.size() - 1, size = c.population->size;
        ProgressCallback arm_progress;
        if (options.progress) {
          arm_progress = [&](std::size_t done, std::size_t) { options.progress(arm * size + done, scenarios.size() * size); };
        }
        try {
          populations.push_back(run_population(input, *c.population, solver, options.threads, arm_progress, options.cancel));
        } catch (const Cancelled&) {
          c.interrupted = true;
          return c;
        }
      }
      // With a checkpoint every arm's run exists from the start, so back() is not this arm's.
      const PopulationRun& arm_run = populations[c.scenarios.size() - 1];
      c.failed_mothers.push_back(arm_run.failed);
      std::string first;
      for (const auto& e : arm_run.errors) {
        if (!e.empty()) {
          first = e;
          break;
        }
      }
      c.first_failure.push_back(first);
    }
  }
  // Per-mother values are NaN for failed mothers and +inf for an onset not reached within the
  // horizon: such an onset is only known to be later than the horizon (right-censored), so it
  // enters the percentiles as the interval [horizon, +inf) instead of being left out.
  const double horizon_h = scenarios.front().horizon_h();
  auto lower_bounds = [&](std::vector<double> values) {
    for (double& v : values) {
      if (v == HUGE_VAL) v = horizon_h;
    }
    return values;
  };
  auto add_rows = [&](const std::string& name, auto value_of, auto population_values) {
    const double reference = value_of(std::size_t{0});
    std::vector<double> reference_high, reference_low;
    if (c.population) {
      reference_high = population_values(std::size_t{0});
      reference_low = lower_bounds(reference_high);
    }
    for (std::size_t a = 0; a < scenarios.size(); ++a) {
      ComparisonRow row;
      row.endpoint = name;
      row.scenario = c.scenarios[a];
      row.value = value_of(a);
      row.difference = row.value - reference;
      row.ratio = reference != 0.0 ? row.value / reference : std::nan("");
      if (c.population) {
        const std::vector<double> high = population_values(a), low = lower_bounds(high);
        row.population = censored_percentile_band(low, high);
        // Each mother's difference lies between this arm's low minus the reference's high and
        // this arm's high minus the reference's low; against itself it is 0, censored or not.
        std::vector<double> paired_low(high.size()), paired_high(high.size());
        std::size_t censored = 0;
        for (std::size_t i = 0; i < high.size(); ++i) {
          paired_low[i] = a == 0 ? (std::isnan(high[i]) ? high[i] : 0.0) : low[i] - reference_high[i];
          paired_high[i] = a == 0 ? paired_low[i] : high[i] - reference_low[i];
          if (high[i] == HUGE_VAL) ++censored;
        }
        row.paired_difference = censored_percentile_band(paired_low, paired_high);
        if (name == names.front() && row.population->count > 0) {
          row.not_reached_fraction = static_cast<double>(censored) / static_cast<double>(row.population->count);
          if (censored > 0) row.censored_above_h = horizon_h;
        }
      }
      c.rows.push_back(row);
    }
  };
  for (std::size_t k = 0; k < names.size(); ++k) {
    add_rows(
        names[k], [&](std::size_t a) { return endpoint_value(deterministic[a], k, days); },
        [&](std::size_t a) {
          std::vector<double> v(populations[a].mothers);
          for (std::size_t i = 0; i < v.size(); ++i) {
            v[i] = populations[a].at(i, k);
            // Endpoint 0 is the onset time, NaN when a mother that did not fail never reached it.
            if (k == 0 && std::isnan(v[i]) && populations[a].errors[i].empty()) v[i] = HUGE_VAL;
          }
          return v;
        });
  }
  if (c.population) {
    // Onset not reached within the horizon is later than 72 h only when the horizon reaches 72 h;
    // with a shorter one it is unknown, and so is the fraction (NaN), rather than counted late.
    auto late = [&](double onset_h, bool failed) {
      if (failed) return std::nan("");
      if (!std::isfinite(onset_h)) return horizon_h >= kDelayedOnset_h ? 1.0 : std::nan("");
      return onset_h > kDelayedOnset_h ? 1.0 : 0.0;
    };
    // The deterministic mother's 0/1 is no fraction, and the percentiles of a 0/1 indicator
    // say nothing: these rows carry the fraction (Wilson interval) and the paired difference
    // of fractions (bootstrap interval) only.
    add_rows(
        kLateOnsetName, [&](std::size_t) { return std::nan(""); },
        [&](std::size_t a) { return std::vector<double>(populations[a].mothers, std::nan("")); });
    add_paired_statistics(c, populations, late);
  }
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
                         "fraction",
                         "fraction_lower_95",
                         "fraction_upper_95",
                         "not_reached_fraction",
                         "censored_above_h",
                         "n_requested",
                         "n_included",
                         "n_failed",
                         "n_paired"};
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
    put(static_cast<double>(paired.pairs));
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
