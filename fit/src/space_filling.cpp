#include "space_filling.hpp"

#include <random>
#include <utility>

namespace lactsim {
namespace {

/// Uniform in [0,1) from the top 53 bits.
double unit_draw(std::mt19937_64& engine) { return static_cast<double>(engine() >> 11) * 0x1.0p-53; }

/// Uniform integer in [0, n) by rejection, so there is no modulo bias.
std::size_t index_draw(std::mt19937_64& engine, std::size_t n) {
  const std::uint64_t limit = std::mt19937_64::max() - std::mt19937_64::max() % n;
  std::uint64_t x;
  do x = engine(); while (x >= limit);
  return static_cast<std::size_t>(x % n);
}

}  // namespace

std::vector<double> latin_hypercube(std::size_t points, std::size_t dimensions, std::uint64_t seed) {
  std::vector<double> design(points * dimensions);
  std::mt19937_64 engine(seed);
  std::vector<std::size_t> strata(points);
  for (std::size_t j = 0; j < dimensions; ++j) {
    for (std::size_t i = 0; i < points; ++i) strata[i] = i;
    for (std::size_t i = points; i > 1; --i) std::swap(strata[i - 1], strata[index_draw(engine, i)]);  // Fisher-Yates
    for (std::size_t i = 0; i < points; ++i) {
      design[i * dimensions + j] = (static_cast<double>(strata[i]) + unit_draw(engine)) / static_cast<double>(points);
    }
  }
  return design;
}

}  // namespace lactsim
