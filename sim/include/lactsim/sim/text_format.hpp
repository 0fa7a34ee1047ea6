#pragma once
/// @file text_format.hpp
/// Locale-independent number formatting shared by CSV and JSON writers, so the same
/// inputs give byte-identical files.

#include <string>

namespace lactsim {

/// `value` with up to 10 significant digits, shortest form ("%.10g" semantics, C locale).
/// Non-finite values are written as "nan", "inf" or "-inf".
std::string format_number(double value);

}  // namespace lactsim
