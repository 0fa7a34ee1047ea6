#include "lactsim/analysis/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "lactsim/analysis/parallel_runner.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/engine/text_format.hpp"

namespace lactsim {

int horizon_days(double horizon_h) { return static_cast<int>(std::ceil(horizon_h / 24.0 - 1e-9)); }

Shard parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  auto number = [](std::string_view part) -> std::optional<std::size_t> {
    if (part.empty() || part.size() > 9) return std::nullopt;
    std::size_t value = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return value;
  };
  auto i = slash == std::string_view::npos ? std::nullopt : number(text.substr(0, slash));
  auto n = slash == std::string_view::npos ? std::nullopt : number(text.substr(slash + 1));
  if (!i || !n || *n == 0 || *i < 1 || *i > *n) {
    throw InputError({kArgumentsOrigin, 0, 0}, "shard",
                     "expected I/N with 1 <= I <= N (e.g. 2/8), found '" + std::string(text) + "'");
  }
  return {*i - 1, *n};
}

void check_schedule_variables(const Design& design, const Scenario* scenario) {
  for (std::size_t j = 0; j < design.names().size(); ++j) {
    const ScheduleVariableInfo* variable = design.schedule_variables()[j];
    if (variable == nullptr && design.covariates()[j] == nullptr) continue;
    const std::string field = "ranges " + design.names()[j];
    if (scenario == nullptr || scenario->text.empty()) {
      throw InputError({kArgumentsOrigin, 0, 0}, field,
                       "a schedule or covariate variable needs the scenario it changes (SweepOptions::scenario)");
    }
    if (variable == nullptr) continue;  // a covariate: every scenario has one
    if (schedule_entries_using(*scenario, *variable) == 0) {
      const std::string key(variable->key), section(variable->section);
      const std::string forms = key == "first_h" || key == "every_h" ? "every_h"
                                : key == "every_nth_feed" || key == "max_per_day"
                                    ? "before_each_feed_min or after_each_feed_min"
                                    : key;
      throw InputError({kArgumentsOrigin, 0, 0}, field,
                       "no [[" + section + "]] entry of " + scenario->file.string() + " is scheduled with " + forms +
                           ", so there is no " + key + " to vary");
    }
  }
}

std::string sweep_csv_header(const Design& design, int days) {
  std::string header = "sample,status";
  for (const auto& name : design.names()) header += "," + name;
  for (const auto& name : endpoint_names(days)) header += "," + name;
  return header + ",error\n";
}

CsvSweepSink::CsvSweepSink(std::ostream& out, bool write_header) : out_(out), write_header_(write_header) {}

void CsvSweepSink::begin(const std::vector<std::string>& parameter_names,
                         const std::vector<std::string>& endpoint_names) {
  covariates_.clear();
  for (const auto& name : parameter_names) covariates_.push_back(find_covariate_variable(name));
  if (!write_header_) return;
  std::string header = "sample,status";
  for (const auto& name : parameter_names) header += "," + name;
  for (const auto& name : endpoint_names) header += "," + name;
  out_ << header << ",error\n";
}

void CsvSweepSink::write(std::span<const SweepRow> rows) {
  text_.clear();
  for (const SweepRow& row : rows) {
    text_ += std::to_string(row.sample) + (row.ok ? ",ok" : ",failed");
    for (std::size_t j = 0; j < row.parameters.size(); ++j) {
      const double v = row.parameters[j];
      // A covariate's column holds its level's text, as scenario files write it.
      const CovariateVariableInfo* covariate = j < covariates_.size() ? covariates_[j] : nullptr;
      text_ += "," + (covariate != nullptr ? std::string(covariate->levels[static_cast<std::size_t>(v)])
                                           : format_number(v));
    }
    for (double v : row.endpoints) {
      text_ += ",";
      if (!std::isnan(v)) text_ += format_number(v);
    }
    text_ += "," + csv_escape(row.error) + "\n";
  }
  out_ << text_;
}

void MemorySweepSink::begin(const std::vector<std::string>& parameter_names,
                            const std::vector<std::string>& endpoint_names) {
  this->parameter_names = parameter_names;
  this->endpoint_names = endpoint_names;
}

void MemorySweepSink::write(std::span<const SweepRow> rows) {
  for (const SweepRow& row : rows) {
    samples.push_back(row.sample);
    ok.push_back(row.ok ? 1 : 0);
    parameters.insert(parameters.end(), row.parameters.begin(), row.parameters.end());
    endpoints.insert(endpoints.end(), row.endpoints.begin(), row.endpoints.end());
    errors.emplace_back(row.error);
  }
}

