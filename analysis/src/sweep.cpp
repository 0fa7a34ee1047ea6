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
    throw InputError({"<command line>", 0, 0}, "--shard",
                     "expected I/N with 1 <= I <= N (e.g. --shard 2/8), found '" + std::string(text) + "'");
  }
  return {*i - 1, *n};
}

std::string sweep_csv_header(const Design& design, int days) {
  std::string header = "sample,status";
  for (const auto& name : design.names()) header += "," + name;
  for (const auto& name : endpoint_names(days)) header += "," + name;
  return header + ",error\n";
}

SweepRunner::SweepRunner(const SimulationInput& base, const Design& design, const SweepOptions& options)
    : design_(design), options_(options), days_(horizon_days(base.horizon_h)),
      endpoint_count_(endpoint_names(days_).size()), threads_(std::max(1u, options.threads)) {
  for (unsigned w = 0; w < threads_; ++w) {
    cursors_.emplace_back(design);
    evaluators_.emplace_back(base, design.members(), options.solver);
  }
  values_.assign(options.block_size, std::vector<double>(design.names().size()));
  outcomes_.resize(options.block_size);
}

SweepSummary SweepRunner::run(std::size_t begin, std::size_t end, std::ostream& out, ProgressBar* progress,
                              const std::function<bool()>& after_block) {
  SweepSummary summary;
  std::string row;
  const std::size_t block = std::max<std::size_t>(1, options_.block_size);
  auto compute = [&](std::size_t i, unsigned worker) {
    const std::size_t slot = i % block;
    cursors_[worker].values(i, values_[slot]);
    outcomes_[slot] = evaluators_[worker].evaluate(values_[slot]);
  };
  auto consume = [&](std::size_t i) {
    const std::size_t slot = i % block;
    const SampleOutcome& o = outcomes_[slot];
    row = std::to_string(i) + (o.ok ? ",ok" : ",failed");
    for (double v : values_[slot]) row += "," + format_number(v);
    for (std::size_t k = 0; k < endpoint_count_; ++k) {
      row += ",";
      const double v = o.ok ? endpoint_value(o.endpoints, k, days_) : std::nan("");
      if (!std::isnan(v)) row += format_number(v);
    }
    row += "," + csv_escape(o.error) + "\n";
    out << row;
    ++summary.samples;
    if (!o.ok) ++summary.failed;
  };
  // One run_in_order call per block, so the caller can flush (checkpoint) or stop between blocks.
  for (std::size_t block_begin = begin; block_begin < end; block_begin += block) {
    const std::size_t block_end = std::min(end, block_begin + block);
    run_in_order(block_begin, block_end, threads_, block, compute, consume, nullptr);
    if (progress != nullptr) progress->update(block_end - begin);
    if (after_block && !after_block() && block_end < end) {
      summary.interrupted = true;
      break;
    }
  }
  if (progress != nullptr) progress->finish();
  return summary;
}

SweepSummary run_sweep(const SimulationInput& base, const Design& design, const SweepOptions& options,
                       std::ostream& out) {
  if (options.write_header) out << sweep_csv_header(design, horizon_days(base.horizon_h));
  SweepRunner runner(base, design, options);
  const std::size_t end = options.shard.end(design.size());
  const std::size_t begin = std::min(end, options.shard.begin(design.size()) + options.skip_samples);
  ProgressBar progress(end - begin, "sims", options.progress);
  return runner.run(begin, end, out, &progress, options.after_block);
}

}  // namespace lactsim
