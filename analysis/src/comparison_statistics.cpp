#include "comparison_statistics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <memory>

#include "lactsim/analysis/interval_estimates.hpp"
#include "lactsim/analysis/order_statistics.hpp"
#include "lactsim/io/streaming_output.hpp"

namespace lactsim::detail {
namespace {

constexpr double kPercentiles[] = {0.05, 0.50, 0.95};
// An unbounded side of a censored value stands at the largest finite double, as in
// censored_percentile_band: a percentile that gives it weight then differs between the sides.
constexpr double kUnbounded = std::numeric_limits<double>::max();
// Order-statistic passes over arms × endpoints × 4 columns: smaller bins than a population
// study's keep memory near 30 MB for two arms (analysis/order_statistics.hpp).
constexpr std::size_t kBins = 1024, kMaxKept = 8192;

/// The type-7 ranks (lower, upper) and weight of quantile q of n values.
struct Type7 {
  std::size_t lower = 0, upper = 0;
  double position = 0;
};
Type7 type7(double q, std::size_t n) {
  Type7 t;
  t.position = q * static_cast<double>(n - 1);
  t.lower = static_cast<std::size_t>(std::floor(t.position));
  t.upper = std::min(t.lower + 1, n - 1);
  return t;
}

}  // namespace

MotherPass memory_mother_pass(const std::vector<PopulationRun>& runs) {
  return [&runs](const std::function<void(const MotherRecord&)>& visit) {
    const std::size_t arms = runs.size(), m = runs.front().endpoint_names.size();
    MotherRecord record;
    record.values.resize(arms * m);
    record.ok.resize(arms);
    record.errors.resize(arms);
    for (std::size_t i = 0; i < runs.front().mothers; ++i) {
      record.mother = i;
      for (std::size_t a = 0; a < arms; ++a) {
        record.ok[a] = runs[a].errors[i].empty();
        record.errors[a] = runs[a].errors[i];
        for (std::size_t k = 0; k < m; ++k) record.values[a * m + k] = runs[a].at(i, k);
      }
      visit(record);
    }
  };
}

MotherPass checkpoint_mother_pass(const std::filesystem::path& file, std::size_t arms, std::size_t mothers,
                                  std::size_t endpoints) {
  // Where each arm's rows start (byte offset and line), found once.
  auto starts = std::make_shared<std::vector<std::pair<std::streamoff, int>>>();
  {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error("cannot read " + file.string());
    std::string line;
    std::getline(in, line);  // header
    std::size_t row = 0;
    int number = 2;
    for (std::streamoff offset = in.tellg(); row < arms * mothers; ++row, ++number) {
      if (row % mothers == 0) starts->emplace_back(offset, number);
      if (!std::getline(in, line)) throw Error(file.string() + " holds fewer rows than expected");
      offset = in.tellg();
    }
  }
  return [file, arms, mothers, endpoints, starts](const std::function<void(const MotherRecord&)>& visit) {
    std::vector<std::ifstream> readers(arms);
    for (std::size_t a = 0; a < arms; ++a) {
      readers[a].open(file, std::ios::binary);
      readers[a].seekg((*starts)[a].first);
      if (!readers[a]) throw Error("cannot read " + file.string());
    }
    MotherRecord record;
    record.values.resize(arms * endpoints);
    record.ok.resize(arms);
    record.errors.resize(arms);
    std::string line;
    for (std::size_t i = 0; i < mothers; ++i) {
      record.mother = i;
      for (std::size_t a = 0; a < arms; ++a) {
        const int number = (*starts)[a].second + static_cast<int>(i);
        auto bad = [&](const std::string& what) {
          return InputError({file.string(), number, 1}, "row", what + "; delete the file or run without --resume");
        };
        if (!std::getline(readers[a], line)) throw bad("missing");
        const std::vector<std::string> fields = split_csv_record(line);
        if (fields.size() != endpoints + 5) throw bad("not a row of this comparison");
        if (fields[2] != std::to_string(i)) throw bad("expected mother " + std::to_string(i));
        record.ok[a] = fields[3] == "ok";
        record.errors[a] = fields[endpoints + 4];
        for (std::size_t k = 0; k < endpoints; ++k) {
          const std::string& f = fields[4 + k];
          double v = std::nan("");
          if (!f.empty()) {
            const auto [end, error] = std::from_chars(f.data(), f.data() + f.size(), v);
            if (error != std::errc{} || end != f.data() + f.size()) throw bad("'" + f + "' is not a number");
          }
          record.values[a * endpoints + k] = v;
        }
      }
      visit(record);
    }
  };
}

std::vector<ArmStatistics> arm_statistics(const MotherPass& pass, std::size_t arms, std::size_t m, double horizon_h) {
  // Bounds of mother's value of endpoint k in arm a: exact, or [H, ∞) for an onset not reached.
  auto bounds = [&](const MotherRecord& r, std::size_t a, std::size_t k, double& low, double& high) {
    if (!r.ok[a]) return false;
    const double v = r.values[a * m + k];
    if (k == 0 && std::isnan(v)) {
      low = horizon_h;
      high = kUnbounded;
      return true;
    }
    if (std::isnan(v)) return false;
    low = high = v;
    return true;
  };
  // Four order-statistic columns per arm and endpoint: the value's lower and upper bound, and
  // the paired difference's (this arm's low − the reference's high, and high − low; 0 against
  // itself). Only onset has bounds that differ, so elsewhere the upper columns are not used.
  enum Kind : std::size_t { value_low, value_high, paired_low, paired_high };
  auto column = [&](std::size_t a, std::size_t k, std::size_t kind) { return (a * m + k) * 4 + kind; };
  auto visit_columns = [&](const MotherRecord& r, const auto& visit) {
    for (std::size_t a = 0; a < arms; ++a) {
      for (std::size_t k = 0; k < m; ++k) {
        double low = 0, high = 0, reference_low = 0, reference_high = 0;
        if (!bounds(r, a, k, low, high)) continue;
        visit(column(a, k, value_low), low);
        if (k == 0) visit(column(a, k, value_high), high);
        if (!bounds(r, 0, k, reference_low, reference_high)) continue;
        const double from = a == 0 ? 0.0 : std::clamp(low - reference_high, -kUnbounded, kUnbounded);
        const double to = a == 0 ? 0.0 : std::clamp(high - reference_low, -kUnbounded, kUnbounded);
        visit(column(a, k, paired_low), from);
        if (k == 0) visit(column(a, k, paired_high), to);
      }
    }
  };
  // Onset not reached within the horizon is later than 72 h only when the horizon reaches 72 h;
  // with a shorter one it is unknown (NaN), rather than counted late.
  auto late = [&](double onset_h) {
    if (std::isnan(onset_h)) return horizon_h >= kDelayedOnset_h ? 1.0 : std::nan("");
    return onset_h > kDelayedOnset_h ? 1.0 : 0.0;
  };

  // Pass 1: counts, fractions and the bootstrap (its state is O(replicates) per arm).
  std::vector<ArmStatistics> stats(arms);
  std::vector<std::size_t> count(arms * m * 4, 0), included(arms, 0), late_count(arms, 0);
  std::vector<char> onset_censored(arms, 0), late_unknown(arms, 0), arm_late_unknown(arms, 0);
  // One bootstrap over every arm's statistics: a mother's weights are drawn once and shared
  // by all arms (they are keyed by her index alone, so the intervals are those of separate
  // bootstraps, at a fraction of the draws).
  PoissonBootstrapMeans bootstrap(arms * (m + 1));
  std::vector<double> differences(arms * (m + 1));
  pass([&](const MotherRecord& r) {
    visit_columns(r, [&](std::size_t c, double) { ++count[c]; });
    std::fill(differences.begin(), differences.end(), std::nan(""));
    for (std::size_t a = 0; a < arms; ++a) {
      if (!r.ok[a]) {
        if (stats[a].failed++ == 0) stats[a].first_failure = r.errors[a];
        continue;
      }
      ++included[a];
      const double onset = r.values[a * m];
      if (std::isnan(onset)) ++stats[a].not_reached;
      if (std::isnan(late(onset))) arm_late_unknown[a] = 1;
      if (late(onset) == 1.0) ++late_count[a];
      if (!r.ok[0]) continue;
      double* d = &differences[a * (m + 1)];
      for (std::size_t k = 0; k < m; ++k) d[k] = r.values[a * m + k] - r.values[k];
      if (std::isnan(onset) || std::isnan(r.values[0])) onset_censored[a] = 1;
      d[m] = late(onset) - late(r.values[0]);
      if (std::isnan(d[m])) late_unknown[a] = 1;
    }
    bootstrap.add(r.mother, differences);
  });

  // Passes 2+: the order statistics the percentiles need, exactly.
  std::vector<OrderStatisticRequest> requests;
  for (std::size_t c = 0; c < count.size(); ++c) {
    if (count[c] == 0) continue;
    for (double q : kPercentiles) {
      const Type7 t = type7(q, count[c]);
      requests.push_back({c, t.lower});
      if (t.upper != t.lower) requests.push_back({c, t.upper});
    }
  }
  const ValuePass values = [&](const std::function<void(std::size_t, double)>& visit) {
    pass([&](const MotherRecord& r) { visit_columns(r, visit); });
  };
  const std::vector<double> order = exact_order_statistics(values, count.size(), requests, kBins, kMaxKept);
  auto order_statistic = [&](std::size_t c, std::size_t rank) {
    const auto at = std::find_if(requests.begin(), requests.end(),
                                 [&](const OrderStatisticRequest& q) { return q.column == c && q.rank == rank; });
    return order[static_cast<std::size_t>(at - requests.begin())];
  };
  // quantile()'s formula on the order statistics; then censored_percentile_band's rule.
  auto quantile_of = [&](std::size_t c, double q) {
    const Type7 t = type7(q, count[c]);
    const double lower = order_statistic(c, t.lower), upper = order_statistic(c, t.upper);
    return lower + (t.position - static_cast<double>(t.lower)) * (upper - lower);
  };
  auto band = [&](std::size_t low_column, std::size_t high_column) {
    PercentileBand b;
    b.count = count[low_column];
    double* fields[] = {&b.p5, &b.p50, &b.p95};
    for (std::size_t p = 0; p < 3; ++p) {
      if (b.count == 0) {
        *fields[p] = std::nan("");
        continue;
      }
      const double at_low = quantile_of(low_column, kPercentiles[p]), at_high = quantile_of(high_column, kPercentiles[p]);
      *fields[p] = at_low == at_high && std::abs(at_low) < kUnbounded ? at_low : std::nan("");
    }
    return b;
  };

  for (std::size_t a = 0; a < arms; ++a) {
    ArmStatistics& s = stats[a];
    for (std::size_t k = 0; k < m; ++k) {
      s.bands.push_back(band(column(a, k, value_low), column(a, k, k == 0 ? value_high : value_low)));
      s.paired_bands.push_back(band(column(a, k, paired_low), column(a, k, k == 0 ? paired_high : paired_low)));
    }
    for (std::size_t k = 0; k <= m; ++k) {
      PairedMeanDifference paired;
      const std::size_t statistic = a * (m + 1) + k;
      paired.pairs = bootstrap.count(statistic);
      const bool censored = (k == 0 && onset_censored[a]) || (k == m && late_unknown[a]);
      if (!censored) {
        paired.mean = bootstrap.mean(statistic);
        std::tie(paired.lower, paired.upper) = bootstrap.percentile_interval(statistic);
      }
      s.paired_means.push_back(paired);
    }
    s.late_fraction = arm_late_unknown[a] ? ProportionInterval{std::nan(""), std::nan(""), std::nan("")}
                                          : wilson_interval(late_count[a], included[a]);
    s.not_reached_fraction =
        included[a] > 0 ? static_cast<double>(s.not_reached) / static_cast<double>(included[a]) : std::nan("");
  }
  return stats;
}

}  // namespace lactsim::detail
