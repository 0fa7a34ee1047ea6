#include "lactsim/analysis/population_study.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "lactsim/analysis/interval_estimates.hpp"
#include "lactsim/analysis/order_statistics.hpp"
#include "lactsim/analysis/parallel_runner.hpp"
#include "lactsim/analysis/population.hpp"
#include "lactsim/analysis/sweep.hpp"
#include "lactsim/engine/errors.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "lactsim/io/streaming_output.hpp"

namespace lactsim {
namespace {

constexpr double kPercentiles[] = {0.05, 0.50, 0.95};
constexpr const char* kPercentileNames[] = {"p5", "p50", "p95"};

/// The unit of an endpoint (its label's), as written in summaries.
std::string endpoint_unit(const std::string& name) {
  const std::optional<EndpointLabel> label = endpoint_label(name);
  return label ? label->unit : std::string();
}

/// The columns of mothers.csv after the parameters and endpoints.
struct MotherColumns {
  std::size_t parameters = 0, endpoints = 0;
  std::size_t endpoint(std::size_t k) const { return 1 + parameters + k; }
  std::size_t onset_reached() const { return 1 + parameters + endpoints; }
  std::size_t status() const { return onset_reached() + 1; }
  std::size_t error() const { return status() + 1; }
  std::size_t count() const { return error() + 1; }
};

/// Calls `row(fields, line)` for every row of a mothers.csv after its header, one line at a
/// time (errors are written on one line, so a record is a line).
template <class Row>
void for_each_mother_row(const std::filesystem::path& file, std::size_t fields_per_row, Row&& row) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot read " + file.string());
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    if (++number == 1) continue;
    const std::vector<std::string> fields = split_csv_record(line);
    if (fields.size() != fields_per_row) {
      throw InputError({file.string(), number, 1}, "row",
                       "expected " + std::to_string(fields_per_row) + " fields, found " + std::to_string(fields.size()));
    }
    row(fields, number);
  }
}

/// A cell of a per-mother row as a double (empty: NaN).
double parse_cell(const std::string& text, const std::filesystem::path& file, int line) {
  if (text.empty()) return std::nan("");
  double v = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw InputError({file.string(), line, 1}, "row", "'" + text + "' is not a number");
  }
  return v;
}

/// Counts of one pass over the rows, per endpoint.
struct RowCounts {
  std::size_t requested = 0, included = 0, failed = 0;
  std::string first_failure;
  std::vector<std::size_t> finite;      ///< per endpoint: mothers with a value
  std::size_t onset_not_reached = 0;    ///< included mothers without onset (right-censored)
  std::size_t onset_after_72h = 0;      ///< included mothers with onset later than 72 h
  std::vector<std::size_t> excess_weight_loss;  ///< per endpoint: infants at or below −kExcessWeightLoss_percent
};

/// Whether the population summary reports the fraction of excessive weight loss for this endpoint.
bool reports_excess_weight_loss(const std::string& endpoint) {
  return std::any_of(std::begin(kExcessWeightLossEndpoints), std::end(kExcessWeightLossEndpoints),
                     [&](const char* name) { return endpoint == name; });
}

/// Whether the endpoint is an optional event whose summary adds the fraction without it.
bool is_optional_event(const std::string& endpoint) {
  return std::any_of(std::begin(kOptionalEventEndpoints), std::end(kOptionalEventEndpoints),
                     [&](const char* name) { return endpoint == name; });
}

/// Type-7 percentile q of n values of which the `exact` smallest are known (order statistic
/// r given by `order`) and the rest right-censored at `censor_at`: exactly
/// censored_percentile_band's rule (reported only when it is the same with the censored
/// values at censor_at and at +inf). Returns {value, censored_above}.
template <class Order>
std::pair<double, double> censored_percentile(double q, std::size_t n, std::size_t exact, double censor_at,
                                              Order&& order) {
  constexpr double kUnbounded = std::numeric_limits<double>::max();
  if (n == 0) return {std::nan(""), std::nan("")};
  const double position = q * static_cast<double>(n - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const std::size_t upper = std::min(lower + 1, n - 1);
  auto at = [&](std::size_t r, double censored) { return r < exact ? order(r) : censored; };
  auto interpolate = [&](double a, double b) { return a + (position - static_cast<double>(lower)) * (b - a); };
  const double at_low = interpolate(at(lower, censor_at), at(upper, censor_at));
  const double at_high = interpolate(at(lower, kUnbounded), at(upper, kUnbounded));
  if (at_low == at_high && std::abs(at_low) < kUnbounded) return {at_low, std::nan("")};
  return {std::nan(""), at_low};
}

}  // namespace

