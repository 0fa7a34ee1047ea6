#pragma once
/// @file order_statistics.hpp
/// Exact order statistics (the k-th smallest value) of data read in passes, with memory that
/// does not grow with the number of values: a population of 10⁸ mothers never holds 10⁸
/// doubles, yet its percentiles are exactly those of sorting all values.

#include <cstddef>
#include <functional>
#include <vector>

namespace lactsim {

/// One pass over the data: calls `visit(column, value)` for every value of every row.
/// Must visit the same values on every call. Non-finite values are ignored.
using ValuePass = std::function<void(const std::function<void(std::size_t column, double value)>& visit)>;

/// The order statistic `rank` (0-based, ascending, among the column's finite values).
struct OrderStatisticRequest {
  std::size_t column = 0;
  std::size_t rank = 0;
};

/// The exact value of each requested order statistic (NaN when the column has no more than
/// `rank` finite values). A first pass counts each column and finds its range; each later
/// pass narrows every request to one bin of a `bins`-bin histogram of its current range
/// (bins are kept by their actual smallest and largest value, so bin edges never split equal
/// values), until the values in its bin number at most `max_kept`: the next pass keeps those
/// and selects the rank among them. Memory: O(requests × (bins + max_kept)). Typically 3–4
/// passes; each histogram pass divides the candidates by about `bins` for smooth data.
std::vector<double> exact_order_statistics(const ValuePass& pass, std::size_t columns,
                                           const std::vector<OrderStatisticRequest>& requests,
                                           std::size_t bins = 4096, std::size_t max_kept = std::size_t{1} << 16);

}  // namespace lactsim
