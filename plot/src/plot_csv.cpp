#include "plot_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "lactsim/engine/errors.hpp"
#include "lactsim/io/input_limits.hpp"

namespace lactsim {
namespace {

/// Splits one line into fields and their 1-based start columns. Returns false on an
/// unterminated quote.
bool split_line(std::string_view line, std::vector<std::string>& fields, std::vector<int>& columns) {
  fields.clear();
  columns.clear();
  std::size_t i = 0;
  while (true) {
    columns.push_back(static_cast<int>(i) + 1);
    std::string field;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) return false;
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      while (i < line.size() && line[i] != ',') ++i;  // tolerate spaces after a closing quote
    } else {
      while (i < line.size() && line[i] != ',') field += line[i++];
      // Trim surrounding blanks so "1, 2" reads as numbers.
      const auto first = field.find_first_not_of(" \t");
      const auto last = field.find_last_not_of(" \t");
      field = first == std::string::npos ? std::string() : field.substr(first, last - first + 1);
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

}  // namespace

CsvTable::CsvTable(std::string_view text, std::filesystem::path file) : file_(std::move(file)) {
  std::vector<std::string> fields;
  std::vector<int> columns;
  int line_number = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(position, end - position);
    position = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos || line.front() == '#') continue;
    if (!split_line(line, fields, columns)) {
      throw InputError({file_.string(), line_number, 0}, "", "unterminated quoted field");
    }
    if (header_.empty()) {
      header_ = fields;
      header_line_ = line_number;
      continue;
    }
    if (fields.size() != header_.size()) {
      throw InputError({file_.string(), line_number, 1}, "",
                       "row has " + std::to_string(fields.size()) + " fields but the header has " +
                           std::to_string(header_.size()));
    }
    cells_.push_back(fields);
    cell_columns_.push_back(columns);
    lines_.push_back(line_number);
  }
  if (header_.empty()) throw InputError({file_.string(), 1, 1}, "", "empty file: expected a header row");
}

std::optional<std::size_t> CsvTable::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  return std::nullopt;
}

std::size_t CsvTable::require_column(std::string_view name) const {
  if (auto index = find_column(name)) return *index;
  std::string present;
  for (const auto& column : header_) present += (present.empty() ? "" : ", ") + column;
  throw InputError({file_.string(), header_line_, 1}, std::string(name),
                   "required column missing (columns present: " + present + ")");
}

double CsvTable::number(std::size_t row, std::size_t column) const {
  if (auto value = optional_number(row, column)) return *value;
  throw InputError({file_.string(), lines_[row], cell_columns_[row][column]}, header_[column],
                   "empty cell: expected a number");
}

std::optional<double> CsvTable::optional_number(std::size_t row, std::size_t column) const {
  const std::string& cell = cells_[row][column];
  if (cell.empty()) return std::nullopt;
  const auto value = parse_plain_number(cell);
  if (!value) {
    throw InputError({file_.string(), lines_[row], cell_columns_[row][column]}, header_[column],
                     "'" + cell + "' is not a finite number");
  }
  return *value;
}

CsvTable read_csv_table(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0, 0}, "", "cannot read file");
  return CsvTable(read_bounded(in, file, limits::kMaxCsvFileBytes, ""), file);
}

std::optional<double> finite_cell(const CsvTable& table, std::size_t row, std::size_t column) {
  const std::string& text = table.text(row, column);
  if (text == "nan" || text == "-nan" || text == "inf" || text == "-inf") return std::nullopt;
  return table.optional_number(row, column);
}

std::optional<int> milk_day(std::string_view endpoint) {
  constexpr std::string_view prefix = "milk_day", suffix = "_ml";
  if (!endpoint.starts_with(prefix) || !endpoint.ends_with(suffix)) return std::nullopt;
  const std::string digits(endpoint.substr(prefix.size(), endpoint.size() - prefix.size() - suffix.size()));
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return std::nullopt;
  return std::stoi(digits);
}

std::vector<std::string> distinct_texts(const CsvTable& table, std::size_t column) {
  std::vector<std::string> out;
  for (std::size_t row = 0; row < table.rows(); ++row) {
    if (std::find(out.begin(), out.end(), table.text(row, column)) == out.end()) out.push_back(table.text(row, column));
  }
  return out;
}

[[noreturn]] void fail_at(const CsvTable& table, std::size_t row, const std::string& field, const std::string& message) {
  throw InputError({table.file().string(), table.line_of(row), 0}, field, message);
}

}  // namespace lactsim
