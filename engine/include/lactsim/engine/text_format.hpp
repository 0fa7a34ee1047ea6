#pragma once
/// @file text_format.hpp
/// Locale-independent number formatting shared by CSV and JSON writers, so the same
/// inputs give byte-identical files.

#include <string>

namespace lactsim {

/// `value` with up to 10 significant digits, shortest form ("%.10g" semantics, C locale).
/// Non-finite values are written as "nan", "inf" or "-inf".
std::string format_number(double value);

/// `value` with `significant_digits` (1–17) significant digits, shortest form, C locale — for
/// tables read by people, where a column is narrow but a number must never be cut.
std::string format_number(double value, int significant_digits);

/// A CSV cell for `value`: format_number(value), or empty when it is not finite — an
/// undefined result (e.g. a sensitivity index of an endpoint that does not vary) is an empty
/// cell, never "nan" or "inf" that a reader could take for a number.
std::string csv_cell(double value);

/// The shortest text that reads back (std::from_chars) as the same double, for per-mother
/// rows that are read back (resumed runs, streamed summaries); empty for NaN. format_number
/// keeps 10 digits, which would make values read back differ in their last digits.
std::string round_trip_cell(double value);

}  // namespace lactsim
