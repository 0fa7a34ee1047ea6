#pragma once
/// @file plot_csv.hpp
/// Reading the CSV files figures are drawn from (run outputs and the figure input
/// contracts of docs/figures.md), with errors located at file:line:column and column name.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lactsim {

/// A CSV file: a header row and data rows of equal width. Lines starting with '#' and
/// blank lines are skipped; fields may be double-quoted ("" inside quotes is a quote).
class CsvTable {
 public:
  /// Parses `text`; `file` names it in messages.
  /// @throws InputError for a missing header, a ragged row or an unterminated quote
  CsvTable(std::string_view text, std::filesystem::path file);

  /// Number of data rows.
  std::size_t rows() const { return cells_.size(); }
  /// Column names, in order.
  const std::vector<std::string>& header() const { return header_; }
  /// Index of column `name`, or empty.
  std::optional<std::size_t> find_column(std::string_view name) const;
  /// Index of column `name`.
  /// @throws InputError at the header line naming the missing column and those present
  std::size_t require_column(std::string_view name) const;
  /// The cell as text.
  const std::string& text(std::size_t row, std::size_t column) const { return cells_[row][column]; }
  /// The cell as a finite number.
  /// @throws InputError at file:line:column naming the column when it is not one
  double number(std::size_t row, std::size_t column) const;
  /// The cell as a finite number, or empty when the cell is empty.
  /// @throws InputError as number() for a non-empty cell that is not a finite number
  std::optional<double> optional_number(std::size_t row, std::size_t column) const;
  /// File the table came from.
  const std::filesystem::path& file() const { return file_; }
  /// 1-based line of a data row, for messages.
  int line_of(std::size_t row) const { return lines_[row]; }

 private:
  std::filesystem::path file_;
  std::vector<std::string> header_;
  int header_line_ = 0;
  std::vector<std::vector<std::string>> cells_;
  std::vector<std::vector<int>> cell_columns_;  // 1-based character column of each cell
  std::vector<int> lines_;
};

/// Reads and parses a CSV file.
/// @throws InputError when the file cannot be read or is malformed
CsvTable read_csv_table(const std::filesystem::path& file);

/// A finite number in a cell, or nothing for an empty, "nan" or "inf" cell (lactsim writes
/// failed samples that way).
/// @throws InputError as CsvTable::optional_number() for other text
std::optional<double> finite_cell(const CsvTable& table, std::size_t row, std::size_t column);

/// Distinct texts of `column` over all rows, in first-seen order.
std::vector<std::string> distinct_texts(const CsvTable& table, std::size_t column);

/// Throws InputError naming the table's file, the line of `row` and `field`.
[[noreturn]] void fail_at(const CsvTable& table, std::size_t row, const std::string& field, const std::string& message);

/// Day number N of a "milk_day<N>_ml" endpoint or column name; nothing for other names.
std::optional<int> milk_day(std::string_view endpoint);

}  // namespace lactsim
