#include "lactsim/io/input_limits.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

#include "lactsim/engine/errors.hpp"

namespace lactsim {
namespace {

/// "16777216 bytes (16 MiB)" for messages.
std::string describe_bytes(std::size_t bytes) {
  return std::to_string(bytes) + " bytes (" + std::to_string(bytes / limits::kMiB) + " MiB)";
}

}  // namespace

void refuse_non_regular_input_file(const std::filesystem::path& file) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);  // follows links: what would be read
  if (ec || status.type() == std::filesystem::file_type::regular) return;  // missing: the open says so
  const auto type = status.type();
  const char* what = type == std::filesystem::file_type::directory ? "a folder"
                     : type == std::filesystem::file_type::fifo    ? "a named pipe"
                     : type == std::filesystem::file_type::character || type == std::filesystem::file_type::block
                         ? "a terminal or other device"
                         : "a socket or other special file";
  throw InputError({file.string(), 0, 0}, "", std::string("is ") + what + ", not a regular file");
}

std::string read_bounded(std::istream& in, const std::filesystem::path& file, std::size_t max_bytes,
                         const std::string& field) {
  std::string text;
  std::array<char, 1 << 16> buffer;
  int line = 1;
  std::size_t line_bytes = 0;  // of the current line, without its newline
  while (in) {
    // Never ask for more than one byte past the limit: a FIFO or /dev/zero has no end.
    const std::size_t wanted = std::min(buffer.size(), max_bytes + 1 - text.size());
    in.read(buffer.data(), static_cast<std::streamsize>(wanted));
    const auto got = static_cast<std::size_t>(in.gcount());
    for (std::size_t k = 0; k < got; ++k) {
      if (text.size() + k == max_bytes) {
        throw InputError({file.string(), line, 0}, field,
                         "the file is larger than the limit of " + describe_bytes(max_bytes) +
                             " for this kind of input (docs/scenario-format.md, \"Limits\")");
      }
      if (buffer[k] == '\n') {
        ++line;
        line_bytes = 0;
      } else if (++line_bytes > limits::kMaxLineBytes) {
        throw InputError({file.string(), line, 0}, field,
                         "line longer than the limit of " + describe_bytes(limits::kMaxLineBytes) +
                             " (docs/scenario-format.md, \"Limits\")");
      }
    }
    text.append(buffer.data(), got);
  }
  if (in.bad()) throw InputError({file.string(), 0, 0}, field, "cannot read the file");
  return text;
}

std::optional<double> parse_plain_number(std::string_view text) {
  // std::from_chars reads exactly decimal and scientific notation (its general format has no
  // hexadecimal and skips no space), plus inf and nan, refused below; a '+' it leaves to us.
  const bool plus_sign = !text.empty() && text.front() == '+';
  if (plus_sign) text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  const char first = text.front();
  if (!(std::isdigit(static_cast<unsigned char>(first)) || first == '.' || (first == '-' && !plus_sign))) {
    return std::nullopt;
  }
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::vector<std::string> parse_format_list(std::string_view text, const std::vector<std::string>& choices,
                                           std::string_view origin, std::string_view field) {
  std::string expected;
  for (const std::string& choice : choices) expected += (expected.empty() ? "" : ", ") + choice;
  auto bad = [&](const std::string& why) {
    throw InputError({std::string(origin), 0, 0}, std::string(field),
                     why + " (expected a comma-separated list of " + expected + ")");
  };
  if (text.empty()) bad("no format given");
  std::vector<std::string> items;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item(text.substr(start, comma - start));
    if (std::find(choices.begin(), choices.end(), item) == choices.end()) bad("unknown format '" + item + "'");
    if (std::find(items.begin(), items.end(), item) != items.end()) bad("format '" + item + "' given twice");
    items.push_back(item);
    start = comma + 1;
  }
  return items;
}

}  // namespace lactsim
