#pragma once
// Internal: typed, located access to toml++ nodes. Every failure is an InputError
// naming file:line:column and the dotted field path.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "lactsim/engine/errors.hpp"

namespace lactsim::detail {

/// A TOML table together with its dotted path and the file it came from.
class TomlTable {
 public:
  TomlTable(const toml::table& table, std::string path, std::string file);

  /// Throws for any key not in `allowed`, suggesting the closest allowed key.
  void reject_unknown_keys(std::initializer_list<std::string_view> allowed) const;

  bool has(std::string_view key) const { return table_.contains(key); }
  std::optional<std::string> optional_string(std::string_view key) const;
  std::string required_string(std::string_view key) const;
  std::optional<double> optional_number(std::string_view key) const;
  double required_number(std::string_view key) const;
  std::optional<long long> optional_integer(std::string_view key) const;
  long long required_integer(std::string_view key) const;
  std::optional<TomlTable> optional_table(std::string_view key) const;
  TomlTable required_table(std::string_view key) const;
  /// An array; nullptr when the key is absent. Throws when present but not an array.
  const toml::array* optional_array(std::string_view key) const;

  /// Location of a key's value, or of the table itself when the key is absent.
  SourceLocation location_of(std::string_view key) const;
  /// Location of the table.
  SourceLocation location() const { return location_of_node(table_); }
  /// Dotted path of a key in this table.
  std::string field(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }
  const std::string& path() const { return path_; }
  const std::string& file() const { return file_; }
  const toml::table& raw() const { return table_; }

  /// Location of any node of this file.
  SourceLocation location_of_node(const toml::node& node) const;
  /// Throws InputError at `key` with `message`.
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

 private:
  const toml::table& table_;
  std::string path_;
  std::string file_;
};

/// Parses a TOML document, turning every failure into an InputError at its line and column.
/// Guards against undefined behaviour in toml++ 3.3.0 (Debian 12): its whitespace lookup
/// (is_non_ascii_horizontal_whitespace) reaches TOML_UNREACHABLE for most code points in
/// U+00A1-U+0499, U+2C5E-U+3057 and U+FB26-U+FEFE (upstream issues #190 and #295, fixed
/// after 3.3), and its value lookahead applies it to characters past a malformed value —
/// even inside what would be a string. Such code points are therefore swapped one-to-one
/// for private-use stand-ins before parsing and swapped back by restore_protected_text()
/// (TomlTable's string getters do this), keeping line and column numbers intact.
toml::table parse_toml_document(std::string_view text, const std::string& file_name);

/// Undoes parse_toml_document's stand-ins in a string read from the parsed document.
std::string restore_protected_text(std::string_view text);

/// Rejects non-ASCII characters where TOML allows none (outside strings and comments, and
/// at the start of a line continued by a line-ending backslash in a multi-line string).
/// toml++ 3.3.0 classifies such characters with a lookup that reaches TOML_UNREACHABLE for
/// most code points (upstream issues #190 and #295, fixed after 3.3); valid TOML never has
/// them there, so rejecting them first loses nothing. Also rejects a value nested deeper than
/// limits::kMaxTomlNesting (header and dotted-key parts, arrays, inline tables), on which
/// toml++'s recursion would overflow the stack. Throws InputError at the character.
void screen_toml_text(std::string_view text, const std::string& file_name);

/// "a string", "an integer", … for messages.
std::string describe_type(const toml::node& node);

/// A number (integer or float) as double; empty when the node is neither. Finite or not.
std::optional<double> as_number(const toml::node& node);

/// The allowed word closest to `word` by edit distance.
std::string closest_word(std::string_view word, std::initializer_list<std::string_view> allowed);

}  // namespace lactsim::detail
