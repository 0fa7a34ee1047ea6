#pragma once
/// @file case_table.hpp
/// Case data as a table (`--observations FILE.csv`): long rows
/// `subject,quantity,day,time_h,value,unit,sd`, one file for a case series, matched to the
/// scenarios by their `[scenario] subject` key or a `--subject` flag, and added to their
/// observed data as `[[observed]]` points would be (docs/scenario-format.md §Case tables).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lactsim/engine/errors.hpp"
#include "lactsim/io/scenario.hpp"

namespace lactsim {

/// One row of a case table, as written (the unit is converted when the row joins a scenario).
struct CaseObservation {
  std::string subject;          ///< who was measured, e.g. "mother_A"
  std::string quantity;         ///< an observable, e.g. "infant_weight"
  std::optional<int> day;       ///< day d = hours [24(d-1), 24d) after birth
  std::optional<double> time_h; ///< or a time after birth, h; neither for an event time
  double value = 0;             ///< in `unit`
  std::string unit;             ///< as written, e.g. "g"
  std::optional<double> sd;     ///< standard deviation in `unit`, positive
  SourceLocation where;         ///< the row: file and line
};

/// A case table: its rows in file order.
struct CaseTable {
  std::filesystem::path file;
  std::vector<CaseObservation> rows;
  /// The subjects in order of first appearance.
  std::vector<std::string> subjects() const;
};

/// Whether `quantity` is the time of an event (model unit h: onset_time and any later
/// observable in hours), which a row gives with neither day nor time_h.
bool is_event_time_observable(std::string_view quantity);

/// Reads a case table file (at most limits::kMaxCsvFileBytes).
/// @throws InputError "FILE:LINE: field: message" as parse_case_table, or naming the file
///         when it cannot be opened or is not a regular file
CaseTable read_case_table(const std::filesystem::path& file);

/// Parses case-table text; `file` is used in messages. A UTF-8 byte-order mark and CR LF line
/// ends are accepted; blank lines are skipped; a field may be quoted ("a, b", "" for a quote)
/// but must close on its line.
/// @throws InputError at the line and column name of the first problem: text that is not
///         UTF-8 or holds a control character, a header that is not exactly the seven columns
///         (any order), a row with another number of fields, an empty subject, a name with
///         surrounding space, an unknown quantity or a unit it cannot be converted from,
///         a value or sd that is not a plain number, of magnitude above kMaxObservedMagnitude,
///         an sd that is not positive, a day that is not a whole number ≥ 1, a negative time_h,
///         both or neither of day and time_h (neither is required for an event time), or a
///         row repeating the subject, quantity and day/time of an earlier one
CaseTable parse_case_table(std::string_view text, const std::filesystem::path& file);

/// Adds the rows of `subject` to `scenario.observed`, one series per quantity and unit in
/// order of first appearance (source: the table's file), then weighs them as the scenario
/// loader weighs `[[observed]]` points (units converted by to_model_unit_factor). An event
/// time becomes a point at time_h = its value in h, as `[[observed]]` onset points are written
/// (no time when the value lies outside the horizon).
/// @throws InputError at the row for a day or time outside the scenario's horizon, or a
///         point that cannot be weighted (weighted_observations)
void add_case_observations(Scenario& scenario, const CaseTable& table, const std::string& subject);

/// Why `subject` cannot name a subject of a case table, or "" when it can: a table's subject
/// cells are never empty and hold no surrounding space and no control character (a newline,
/// NUL, DEL or line separator), so neither may a `[scenario] subject` or `--subject`.
std::string subject_name_problem(std::string_view subject);

/// Matches `scenarios` to the subjects of `table` and adds each its rows. A scenario's subject
/// is `subject_override` when given (one scenario only), else its `[scenario] subject`.
/// @param every_subject_claimed  when true (a fit over a case series), a subject of the table
///        that no scenario claims is an error; when false (`run`), its rows are ignored
/// @returns the subject of each scenario, in order
/// @throws InputError for a scenario with no subject, two scenarios claiming one subject,
///         a subject with no rows in the table, an unclaimed subject (see above), or
///         `subject_override` with several scenarios (argument "subject")
std::vector<std::string> attach_case_table(std::vector<Scenario>& scenarios, const CaseTable& table,
                                           const std::string& subject_override, bool every_subject_claimed);

}  // namespace lactsim
