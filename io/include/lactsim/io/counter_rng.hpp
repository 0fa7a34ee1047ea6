#pragma once
/// @file counter_rng.hpp
/// Counter-based random numbers: every draw is a pure function of (seed, sample index,
/// stream), in the manner of Random123 (Salmon et al. 2011, "Parallel random numbers: as
/// easy as 1, 2, 3", SC'11). No generator state is shared or carried between samples, so a
/// sample draws the same numbers whichever thread, shard or MPI rank computes it.

#include <cmath>
#include <cstdint>

#include <boost/math/special_functions/erf.hpp>

namespace lactsim {

/// The SplitMix64 finaliser (Steele, Lea & Flood 2014, OOPSLA): a bijective 64-bit mixer
/// whose output bits each depend on every input bit.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// 64 random bits keyed by (seed, sample, stream). Three rounds of mixing, each folding in
/// one key word multiplied by a distinct odd constant, so neighbouring keys decorrelate.
constexpr std::uint64_t counter_bits(std::uint64_t seed, std::uint64_t sample, std::uint64_t stream) {
  std::uint64_t z = mix64(seed + 0x9E3779B97F4A7C15ULL);
  z = mix64(z ^ (sample * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL));
  z = mix64(z ^ (stream * 0xABC98388FB8FAC03ULL + 0x4F1BBCDCBFA53E0BULL));
  return z;
}

/// A uniform number in the open interval (0, 1), keyed by (seed, sample, stream).
inline double counter_uniform(std::uint64_t seed, std::uint64_t sample, std::uint64_t stream) {
  // 53 random bits, offset by half a unit so neither 0 nor 1 can occur.
  const std::uint64_t bits = counter_bits(seed, sample, stream) >> 11;
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-53;
}

/// A standard normal number keyed by (seed, sample, stream), by inverting the normal CDF
/// (exact to double precision; no rejection, so one key gives one draw).
inline double counter_normal(std::uint64_t seed, std::uint64_t sample, std::uint64_t stream) {
  const double u = counter_uniform(seed, sample, stream);
  return std::sqrt(2.0) * boost::math::erf_inv(2.0 * u - 1.0);
}

/// A Poisson(1) count keyed by (seed, sample, stream): inversion of the CDF, used as the
/// weight of one observation in one replicate of a streaming (Poisson) bootstrap
/// (Hanley & MacGibbon 2006, Comput Methods Programs Biomed 83:57–62).
inline int counter_poisson1(std::uint64_t seed, std::uint64_t sample, std::uint64_t stream) {
  double u = counter_uniform(seed, sample, stream);
  // P(K = k) = e^-1 / k!
  double p = 0.36787944117144233;
  int k = 0;
  while (u > p && k < 20) {
    u -= p;
    ++k;
    p /= k;
  }
  return k;
}

}  // namespace lactsim
