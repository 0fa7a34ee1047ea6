#include "lactsim/analysis/order_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lactsim {
namespace {

/// What is known of one requested order statistic between passes.
struct Target {
  std::size_t column = 0, rank = 0;
  double lo = 0, hi = 0;      ///< every candidate value v has lo <= v <= hi
  std::size_t below = 0;      ///< values < lo (their ranks come before every candidate)
  std::size_t candidates = 0; ///< values in [lo, hi]
  bool done = false;
  bool keep = false;          ///< keep the candidates in the next pass (few enough, or bins cannot split them)
  double value = std::numeric_limits<double>::quiet_NaN();
  // Per pass:
  std::vector<std::size_t> bin_counts;
  std::vector<double> bin_min, bin_max;
  std::vector<double> kept;
};

/// Bin of v in [lo, hi] out of `bins`: monotone in v, so bins split the sorted values into
/// consecutive runs. Halves are subtracted so that hi − lo cannot overflow.
std::size_t bin_of(double v, double lo, double hi, std::size_t bins) {
  const double width = hi / 2 - lo / 2;
  const double position = (v / 2 - lo / 2) / width * static_cast<double>(bins);
  if (!(position > 0)) return 0;
  return std::min(bins - 1, static_cast<std::size_t>(position));
}

}  // namespace

std::vector<double> exact_order_statistics(const ValuePass& pass, std::size_t columns,
                                           const std::vector<OrderStatisticRequest>& requests, std::size_t bins,
                                           std::size_t max_kept) {
  bins = std::max<std::size_t>(2, bins);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::vector<std::size_t> count(columns, 0);
  std::vector<double> low(columns, kInf), high(columns, -kInf);
  pass([&](std::size_t c, double v) {
    if (c >= columns || !std::isfinite(v)) return;
    ++count[c];
    low[c] = std::min(low[c], v);
    high[c] = std::max(high[c], v);
  });
  std::vector<Target> targets(requests.size());
  std::vector<std::vector<std::size_t>> by_column(columns);
  std::size_t open = 0;
  for (std::size_t t = 0; t < requests.size(); ++t) {
    Target& target = targets[t];
    target.column = requests[t].column;
    target.rank = requests[t].rank;
    if (target.column >= columns || target.rank >= count[target.column]) {
      target.done = true;
      continue;
    }
    target.lo = low[target.column];
    target.hi = high[target.column];
    target.candidates = count[target.column];
    by_column[target.column].push_back(t);
    ++open;
  }
  auto settle_if_single_value = [&](Target& target) {
    if (target.lo == target.hi && !target.done) {
      target.value = target.lo;
      target.done = true;
      --open;
    }
  };
  for (Target& target : targets) settle_if_single_value(target);
  while (open > 0) {
    for (Target& target : targets) {
      if (target.done) continue;
      target.keep = target.keep || target.candidates <= max_kept;
      if (target.keep) {
        target.kept.clear();
        target.kept.reserve(target.candidates);
      } else {
        target.bin_counts.assign(bins, 0);
        target.bin_min.assign(bins, kInf);
        target.bin_max.assign(bins, -kInf);
      }
    }
    pass([&](std::size_t c, double v) {
      if (c >= columns || !std::isfinite(v)) return;
      for (std::size_t t : by_column[c]) {
        Target& target = targets[t];
        if (target.done || v < target.lo || v > target.hi) continue;
        if (target.keep) {
          target.kept.push_back(v);
        } else {
          const std::size_t b = bin_of(v, target.lo, target.hi, bins);
          ++target.bin_counts[b];
          target.bin_min[b] = std::min(target.bin_min[b], v);
          target.bin_max[b] = std::max(target.bin_max[b], v);
        }
      }
    });
    for (Target& target : targets) {
      if (target.done) continue;
      const std::size_t wanted = target.rank - target.below;
      if (target.keep) {
        std::nth_element(target.kept.begin(), target.kept.begin() + static_cast<std::ptrdiff_t>(wanted), target.kept.end());
        target.value = target.kept[wanted];
        target.done = true;
        --open;
        std::vector<double>().swap(target.kept);
        continue;
      }
      std::size_t b = 0, before = 0;
      while (before + target.bin_counts[b] <= wanted) before += target.bin_counts[b++];
      target.below += before;
      target.lo = target.bin_min[b];
      target.hi = target.bin_max[b];
      // Values so close that halving them rounds them together all fall in one bin: keep them.
      target.keep = target.bin_counts[b] == target.candidates;
      target.candidates = target.bin_counts[b];
      settle_if_single_value(target);
    }
  }
  std::vector<double> values;
  values.reserve(targets.size());
  for (const Target& target : targets) values.push_back(target.value);
  return values;
}

}  // namespace lactsim
