#pragma once
// Validators for the numbers typed after command-line flags. CLI11 alone reads an unsigned
// count with strtoull, which wraps "-1" to 2^64 - 1 and reads "0x10" as hexadecimal and
// "010" as octal; these validators let only plain decimal text within a documented range
// through (the ranges are in lactsim/io/input_limits.hpp and docs/outputs.md).

#include <CLI/CLI.hpp>
#include <cstdint>

namespace lactsim::cli {

/// For a count flag: decimal digits only (no sign, prefix or space), within [min, max].
/// The range shows in --help as "[min - max]"; a value outside it is a ValidationError
/// naming the flag and the range (exit 2). Leading zeros are dropped before CLI11 converts
/// the text, so "010" means ten. Use with Option::transform.
CLI::Validator count_in_range(std::uint64_t min, std::uint64_t max);

/// For a real-number flag: plain decimal or scientific notation (parse_plain_number), so
/// hexadecimal, padded, inf and nan values are refused naming the flag. Use with Option::check.
CLI::Validator plain_number();

}  // namespace lactsim::cli