std::string mothers_csv_header(const PopulationSpec& spec, int days) {
  std::string header = "mother_id";
  for (const auto& v : spec.variability) header += "," + v.name;
  for (const auto& name : endpoint_names(days)) header += "," + name;
  return header + ",onset_reached,status,error\n";
}

PopulationSummary summarize_mothers_csv(const std::filesystem::path& file, const PopulationSpec& spec, int days,
                                        double horizon_h) {
  const std::vector<std::string> names = endpoint_names(days);
  const MotherColumns columns{spec.variability.size(), names.size()};
  RowCounts counts;
  counts.finite.assign(names.size(), 0);
  counts.excess_weight_loss.assign(names.size(), 0);
  for_each_mother_row(file, columns.count(), [&](const std::vector<std::string>& f, int line) {
    ++counts.requested;
    if (f[columns.status()] != "ok") {
      ++counts.failed;
      if (counts.first_failure.empty()) counts.first_failure = f[columns.error()];
      return;
    }
    ++counts.included;
    for (std::size_t k = 0; k < names.size(); ++k) {
      const double value = parse_cell(f[columns.endpoint(k)], file, line);
      if (std::isfinite(value)) ++counts.finite[k];
      if (value <= -kExcessWeightLoss_percent) ++counts.excess_weight_loss[k];
    }
    const double onset = parse_cell(f[columns.endpoint(0)], file, line);
    if (std::isnan(onset)) ++counts.onset_not_reached;
    if (std::isnan(onset) || onset > kDelayedOnset_h) ++counts.onset_after_72h;
  });
  if (counts.requested != spec.size) {
    throw InputError({file.string(), 0, 0}, "rows",
                     "holds " + std::to_string(counts.requested) + " mothers, expected " + std::to_string(spec.size));
  }
  // Endpoint 0 (onset) counts its censored mothers; the others only mothers with a value.
  auto n_of = [&](std::size_t k) { return k == 0 ? counts.finite[0] + counts.onset_not_reached : counts.finite[k]; };
  std::vector<OrderStatisticRequest> requests;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::size_t n = n_of(k);
    if (n == 0) continue;
    for (double q : kPercentiles) {
      const double position = q * static_cast<double>(n - 1);
      const auto lower = static_cast<std::size_t>(std::floor(position));
      for (std::size_t r : {lower, std::min(lower + 1, n - 1)}) {
        if (r < counts.finite[k]) requests.push_back({k, r});
      }
    }
  }
  const ValuePass pass = [&](const std::function<void(std::size_t, double)>& visit) {
    for_each_mother_row(file, columns.count(), [&](const std::vector<std::string>& f, int line) {
      if (f[columns.status()] != "ok") return;
      for (std::size_t k = 0; k < names.size(); ++k) visit(k, parse_cell(f[columns.endpoint(k)], file, line));
    });
  };
  const std::vector<double> order = exact_order_statistics(pass, names.size(), requests);
  auto order_statistic = [&](std::size_t k, std::size_t r) {
    for (std::size_t i = 0; i < requests.size(); ++i) {
      if (requests[i].column == k && requests[i].rank == r) return order[i];
    }
    return std::nan("");
  };

  PopulationSummary summary;
  summary.requested = counts.requested;
  summary.included = counts.included;
  summary.failed = counts.failed;
  summary.first_failure = counts.first_failure;
  summary.horizon_h = horizon_h;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::size_t censored = k == 0 ? counts.onset_not_reached : 0;
    for (std::size_t p = 0; p < std::size(kPercentiles); ++p) {
      PopulationSummaryRow row;
      row.endpoint = names[k];
      row.statistic = kPercentileNames[p];
      row.unit = endpoint_unit(names[k]);
      row.n_censored = censored;
      std::tie(row.value, row.censored_above) =
          censored_percentile(kPercentiles[p], n_of(k), counts.finite[k], horizon_h,
                              [&](std::size_t r) { return order_statistic(k, r); });
      summary.rows.push_back(row);
    }
    auto fraction_row = [&](const char* statistic, std::size_t successes, bool known, std::size_t of) {
      PopulationSummaryRow row;
      row.endpoint = names[k];
      row.statistic = statistic;
      row.unit = "fraction";
      row.n_censored = censored;
      if (known && of > 0) {  // a fraction of no mother is unknown, not 0/0 with an interval
        const ProportionInterval interval = wilson_interval(successes, of);
        row.value = interval.estimate;
        row.lower_95 = interval.lower;
        row.upper_95 = interval.upper;
        row.interval = "wilson";
      }
      summary.rows.push_back(row);
    };
    // With a horizon shorter than 72 h a mother without onset may still reach it before
    // 72 h: the fraction is then unknown, not counted late.
    if (k == 0) {
      fraction_row("fraction_after_72h", counts.onset_after_72h, horizon_h >= kDelayedOnset_h || censored == 0,
                   counts.included);
      fraction_row("fraction_not_reached", counts.onset_not_reached, true, counts.included);
    } else if (reports_excess_weight_loss(names[k])) {
      // Of the infants with a value: none when the horizon ends before the time point.
      fraction_row("fraction_loss_10pct_or_more", counts.excess_weight_loss[k], true, counts.finite[k]);
    } else if (is_optional_event(names[k])) {
      // The percentiles above are over the mothers with the event; this is the share without it.
      fraction_row("fraction_not_reached", counts.included - counts.finite[k], true, counts.included);
    }
  }
  return summary;
}

