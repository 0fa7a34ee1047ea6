#pragma once
/// @file utf8.hpp
/// Decoding one UTF-8 sequence, shared by the TOML reader (screening text) and the JSON
/// writer (which must only ever write valid UTF-8), and the text rules of names.

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

/// Whether `code` is a control character that no name or table cell may hold: C0 (tab
/// excepted), DEL and the Unicode line and paragraph separators (they break a line or a
/// terminal message). Shared by the case table (its cells) and the scenario's subject key.
inline bool is_forbidden_control(char32_t code) {
  return (code < 0x20 && code != '\t') || code == 0x7F || code == 0x2028 || code == 0x2029;
}

/// Whether `text` starts or ends with a space or a tab.
inline bool has_surrounding_space(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  return !text.empty() && (space(text.front()) || space(text.back()));
}

}  // namespace lactsim::detail
