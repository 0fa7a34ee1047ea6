#pragma once
/// @file sha256.hpp
/// SHA-256 (FIPS 180-4) of a byte string, for scenario provenance in summary.json.

#include <string>
#include <string_view>

namespace lactsim {

/// Lower-case hexadecimal SHA-256 digest of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace lactsim