std::string population_summary_csv(const PopulationSummary& s) {
  std::string out =
      "endpoint,statistic,value,censored_above,lower_95,upper_95,interval,unit,n_requested,n_included,n_failed,"
      "n_censored\n";
  for (const auto& r : s.rows) {
    out += r.endpoint + "," + r.statistic + "," + csv_cell(r.value) + "," + csv_cell(r.censored_above) + "," +
           csv_cell(r.lower_95) + "," + csv_cell(r.upper_95) + "," + r.interval + "," + r.unit + "," +
           std::to_string(s.requested) + "," + std::to_string(s.included) + "," + std::to_string(s.failed) + "," +
           std::to_string(r.n_censored) + "\n";
  }
  return out;
}

std::string population_counts_line(const PopulationSummary& s) {
  std::string out = std::to_string(s.requested) + " requested, " + std::to_string(s.included) + " included, " +
                    std::to_string(s.failed) + " failed";
  if (s.failed > 0) out += "; first reason: " + s.first_failure;
  return out;
}

std::string population_summary_table(const PopulationSummary& s) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-34s %-27s %14s  %-24s %s\n", "endpoint", "statistic", "value", "95% interval",
                "unit");
  out += line;
  auto number = [](double v) { return std::isfinite(v) ? format_number(v, 4) : std::string("-"); };
  for (const auto& r : s.rows) {
    const std::string value = std::isfinite(r.value)            ? number(r.value)
                              : std::isfinite(r.censored_above) ? ">" + number(r.censored_above) + " (censored)"
                                                                : std::string("-");
    const std::string interval = r.interval.empty() ? "" : number(r.lower_95) + " - " + number(r.upper_95) + " (" + r.interval + ")";
    std::snprintf(line, sizeof line, "%-34s %-27s %14s  %-24s %s\n", r.endpoint.c_str(), r.statistic.c_str(),
                  value.c_str(), interval.c_str(), r.unit.c_str());
    out += line;
  }
  if (!s.rows.empty() && s.rows.front().n_censored > 0) {
    out += "onset_h: " + std::to_string(s.rows.front().n_censored) + " mothers did not reach onset within " +
           format_number(s.horizon_h) + " h; they count as later than the horizon (right-censored), not as missing.\n";
  }
  return out;
}

RunFingerprint population_fingerprint(const std::filesystem::path& scenario_file,
                                      const std::filesystem::path& population_file,
                                      const std::vector<std::string>& set_assignments,
                                      const std::filesystem::path& params_file, const SolverOptions& solver) {
  // Everything that changes a per-mother row; thread count and block size do not.
  RunFingerprint f;
  const BuildInfo build = build_info();
  f.add("lactsim_version", build.version + " (" + build.git_commit + ")");
  f.add("command", "population");
  f.add("scenario", scenario_file.stem().string());
  f.add("scenario_sha256", file_sha256(scenario_file));
  f.add("population_sha256", population_file.empty() ? std::string("scenario") : file_sha256(population_file));
  std::string set;
  for (const auto& a : set_assignments) set += (set.empty() ? "" : " ") + a;
  f.add("set", set);
  f.add("params_sha256", params_file.empty() ? std::string("none") : file_sha256(params_file));
  add_solver_fingerprint(f, solver);
  return f;
}

RunManifest population_manifest(const std::filesystem::path& scenario_file,
                                const std::filesystem::path& population_file,
                                const std::vector<std::string>& set_assignments,
                                const std::filesystem::path& params_file, const SolverOptions& solver,
                                const Scenario& scenario, std::vector<std::string> command_line) {
  RunManifest manifest = begin_manifest("population", std::move(command_line));
  manifest.add_scenario_inputs({scenario_file}, params_file, set_assignments);
  if (!population_file.empty()) manifest.add_input("population", population_file);
  if (scenario.population) manifest.seeds.emplace_back("population", scenario.population->seed);
  manifest.solver = solver;
  return manifest;
}

