#pragma once
/// @file utf8.hpp
/// Decoding one UTF-8 sequence, shared by the TOML reader (screening text) and the JSON
/// writer (which must only ever write valid UTF-8).

#include <cstddef>
#include <string_view>
#include <utility>

namespace lactsim::detail {

/// Decodes one UTF-8 sequence at text[i]: the code point and its length in bytes; length 0
/// when the bytes there are not valid UTF-8 (bad lead or continuation byte, truncated,
/// overlong, a surrogate or beyond U+10FFFF).
inline std::pair<char32_t, std::size_t> decode_utf8(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) return {0, 0};
  char32_t c = length == 1 ? lead : length == 2 ? (lead & 0x1F) : length == 3 ? (lead & 0x0F) : (lead & 0x07);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {0, 0};
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  const char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < smallest[length] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return {0, 0};  // overlong, surrogate
  return {c, length};
}

}  // namespace lactsim::detail
