#include "lactsim/io/case_table.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <tuple>
#include <unordered_set>

#include "lactsim/engine/text_format.hpp"
#include "lactsim/engine/unit_conversion.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/observables.hpp"
#include "utf8.hpp"

namespace lactsim {
namespace {

constexpr std::array<std::string_view, 7> kColumns = {"subject", "quantity", "day", "time_h", "value", "unit", "sd"};
enum Column : std::size_t { c_subject, c_quantity, c_day, c_time, c_value, c_unit, c_sd };

/// A day far beyond any horizon a scenario may have; bounds the integer conversion.
constexpr double kMaxDay = 1e6;

std::string column_list() {
  std::string out;
  for (auto c : kColumns) out += (out.empty() ? "" : ",") + std::string(c);
  return out;
}

/// Fields of one line, quoted fields unquoted ("" is a quote inside quotes).
/// @throws InputError at `where` for a quoted field that does not close on the line, a quote
///         inside an unquoted field, or text between a closing quote and the next comma
std::vector<std::string> split_line(std::string_view line, const SourceLocation& where) {
  std::vector<std::string> fields(1);
  bool quoted = false, closed = false;  // closed: the field's closing quote was read
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false, closed = true;
      } else {
        fields.back() += c;
      }
    } else if (c == ',') {
      fields.emplace_back();
      closed = false;
    } else if (closed) {
      // "Ibu A" bed 3 would otherwise be read as one subject, silently.
      throw InputError(where, "row", "text after a closing quote in field " + std::to_string(fields.size()) +
                                         "; quote the whole field (\"Ibu A, bed 3\") and double a quote inside it");
    } else if (c == '"') {
      if (!fields.back().empty()) {
        throw InputError(where, "row", "a quote inside an unquoted field (field " + std::to_string(fields.size()) +
                                           "); quote the whole field and double a quote inside it (\"\")");
      }
      quoted = true;
    } else {
      fields.back() += c;
    }
  }
  if (quoted) throw InputError(where, "row", "a quoted field does not close on its line");
  return fields;
}

/// Refuses bytes that are not UTF-8 and control characters (tab excepted) in one line.
void check_line_text(std::string_view line, const SourceLocation& where) {
  for (std::size_t i = 0; i < line.size();) {
    const auto [code, length] = detail::decode_utf8(line, i);
    if (length == 0) throw InputError(where, "row", "holds bytes that are not UTF-8 (save the file as UTF-8)");
    if (detail::is_forbidden_control(code)) {
      throw InputError(where, "row", "holds a control character (a lone CR, NUL or line separator?)");
    }
    i += length;
  }
}

}  // namespace

std::string subject_name_problem(std::string_view subject) {
  if (subject.empty()) return "must not be empty";
  if (detail::has_surrounding_space(subject)) return "must not start or end with a space";
  for (std::size_t i = 0; i < subject.size();) {
    const auto [code, length] = detail::decode_utf8(subject, i);
    if (length == 0) return "must be UTF-8 text";
    if (detail::is_forbidden_control(code)) return "must not hold a control character (a newline, NUL or line separator)";
    i += length;
  }
  return "";
}

std::vector<std::string> CaseTable::subjects() const {
  std::vector<std::string> out;
  // A set of the names seen keeps this linear: a search of `out` per row made a case series of
  // 10^6 mothers take longer than 5 minutes to load.
  std::unordered_set<std::string_view> seen;
  for (const CaseObservation& row : rows) {
    if (seen.insert(row.subject).second) out.push_back(row.subject);
  }
  return out;
}

bool is_event_time_observable(std::string_view quantity) {
  const auto unit = model_unit(quantity);
  return unit && *unit == "h";
}

CaseTable read_case_table(const std::filesystem::path& file) {
  refuse_non_regular_input_file(file);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0, 0}, "", "cannot open the case table");
  return parse_case_table(read_bounded(in, file, limits::kMaxCsvFileBytes, ""), file);
}

