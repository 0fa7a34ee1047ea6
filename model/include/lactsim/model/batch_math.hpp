#pragma once
/// @file batch_math.hpp
/// e^x and ln x of whole arrays, for the fast solvers' per-point loops. On x86-64 glibc they
/// use glibc's vector maths library (libmvec, two lanes per call, ≤ 4 ulp: glibc manual,
/// "Errors in Math Functions"), which costs ~2 ns per value against ~6 ns for std::exp
/// (bench/ and docs/performance.md); elsewhere they loop over std::exp / std::log. Every
/// element takes the same path, so results do not depend on an array's length or position.

#include <cstddef>

namespace lactsim::model {

/// out[i] = e^{in[i]} for i < count. `in` and `out` may be the same array.
void exp_batch(const double* in, double* out, std::size_t count);

/// out[i] = ln(in[i]) for i < count. `in` and `out` may be the same array.
void log_batch(const double* in, double* out, std::size_t count);

/// True when the batch functions use libmvec (the benchmarks report it with their numbers).
bool batch_math_is_vectorised();

}  // namespace lactsim::model
