#include "toml_reader.hpp"

#include "lactsim/model/edit_distance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace lactsim::detail {
std::string closest_word(std::string_view word, std::initializer_list<std::string_view> allowed) {
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (auto candidate : allowed) {
    const std::size_t d = model::suggestion_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return std::string(best);
}

std::string describe_type(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "nothing";
  }
}

std::optional<double> as_number(const toml::node& node) {
  if (auto i = node.as_integer()) return static_cast<double>(i->get());
  if (auto f = node.as_floating_point()) return f->get();
  return std::nullopt;
}

void screen_toml_text(std::string_view text, const std::string& file_name) {
  enum class Context { code, comment, basic, literal, multiline_basic, multiline_literal };
  Context context = Context::code;
  int line = 1, column = 1;
  std::size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a UTF-8 byte-order mark is allowed
  auto at = [&](std::size_t k, std::string_view token) { return text.substr(k, token.size()) == token; };
  auto reject = [&](const char* where) {
    throw InputError({file_name, line, column}, "",
                     std::string("malformed TOML: non-ASCII character ") + where);
  };
  auto advance = [&](std::size_t n) {
    for (std::size_t end = std::min(text.size(), i + n); i < end; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++column;  // count code points, not UTF-8 continuation bytes
      }
    }
  };
  while (i < text.size()) {
    const char c = text[i];
    switch (context) {
      case Context::code:
        if (static_cast<unsigned char>(c) >= 0x80) reject("outside a string or comment");
        if (c == '#') context = Context::comment;
        if (at(i, "\"\"\"")) {
          context = Context::multiline_basic;
          advance(3);
          continue;
        }
        if (at(i, "'''")) {
          context = Context::multiline_literal;
          advance(3);
          continue;
        }
        if (c == '"') context = Context::basic;
        if (c == '\'') context = Context::literal;
        break;
      case Context::comment:
        if (c == '\n') context = Context::code;
        break;
      case Context::basic:
        if (c == '\\') {
          advance(2);
          continue;
        }
        if (c == '"' || c == '\n') context = Context::code;
        break;
      case Context::literal:
        if (c == '\'' || c == '\n') context = Context::code;
        break;
      case Context::multiline_basic:
        if (at(i, "\"\"\"")) {
          context = Context::code;
          advance(3);
          continue;
        }
        if (c == '\\') {
          std::size_t k = i + 1;
          while (k < text.size() && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r')) ++k;
          if (k < text.size() && text[k] == '\n') {  // line-ending backslash: trims what follows
            while (k < text.size() && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' || text[k] == '\n')) ++k;
            advance(k - i);
            if (i < text.size() && static_cast<unsigned char>(text[i]) >= 0x80) {
              reject("after a line-ending backslash in a multi-line string");
            }
            continue;
          }
          advance(2);
          continue;
        }
        break;
      case Context::multiline_literal:
        if (at(i, "'''")) {
          context = Context::code;
          advance(3);
          continue;
        }
        break;
    }
    advance(1);
  }
}

toml::table parse_toml_document(std::string_view text, const std::string& file_name) {
  screen_toml_text(text, file_name);
  try {
    return toml::parse(text, file_name);
  } catch (const toml::parse_error& error) {
    const auto& begin = error.source().begin;
    throw InputError({file_name, static_cast<int>(begin.line), static_cast<int>(begin.column)}, "",
                     "malformed TOML: " + std::string(error.description()));
  }
}

TomlTable::TomlTable(const toml::table& table, std::string path, std::string file)
    : table_(table), path_(std::move(path)), file_(std::move(file)) {}

SourceLocation TomlTable::location_of_node(const toml::node& node) const {
  const auto& begin = node.source().begin;
  return {file_, static_cast<int>(begin.line), static_cast<int>(begin.column)};
}

SourceLocation TomlTable::location_of(std::string_view key) const {
  if (const toml::node* node = table_.get(key)) return location_of_node(*node);
  return location();
}

void TomlTable::fail(std::string_view key, const std::string& message) const {
  throw InputError(location_of(key), key.empty() ? path_ : field(key), message);
}

void TomlTable::reject_unknown_keys(std::initializer_list<std::string_view> allowed) const {
  for (auto&& [key, node] : table_) {
    const std::string_view name = key.str();
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    const auto& begin = key.source().begin;
    SourceLocation where{file_, static_cast<int>(begin.line), static_cast<int>(begin.column)};
    if (where.line == 0) where = location_of_node(node);
    throw InputError(where, field(name),
                     "unknown key '" + std::string(name) + "'; did you mean '" + closest_word(name, allowed) + "'?");
  }
}

std::optional<std::string> TomlTable::optional_string(std::string_view key) const {
  const toml::node* node = table_.get(key);
  if (node == nullptr) return std::nullopt;
  if (auto s = node->as_string()) return s->get();
  fail(key, "expected a string, found " + describe_type(*node));
}

std::string TomlTable::required_string(std::string_view key) const {
  if (auto s = optional_string(key)) return *s;
  fail(key, "required key '" + std::string(key) + "' (a string) is missing");
}

std::optional<double> TomlTable::optional_number(std::string_view key) const {
  const toml::node* node = table_.get(key);
  if (node == nullptr) return std::nullopt;
  auto value = as_number(*node);
  if (!value) fail(key, "expected a number, found " + describe_type(*node));
  if (!std::isfinite(*value)) fail(key, "must be a finite number");
  return value;
}

double TomlTable::required_number(std::string_view key) const {
  if (auto v = optional_number(key)) return *v;
  fail(key, "required key '" + std::string(key) + "' (a number) is missing");
}

std::optional<long long> TomlTable::optional_integer(std::string_view key) const {
  const toml::node* node = table_.get(key);
  if (node == nullptr) return std::nullopt;
  if (auto i = node->as_integer()) return i->get();
  fail(key, "expected an integer, found " + describe_type(*node));
}

long long TomlTable::required_integer(std::string_view key) const {
  if (auto v = optional_integer(key)) return *v;
  fail(key, "required key '" + std::string(key) + "' (an integer) is missing");
}

std::optional<TomlTable> TomlTable::optional_table(std::string_view key) const {
  const toml::node* node = table_.get(key);
  if (node == nullptr) return std::nullopt;
  if (auto t = node->as_table()) return TomlTable(*t, field(key), file_);
  fail(key, "expected a table, found " + describe_type(*node));
}

TomlTable TomlTable::required_table(std::string_view key) const {
  if (auto t = optional_table(key)) return *t;
  fail(key, "required table [" + field(key) + "] is missing");
}

const toml::array* TomlTable::optional_array(std::string_view key) const {
  const toml::node* node = table_.get(key);
  if (node == nullptr) return nullptr;
  if (auto a = node->as_array()) return a;
  fail(key, "expected an array, found " + describe_type(*node));
}

}  // namespace lactsim::detail
