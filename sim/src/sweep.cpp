#include "lactsim/sim/sweep.hpp"

#include <cmath>
#include <optional>

#include "lactsim/sim/parallel_runner.hpp"
#include "lactsim/sim/sample_evaluation.hpp"
#include "lactsim/sim/text_format.hpp"

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

SweepSummary run_sweep(const SimulationInput& base, const Design& design, const SweepOptions& options,
                       std::ostream& out) {
  const int days = horizon_days(base.horizon_h);
  const std::size_t endpoint_count = endpoint_names(days).size();
  const std::size_t parameter_count = design.names().size();
  const std::size_t begin = options.shard.begin(design.size()), end = options.shard.end(design.size());
  const unsigned threads = std::max(1u, options.threads);

  std::vector<Design::Cursor> cursors;
  std::vector<SampleEvaluator> evaluators;
  for (unsigned w = 0; w < threads; ++w) {
    cursors.emplace_back(design);
    evaluators.emplace_back(base, design.members(), options.solver);
  }
  // One slot per sample of a block: its parameter values and outcome.
  std::vector<std::vector<double>> values(options.block_size, std::vector<double>(parameter_count));
  std::vector<SampleOutcome> outcomes(options.block_size);

  out << sweep_csv_header(design, days);
  SweepSummary summary;
  ProgressBar progress(end - begin, "sims", options.progress);
  std::string row;
  run_in_order(
      begin, end, threads, options.block_size,
      [&](std::size_t i, unsigned worker) {
        const std::size_t slot = i % options.block_size;
        cursors[worker].values(i, values[slot]);
        outcomes[slot] = evaluators[worker].evaluate(values[slot]);
      },
      [&](std::size_t i) {
        const std::size_t slot = i % options.block_size;
        const SampleOutcome& o = outcomes[slot];
        row = std::to_string(i) + (o.ok ? ",ok" : ",failed");
        for (double v : values[slot]) row += "," + format_number(v);
        for (std::size_t k = 0; k < endpoint_count; ++k) {
          row += ",";
          const double v = o.ok ? endpoint_value(o.endpoints, k, days) : std::nan("");
          if (!std::isnan(v)) row += format_number(v);
        }
        row += "," + csv_escape(o.error) + "\n";
        out << row;
        ++summary.samples;
        if (!o.ok) ++summary.failed;
      },
      &progress);
  return summary;
}

}  // namespace lactsim
