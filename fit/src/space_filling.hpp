#pragma once
/// @file space_filling.hpp
/// Latin-hypercube designs on [0,1]^d from a seed, identical on every platform: the
/// generator is std::mt19937_64 (whose output sequence the C++ standard fixes) and the
/// draws avoid the implementation-defined standard distributions.

#include <cstdint>
#include <vector>

namespace lactsim {

/// `points` points in [0,1]^`dimensions`; each coordinate's points fall one in each of
/// `points` equal strata (McKay, Beckman & Conover 1979, Technometrics 21:239-245).
/// Row-major: result[i * dimensions + j] is coordinate j of point i.
std::vector<double> latin_hypercube(std::size_t points, std::size_t dimensions, std::uint64_t seed);

}  // namespace lactsim