CaseTable parse_case_table(std::string_view text, const std::filesystem::path& file) {
  CaseTable table;
  table.file = file;
  const std::string name = file.string();
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte-order mark (spreadsheets write one)
  std::array<std::size_t, kColumns.size()> position{};
  std::size_t field_count = 0;
  bool have_header = false;
  // (subject, quantity, day, time_h) → line of the first row with it.
  std::map<std::tuple<std::string, std::string, std::optional<int>, std::optional<double>>, int> seen;
  int line_number = 0;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CR LF line ends
    const SourceLocation where{name, line_number, 0};
    check_line_text(line, where);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank line
    const std::vector<std::string> fields = split_line(line, where);
    if (!have_header) {
      have_header = true;
      field_count = fields.size();
      position.fill(field_count);
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string& column = fields[i];
        const auto known = std::find(kColumns.begin(), kColumns.end(), column);
        if (known == kColumns.end()) {
          throw InputError(where, "header", "unknown column '" + column + "'; a case table has the columns " +
                                                column_list() + " (in any order)");
        }
        const auto k = static_cast<std::size_t>(known - kColumns.begin());
        if (position[k] != field_count) throw InputError(where, "header", "column '" + column + "' appears twice");
        position[k] = i;
      }
      for (std::size_t k = 0; k < kColumns.size(); ++k) {
        if (position[k] == field_count) {
          throw InputError(where, "header", "missing column '" + std::string(kColumns[k]) + "'; a case table has the " +
                                                "columns " + column_list() + " (in any order)");
        }
      }
      continue;
    }
    if (fields.size() != field_count) {
      throw InputError(where, "row", "has " + std::to_string(fields.size()) + " fields, the header " +
                                         std::to_string(field_count));
    }
    auto cell = [&](Column k) -> const std::string& { return fields[position[k]]; };
    auto fail = [&](Column k, const std::string& message) { throw InputError(where, std::string(kColumns[k]), message); };
    auto number = [&](Column k) -> std::optional<double> {
      if (cell(k).empty()) return std::nullopt;
      const auto value = parse_plain_number(cell(k));
      if (!value) fail(k, "'" + cell(k) + "' is not a number in plain decimal notation (such as 3, -0.5 or 1e-3)");
      if (std::abs(*value) > kMaxObservedMagnitude) {
        fail(k, format_number(*value) + " is out of range: observed numbers must have a magnitude of at most 1e+06");
      }
      return value;
    };
    for (Column k : {c_subject, c_quantity, c_unit}) {
      if (detail::has_surrounding_space(cell(k))) fail(k, "'" + cell(k) + "' has leading or trailing space");
    }
    CaseObservation row;
    row.where = where;
    row.subject = cell(c_subject);
    if (row.subject.empty()) fail(c_subject, "must not be empty");
    row.quantity = cell(c_quantity);
    if (!model_unit(row.quantity)) {
      fail(c_quantity, "unknown observed quantity '" + row.quantity +
                           "' (docs/scenario-format.md lists the observables; names are case-sensitive)");
    }
    row.unit = cell(c_unit);
    if (!to_model_unit_factor(row.quantity, row.unit)) {
      fail(c_unit, "unit '" + row.unit + "' cannot be converted to " + row.quantity + "'s model unit, " +
                       std::string(*model_unit(row.quantity)));
    }
    const auto value = number(c_value);
    if (!value) fail(c_value, "is empty; every row needs a value");
    row.value = *value;
    if (is_event_time_observable(row.quantity) && row.value < 0.0) {
      fail(c_value, "an event time must not be negative (hours after birth)");
    }
    row.sd = number(c_sd);
    if (row.sd && !(*row.sd > 0.0)) {
      fail(c_sd, "must be positive (an sd of 0 would give this point infinite weight); leave it empty to weight the "
                 "point by the spread of subjects or the default CV");
    }
    const auto day = number(c_day);
    row.time_h = number(c_time);
    if (day && row.time_h) fail(c_day, "give either day or time_h, not both");
    if (day) {
      if (*day < 1.0 || *day != std::floor(*day) || *day > kMaxDay) fail(c_day, "must be a whole number of days, 1 or more");
      row.day = static_cast<int>(*day);
    }
    if (row.time_h && *row.time_h < 0.0) fail(c_time, "must not be negative (hours after birth)");
    if (is_event_time_observable(row.quantity)) {
      if (day || row.time_h) {
        fail(day ? c_day : c_time, row.quantity + " is the time of an event (its value, in h): leave day and time_h empty");
      }
    } else if (!day && !row.time_h) {
      fail(c_day, "give day or time_h: " + row.quantity + " is observed at a day or a time");
    }
    const auto [first, inserted] = seen.emplace(std::tuple{row.subject, row.quantity, row.day, row.time_h}, line_number);
    if (!inserted) {
      throw InputError(where, "row", "repeats line " + std::to_string(first->second) + " (same subject, quantity and " +
                                         "day or time); give each observation once");
    }
    table.rows.push_back(std::move(row));
  }
  if (!have_header) {
    throw InputError({name, 1, 0}, "header", "the table is empty; the first line must name the columns " + column_list());
  }
  return table;
}