SweepRunner::SweepRunner(const SimulationInput& base, const Design& design, const SweepOptions& options)
    : design_(design), options_(options), days_(horizon_days(base.horizon_h)),
      endpoint_count_(endpoint_names(days_).size()), threads_(std::max(1u, options.threads)) {
  // A block never holds more slots than the design has samples: a huge block size (the CLI allows
  // 2^24) allocated gigabytes for a handful of samples.
  options_.block_size = std::clamp<std::size_t>(options.block_size, 1, std::max<std::size_t>(1, design.size()));
  std::vector<double model::ModelParameters::*> members = design.members();
  if (design.has_schedule_variables()) {
    check_schedule_variables(design, options.scenario);
    members.clear();
    std::vector<ScheduleSetting> settings;
    for (std::size_t j = 0; j < design.names().size(); ++j) {
      if (design.schedule_variables()[j] != nullptr || design.covariates()[j] != nullptr) {
        schedule_columns_.push_back(j);
        settings.push_back({design.schedule_variables()[j], design.covariates()[j], 0.0});
      } else {
        parameter_columns_.push_back(j);
        members.push_back(design.members()[j]);
      }
    }
    parameter_values_.assign(threads_, std::vector<double>(parameter_columns_.size()));
    schedule_settings_.assign(threads_, settings);
  }
  for (unsigned w = 0; w < threads_; ++w) {
    cursors_.emplace_back(design);
    evaluators_.emplace_back(base, members, options.solver);
  }
  values_.assign(options_.block_size, std::vector<double>(design.names().size()));
  outcomes_.resize(options_.block_size);
  endpoint_values_.assign(options_.block_size, std::vector<double>(endpoint_count_));
  rows_.reserve(options_.block_size);
}

SweepSummary SweepRunner::run(std::size_t begin, std::size_t end, SweepSink& sink) {
  SweepSummary summary;
  const std::size_t block = options_.block_size;
  auto compute = [&](std::size_t i, unsigned worker) {
    const std::size_t slot = i % block;
    cursors_[worker].values(i, values_[slot]);
    // Parameters only: the base input's timeline as it is (the fast path).
    outcomes_[slot] = schedule_columns_.empty() ? evaluators_[worker].evaluate(values_[slot])
                                                : evaluate_rescheduled(values_[slot], worker);
  };
  auto consume = [&](std::size_t i) {
    const std::size_t slot = i % block;
    const SampleOutcome& o = outcomes_[slot];
    std::vector<double>& endpoints = endpoint_values_[slot];
    for (std::size_t k = 0; k < endpoint_count_; ++k) {
      endpoints[k] = o.ok ? endpoint_value(o.endpoints, k, days_) : std::nan("");
    }
    rows_.push_back({i, o.ok, values_[slot], endpoints, o.error});
    ++summary.samples;
    if (!o.ok) ++summary.failed;
  };
  // One run_in_order call per block, so the sink gets whole blocks and a cancellation
  // stops between them.
  for (std::size_t block_begin = begin; block_begin < end; block_begin += block) {
    const std::size_t block_end = std::min(end, block_begin + block);
    rows_.clear();
    run_in_order(block_begin, block_end, threads_, block, compute, consume);
    sink.write(rows_);
    if (options_.progress) options_.progress(block_end - begin, end - begin);
    if (block_end < end && is_cancelled(options_.cancel)) {
      summary.interrupted = true;
      break;
    }
  }
  return summary;
}

SampleOutcome SweepRunner::evaluate_rescheduled(std::span<const double> values, unsigned worker) {
  std::vector<double>& parameters = parameter_values_[worker];
  for (std::size_t k = 0; k < parameter_columns_.size(); ++k) parameters[k] = values[parameter_columns_[k]];
  std::vector<ScheduleSetting>& settings = schedule_settings_[worker];
  for (std::size_t k = 0; k < schedule_columns_.size(); ++k) settings[k].value = values[schedule_columns_[k]];
  SimulationInput input;
  try {
    input = to_simulation_input(rescheduled_scenario(*options_.scenario, settings));
  } catch (const InputError& error) {  // e.g. sessions that now overlap: this sample fails, not the sweep
    SampleOutcome outcome;
    outcome.error = std::string("schedule: ") + error.what();
    return outcome;
  }
  return evaluators_[worker].evaluate(parameters, std::move(input));
}

SweepSummary run_sweep(const SimulationInput& base, const Design& design, const SweepOptions& options,
                       SweepSink& sink) {
  sink.begin(design.names(), endpoint_names(horizon_days(base.horizon_h)));
  SweepRunner runner(base, design, options);
  const std::size_t end = options.shard.end(design.size());
  const std::size_t begin = std::min(end, options.shard.begin(design.size()) + options.skip_samples);
  return runner.run(begin, end, sink);
}

}  // namespace lactsim
