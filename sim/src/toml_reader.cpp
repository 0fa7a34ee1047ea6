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
