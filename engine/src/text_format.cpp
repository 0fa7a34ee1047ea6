#include "lactsim/engine/text_format.hpp"

#include <charconv>
#include <cmath>

namespace lactsim {

std::string format_number(double value) { return format_number(value, 10); }

std::string csv_cell(double value) { return std::isfinite(value) ? format_number(value) : std::string(); }

std::string round_trip_cell(double value) {
  if (std::isnan(value)) return {};
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc{} ? std::string(buffer, end) : std::string();
}

std::string format_number(double value, int significant_digits) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0.0) return "0";  // also folds -0 into 0
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, significant_digits);
  return error == std::errc{} ? std::string(buffer, end) : std::string("nan");
}

}  // namespace lactsim