PopulationStudyResult run_population_study(const Scenario& scenario, const PopulationStudyOptions& options,
                                           const ResumableTarget& target) {
  if (!scenario.population) {
    throw InputError({kArgumentsOrigin, 0, 0}, "scenario.population",
                     "'" + scenario.file.string() + "' has no [population] table and none was given");
  }
  RunManifest manifest;
  if (target.manifest != nullptr) {
    manifest = *target.manifest;
  } else {  // a library call (e.g. Python's population_study): what this call knows
    manifest = begin_manifest("population");
    std::error_code ec;
    if (std::filesystem::is_regular_file(scenario.file, ec) && file_sha256(scenario.file) == scenario.sha256) {
      manifest.add_input("scenario", scenario.file);
    }
    manifest.seeds.emplace_back("population", scenario.population->seed);
    manifest.solver = options.solver;
  }
  const PopulationSpec& spec = *scenario.population;
  const SimulationInput input = to_simulation_input(scenario);
  const int days = horizon_days(input.horizon_h);
  const std::filesystem::path mothers_path = target.path / "mothers.csv";
  std::ostringstream no_log;
  // Checked before the first mother, so a table that does not fit fails at once, located.
  const unsigned threads = std::max(1u, options.threads);
  MotherEvaluator mothers(input, spec, options.solver, threads);
  ResumableOutputFile file(mothers_path, target.fingerprint, mothers_csv_header(spec, days), 0, spec.size,
                           target.resume, target.log != nullptr ? *target.log : no_log);
  PopulationStudyResult result;
  result.partial_path = file.partial_path();
  result.resumed_mothers = file.completed_rows();

  const std::size_t block = std::max<std::size_t>(1, options.block_size);
  PopulationRun rows = empty_population_run(std::min(block, spec.size), days);
  const std::size_t m = rows.endpoint_names.size();
  std::size_t block_begin = 0;
  std::string text;
  auto compute = [&](std::size_t i, unsigned worker) { mothers.evaluate(i, worker, rows, i - block_begin); };
  auto consume = [&](std::size_t i) {
    const std::size_t r = i - block_begin;
    const bool ok = rows.errors[r].empty();
    text = std::to_string(i);
    const model::ModelParameters drawn = mothers.sampler().mother(i);
    for (const auto& v : spec.variability) text += "," + round_trip_cell(drawn.*(v.member));
    for (std::size_t k = 0; k < m; ++k) text += "," + round_trip_cell(rows.values[r * m + k]);
    text += ok ? (std::isnan(rows.values[r * m]) ? ",false,ok," : ",true,ok,") : ",,failed,";
    // One line per mother, so the file can be read back line by line.
    std::string error = rows.errors[r];
    std::replace(error.begin(), error.end(), '\n', ' ');
    text += csv_escape(error) + "\n";
    file.stream() << text;
  };
  for (block_begin = result.resumed_mothers; block_begin < spec.size; block_begin += block) {
    const std::size_t end = std::min(spec.size, block_begin + block);
    run_in_order(block_begin, end, threads, block, compute, consume);
    file.checkpoint();
    if (options.progress) options.progress(end, spec.size);
    if (end < spec.size && is_cancelled(options.cancel)) {
      result.interrupted = true;
      return result;
    }
  }
  file.checkpoint();
  result.summary = summarize_mothers_csv(file.partial_path(), spec, days, input.horizon_h);
  // A summary of no mother is not a result: nothing is committed, and the rows (each with its
  // reason) stay in the partial file for diagnosis.
  if (result.summary.included == 0 && result.summary.requested > 0) {
    throw SimulationError("all " + std::to_string(result.summary.requested) + " mothers failed (their reasons are in " +
                          file.partial_path().string() + "); the first: " + result.summary.first_failure);
  }
  // summary.csv and manifest.json first (together), then mothers.csv: each renamed into place whole. Should the process die
  // between the two renames, mothers.csv.partial is still complete and --resume finishes.
  OutputStaging staging;
  staging.add(target.path / "summary.csv", population_summary_csv(result.summary));
  manifest.counts = ManifestCounts{"mothers", result.summary.requested, result.summary.included, result.summary.failed};
  manifest.fingerprint = target.fingerprint;
  stage_manifest(staging, target.path / kManifestFileName, manifest);
  staging.commit();
  file.commit();
  return result;
}

}  // namespace lactsim
