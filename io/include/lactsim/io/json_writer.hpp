#pragma once
/// @file json_writer.hpp
/// A small streaming JSON writer (RFC 8259) with deterministic number formatting.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lactsim {

/// Builds a JSON document into a string; indentation is two spaces.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// Starts a member of the current object.
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(double number);  ///< non-finite numbers are written as null
  JsonWriter& value(int number);
  JsonWriter& value(long long number);
  JsonWriter& value(std::size_t number);
  JsonWriter& value(bool flag);
  JsonWriter& value(std::optional<double> number);  ///< null when empty
  JsonWriter& null();
  /// The document; all containers must be closed.
  std::string str() const;

 private:
  void before_value();
  JsonWriter& close(char bracket);
  void newline();
  std::string out_;
  std::vector<bool> first_in_container_;
  bool after_key_ = false;
};

/// `text` as a quoted JSON string with escapes, always valid UTF-8: valid UTF-8 sequences are
/// copied, each byte that is not part of one (a file name in another encoding) becomes \ufffd.
std::string json_quote(std::string_view text);

}  // namespace lactsim
