#pragma once
/// @file json_reader.hpp
/// The one JSON reader of lactsim, for the JSON it writes itself (summary.json, resume
/// fingerprints): a document tree of null, boolean, number, string, array and object nodes.
/// \u escapes above ASCII become '?' (lactsim writes non-ASCII text as raw UTF-8).

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lactsim {

/// One JSON value.
struct JsonNode {
  enum class Kind { null, boolean, number, string, array, object } kind = Kind::null;
  double number = 0.0;  ///< numbers; 1 or 0 for booleans
  std::string text;     ///< strings
  std::vector<std::pair<std::string, std::unique_ptr<JsonNode>>> members;  ///< objects and arrays (empty keys)

  /// The member named `key` of an object; nullptr when absent.
  const JsonNode* member(std::string_view key) const {
    for (const auto& [name, node] : members) {
      if (name == key) return node.get();
    }
    return nullptr;
  }
};

/// Parses one JSON document (nothing but white space after it).
/// @throws InputError at file:line:column of the first malformed text
std::unique_ptr<JsonNode> parse_json(std::string_view text, const std::filesystem::path& file);

}  // namespace lactsim