void add_case_observations(Scenario& scenario, const CaseTable& table, const std::string& subject) {
  const std::size_t first_new = scenario.observed.size();
  for (const CaseObservation& row : table.rows) {
    if (row.subject != subject) continue;
    if (row.day && *row.day > scenario.duration_days) {
      throw InputError(row.where, "day", "day " + std::to_string(*row.day) + " is outside days 1-" +
                                             std::to_string(scenario.duration_days) + " of " + scenario.file.string());
    }
    if (row.time_h && *row.time_h > scenario.horizon_h()) {
      throw InputError(row.where, "time_h", "is outside the horizon of " + scenario.file.string() + " (" +
                                                format_number(scenario.horizon_h()) + " h)");
    }
    auto series = std::find_if(scenario.observed.begin() + static_cast<std::ptrdiff_t>(first_new), scenario.observed.end(),
                               [&](const ObservedSeries& s) { return s.quantity == row.quantity && s.unit == row.unit; });
    if (series == scenario.observed.end()) {
      ObservedSeries added;
      added.quantity = row.quantity;
      added.unit = row.unit;
      added.source = "case table " + table.file.string() + ", subject " + subject;
      added.label = "subject " + subject;
      added.where = row.where;
      scenario.observed.push_back(std::move(added));
      series = scenario.observed.end() - 1;
    }
    ObservedPoint point{};
    point.day = row.day;
    point.time_h = row.time_h;
    // An event time is written in [[observed]] as a point at time_h = value (h); do the same, so
    // every reader of points (the traces figure's onset line) sees it there. A value beyond the
    // horizon (not reached) stays a point without a time.
    const double value_h = row.value * to_model_unit_factor(row.quantity, row.unit).value_or(1.0);
    if (is_event_time_observable(row.quantity) && value_h >= 0.0 && value_h <= scenario.horizon_h()) point.time_h = value_h;
    point.value = row.value;
    point.sd = row.sd;
    point.where = row.where;
    series->points.push_back(point);
  }
  weighted_observations(scenario);  // refuses, at its row, a point that cannot be weighted
}

std::vector<std::string> attach_case_table(std::vector<Scenario>& scenarios, const CaseTable& table,
                                           const std::string& subject_override, bool every_subject_claimed) {
  const std::string file = table.file.string();
  if (!subject_override.empty() && scenarios.size() != 1) {
    throw InputError({kArgumentsOrigin, 0, 0}, "subject",
                     "names the subject of a single scenario; with several scenarios give each its own "
                     "[scenario] subject = \"...\"");
  }
  const std::vector<std::string> in_table = table.subjects();
  std::vector<std::string> claimed;
  for (const Scenario& scenario : scenarios) {
    const std::string subject = subject_override.empty() ? scenario.subject : subject_override;
    if (subject.empty()) {
      throw InputError({scenario.file.string(), 0, 0}, "scenario.subject",
                       "no subject to take from " + file + ": add subject = \"...\" to [scenario] or pass --subject NAME");
    }
    if (std::find(claimed.begin(), claimed.end(), subject) != claimed.end()) {
      throw InputError({scenario.file.string(), 0, 0}, "scenario.subject",
                       "subject '" + subject + "' is claimed by another scenario too; each subject is one mother");
    }
    if (std::find(in_table.begin(), in_table.end(), subject) == in_table.end()) {
      throw InputError({file, 0, 0}, "subject",
                       "no rows for subject '" + subject + "', the subject of " + scenario.file.string());
    }
    claimed.push_back(subject);
  }
  if (every_subject_claimed) {
    for (const CaseObservation& row : table.rows) {
      if (std::find(claimed.begin(), claimed.end(), row.subject) == claimed.end()) {
        throw InputError(row.where, "subject",
                         "no scenario claims subject '" + row.subject + "'; give a scenario with [scenario] subject = "
                         "\"" + row.subject + "\" for every subject of the table");
      }
    }
  }
  for (std::size_t i = 0; i < scenarios.size(); ++i) add_case_observations(scenarios[i], table, claimed[i]);
  return claimed;
}

}  // namespace lactsim
