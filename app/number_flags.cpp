#include "number_flags.hpp"

#include <charconv>
#include <string>

#include "lactsim/io/input_limits.hpp"

namespace lactsim::cli {

CLI::Validator count_in_range(std::uint64_t min, std::uint64_t max) {
  const std::string range = "[" + std::to_string(min) + " - " + std::to_string(max) + "]";
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        const std::string refusal = "must be a whole number in " + range + ", found '" + text + "'";
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return refusal;
        const auto first_significant = std::min(text.find_first_not_of('0'), text.size() - 1);
        const std::string digits = text.substr(first_significant);
        std::uint64_t value = 0;
        const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (error != std::errc() || end != digits.data() + digits.size() || value < min || value > max) return refusal;
        text = digits;
        return {};
      },
      range);
}

CLI::Validator plain_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (parse_plain_number(text)) return {};
        return "must be a plain decimal number such as 3, 0.5 or 1e-6, found '" + text + "'";
      },
      "");
}

}  // namespace lactsim::cli
