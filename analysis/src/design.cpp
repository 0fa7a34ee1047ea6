#include "lactsim/analysis/design.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>

#include "lactsim/model/edit_distance.hpp"
#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/io/counter_rng.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/engine/text_format.hpp"

namespace lactsim {
namespace {

// Sobol points come as 64-bit integers; this maps them to [0, 1).
constexpr double kTwoToMinus64 = 0x1.0p-64;

constexpr std::string_view kCsvSpace = " \t\r";

/// One cell of a design-CSV line: its text without surrounding spaces and its 1-based column.
struct CsvCell {
  std::string text;
  int column = 1;
};

std::vector<CsvCell> split_commas(std::string_view line) {
  std::vector<CsvCell> cells;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    const std::string_view raw =
        line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    const auto first = raw.find_first_not_of(kCsvSpace);
    CsvCell cell;
    cell.column = static_cast<int>(start + (first == std::string_view::npos ? 0 : first)) + 1;
    if (first != std::string_view::npos) {
      cell.text = std::string(raw.substr(first, raw.find_last_not_of(kCsvSpace) - first + 1));
    }
    cells.push_back(std::move(cell));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return cells;
}

/// Whether a design-CSV header name is a row identifier rather than a misspelt parameter:
/// id, sample, name, label, run, row, or a name ending in _id (any case).
bool is_identifier_column(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* identifier : {"id", "sample", "name", "label", "run", "row"}) {
    if (lower == identifier) return true;
  }
  return lower.size() > 3 && lower.ends_with("_id");
}

/// A schedule variable's range "SECTION.KEY=LO:HI", checked against its bounds.
void check_schedule_range(const ParameterRange& range, const ScheduleVariableInfo& variable,
                          const SourceLocation& where, const std::string& field) {
  if (variable.integer) {
    if (range.log_scale) throw InputError(where, field, range.name + " takes whole numbers: no log scale");
    if (range.low != std::round(range.low) || range.high != std::round(range.high)) {
      throw InputError(where, field, range.name + " takes whole numbers: give LO and HI as whole numbers, e.g. 1:4");
    }
  }
  const bool below = variable.lower_open ? range.low <= variable.lower_bound : range.low < variable.lower_bound;
  if (below || range.high > variable.upper_bound) {
    // Every sample outside the bounds would fail: refused here, before any sample runs.
    const std::string unit = variable.unit == "1" ? std::string() : " " + std::string(variable.unit);
    throw InputError(where, field,
                     "the range leaves " + range.name + "'s bounds " + (variable.lower_open ? "(" : "[") +
                         format_number(variable.lower_bound) + ", " + format_number(variable.upper_bound) + "]" +
                         unit + " (docs/analyses.md, \"Schedule and covariate variables\")");
  }
}

/// A design column's name resolved: a registry parameter or a schedule variable.
struct DesignColumn {
  double model::ModelParameters::*member = nullptr;
  const ScheduleVariableInfo* schedule = nullptr;
};

/// The column called `name`; nullopt when it is neither a parameter nor a schedule variable.
std::optional<DesignColumn> find_design_column(std::string_view name) {
  if (const model::ParameterInfo* info = model::find_parameter(name)) return DesignColumn{info->member, nullptr};
  if (const ScheduleVariableInfo* variable = find_schedule_variable(name)) return DesignColumn{nullptr, variable};
  return std::nullopt;
}

/// "did you mean" for an unknown column: a schedule variable when the name has a dot.
std::string closest_column_name(std::string_view name) {
  return name.find('.') != std::string_view::npos ? closest_schedule_variable_name(name)
                                                  : model::closest_parameter_name(name);
}

}  // namespace

double ParameterRange::value_at(double u) const {
  if (log_scale) return std::exp(std::log(low) + u * (std::log(high) - std::log(low)));
  return low + u * (high - low);
}

namespace {

/// "delivery=A,B,..." or "parity=A,B": the levels, each known and given once, at least two.
ParameterRange parse_covariate_levels(const CovariateVariableInfo& covariate, std::string_view list,
                                      const SourceLocation& where, const std::string& field) {
  ParameterRange range;
  range.name = std::string(covariate.name);
  range.covariate = &covariate;
  std::string all;
  for (std::string_view level : covariate.levels) all += (all.empty() ? "" : ",") + std::string(level);
  std::stringstream stream{std::string(list)};
  for (std::string level; std::getline(stream, level, ',');) {
    const auto known = std::find(covariate.levels.begin(), covariate.levels.end(), level);
    if (known == covariate.levels.end()) {
      std::string best(covariate.levels.front());
      for (std::string_view candidate : covariate.levels) {
        if (model::suggestion_distance(level, candidate) < model::suggestion_distance(level, best)) best = candidate;
      }
      throw InputError(where, field, "unknown " + range.name + " level '" + level + "'; did you mean '" + best +
                                         "'? (levels: " + all + ")");
    }
    const auto index = static_cast<std::size_t>(known - covariate.levels.begin());
    if (std::find(range.levels.begin(), range.levels.end(), index) != range.levels.end()) {
      throw InputError(where, field, "level '" + level + "' is given twice");
    }
    range.levels.push_back(index);
  }
  if (range.levels.size() < 2) {
    throw InputError(where, field, "give at least two levels, e.g. " + range.name + "=" + all +
                                       " (for one, set it in the scenario file)");
  }
  range.low = 0.0;
  range.high = static_cast<double>(range.levels.size() - 1);
  return range;
}

}  // namespace

ParameterRange parse_parameter_range(std::string_view text, const SourceLocation& where) {
  const std::string field = "ranges " + std::string(text);
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    throw InputError(where, field, "expected NAME=LO:HI or NAME=LO:HI:log, e.g. massage_ot_rise_uU_ml=0:10");
  }
  if (const CovariateVariableInfo* covariate = find_covariate_variable(text.substr(0, equals))) {
    return parse_covariate_levels(*covariate, text.substr(equals + 1), where, field);
  }
  ParameterRange range;
  range.name = std::string(text.substr(0, equals));
  const model::ParameterInfo* info = model::find_parameter(range.name);
  const bool schedule_name = range.name.find('.') != std::string::npos;
  if (info == nullptr && schedule_name) {
    range.schedule = find_schedule_variable(range.name);
    if (range.schedule == nullptr) {
      throw InputError(where, field,
                       "unknown schedule variable '" + range.name + "'; did you mean '" +
                           closest_schedule_variable_name(range.name) +
                           "'? (docs/analyses.md, \"Schedule and covariate variables\", lists them all)");
    }
  } else if (info == nullptr) {
    throw InputError(where, field,
                     "unknown parameter '" + range.name + "'; did you mean '" +
                         model::closest_parameter_name(range.name) + "'? (`lactsim params` lists them all)");
  }
  if (info != nullptr) range.member = info->member;
  std::vector<std::string> parts;
  std::string rest(text.substr(equals + 1));
  std::stringstream stream(rest);
  for (std::string part; std::getline(stream, part, ':');) parts.push_back(part);
  if (parts.size() < 2 || parts.size() > 3 || (parts.size() == 3 && parts[2] != "log" && parts[2] != "lin")) {
    throw InputError(where, field, "expected LO:HI or LO:HI:log after '=', found '" + rest + "'");
  }
  auto low = parse_plain_number(parts[0]), high = parse_plain_number(parts[1]);
  if (!low || !high) {
    throw InputError(where, field,
                     "LO and HI must be finite numbers in plain decimal notation (such as 3, -0.5 or 1e-3), found '" +
                         rest + "'");
  }
  range.low = *low;
  range.high = *high;
  range.log_scale = parts.size() == 3 && parts[2] == "log";
  if (!(range.low < range.high)) throw InputError(where, field, "LO must be smaller than HI");
  if (range.log_scale && range.low <= 0.0) throw InputError(where, field, "a log range needs LO > 0");
  if (range.schedule != nullptr) {
    check_schedule_range(range, *range.schedule, where, field);
    return range;
  }
  if (range.low < info->lower_bound || range.high > info->upper_bound) {
    // Every sample outside the bounds would fail: refused here, before any sample runs.
    const std::string unit = info->unit == "1" ? std::string() : " " + std::string(info->unit);
    throw InputError(where, field,
                     "the range leaves " + range.name + "'s plausible bounds [" + format_number(info->lower_bound) +
                         ", " + format_number(info->upper_bound) + "]" + unit +
                         " (`lactsim params`); samples outside them could only fail");
  }
  return range;
}

std::vector<ManifestRange> manifest_ranges(const std::vector<ParameterRange>& ranges) {
  std::vector<ManifestRange> out;
  for (const ParameterRange& range : ranges) out.push_back({range.name, range.low, range.high, range.log_scale});
  return out;
}

DesignKind parse_design_kind(std::string_view text, std::filesystem::path* file_path) {
  if (text == "grid") return DesignKind::grid;
  if (text == "lhs") return DesignKind::lhs;
  if (text == "sobol") return DesignKind::sobol;
  if (text.starts_with("file:") && text.size() > 5) {
    if (file_path != nullptr) *file_path = std::string(text.substr(5));
    return DesignKind::file;
  }
  throw InputError({kArgumentsOrigin, 0, 0}, "design",
                   "unknown design '" + std::string(text) + "'; expected grid, lhs, sobol or file:PATH");
}

Design Design::generated(DesignKind kind, std::vector<ParameterRange> ranges, std::size_t samples,
                         std::uint64_t seed) {
  const SourceLocation where{kArgumentsOrigin, 0, 0};
  if (ranges.empty()) throw InputError(where, "ranges", "give at least one parameter range NAME=LO:HI");
  if (samples == 0 || samples > limits::kMaxSamples) {
    throw InputError(where, "samples", "must be from 1 to " + std::to_string(limits::kMaxSamples));
  }
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (ranges[i].name == ranges[j].name) throw InputError(where, "ranges " + ranges[i].name, "is given twice");
    }
  }
  Design design;
  design.kind_ = kind;
  design.seed_ = seed;
  for (const auto& r : ranges) {
    design.names_.push_back(r.name);
    design.members_.push_back(r.member);
    design.schedule_variables_.push_back(r.schedule);
    design.covariates_.push_back(r.covariate);
    if (r.covariate != nullptr && kind != DesignKind::grid) {
      // A level is a category, not a point on a scale: strata and low-discrepancy points have no meaning for it.
      throw InputError(where, "ranges " + r.name,
                       "a covariate is a categorical factor: it can be varied in grid designs only (--design grid)");
    }
  }
  const std::size_t d = ranges.size();
  design.ranges_ = std::move(ranges);
  switch (kind) {
    case DesignKind::grid: {
      // Integer variables take each of their whole numbers; the others share what n leaves.
      double whole_levels = 1.0;
      std::size_t continuous = 0;
      for (const ParameterRange& r : design.ranges_) {
        if ((r.schedule != nullptr && r.schedule->integer) || r.covariate != nullptr) {
          whole_levels *= r.high - r.low + 1.0;
        } else {
          ++continuous;
        }
      }
      const auto levels = continuous == 0 ? std::size_t{0}
                                          : static_cast<std::size_t>(std::max(
                                                2.0, std::round(std::pow(static_cast<double>(samples) / whole_levels,
                                                                         1.0 / static_cast<double>(continuous)))));
      double total = whole_levels * std::pow(static_cast<double>(levels), static_cast<double>(continuous));
      if (total > static_cast<double>(limits::kMaxSamples)) {
        throw InputError(where, "samples", "a grid of " + format_number(total) +
                                                 " points is too large; use an lhs or sobol design");
      }
      for (const ParameterRange& r : design.ranges_) {
        design.grid_levels_.push_back((r.schedule != nullptr && r.schedule->integer) || r.covariate != nullptr
                                          ? static_cast<std::size_t>(r.high - r.low + 1.0)
                                          : levels);
      }
      design.size_ = static_cast<std::size_t>(total);
      break;
    }
    case DesignKind::lhs:
    case DesignKind::sobol:
      if (kind == DesignKind::sobol && d > boost::random::detail::qrng_tables::sobol::max_dimension) {
        throw InputError(where, "ranges", "the Sobol sequence supports at most " +
                                              std::to_string(boost::random::detail::qrng_tables::sobol::max_dimension) + " dimensions");
      }
      design.size_ = samples;
      break;
    case DesignKind::file:
    case DesignKind::samples:
      throw InputError(where, "kind", "file and in-memory designs are made with Design::from_csv or from_samples");
  }
  return design;
}

Design Design::from_csv(const std::filesystem::path& file) {
  std::ifstream file_in(file, std::ios::binary);
  const std::string name = file.string();
  if (!file_in) throw InputError({name, 0, 0}, "", "cannot open parameter-set CSV");
  std::istringstream in(read_bounded(file_in, file, limits::kMaxCsvFileBytes, ""));
  Design design;
  design.kind_ = DesignKind::file;
  std::string line;
  int line_number = 0;
  bool have_header = false;
  while (std::getline(in, line)) {
    ++line_number;
    const auto first = line.find_first_not_of(kCsvSpace);
    if (first == std::string::npos || line[first] == '#') continue;
    const auto cells = split_commas(line);
    if (!have_header) {
      for (std::size_t j = 0; j < cells.size(); ++j) {
        const CsvCell& cell = cells[j];
        const std::optional<DesignColumn> column = find_design_column(cell.text);
        if (!column && is_identifier_column(cell.text)) {
          // Ids are not carried through a sweep: its output's `sample` column numbers the rows.
          throw InputError({name, line_number, cell.column}, cell.text,
                           "'" + cell.text + "' is not a parameter: a design CSV has parameter columns only, no id "
                           "column. The sweep numbers the rows itself: sample 0 of its output is the first data "
                           "row, sample k the (k+1)-th, so join your ids on that order");
        }
        if (!column) {
          throw InputError({name, line_number, cell.column}, cell.text,
                           "unknown parameter '" + cell.text + "' in the header; did you mean '" +
                               closest_column_name(cell.text) + "'?");
        }
        // Two columns of one parameter would leave one of them silently unused.
        const auto earlier = std::find(design.names_.begin(), design.names_.end(), cell.text);
        if (earlier != design.names_.end()) {
          throw InputError({name, line_number, cell.column}, cell.text,
                           "column " + std::to_string(j + 1) + " is also column " +
                               std::to_string(earlier - design.names_.begin() + 1) +
                               "; each parameter may have one column only");
        }
        design.names_.push_back(cell.text);
        design.members_.push_back(column->member);
        design.schedule_variables_.push_back(column->schedule);
        design.covariates_.push_back(nullptr);
      }
      have_header = true;
      continue;
    }
    if (cells.size() != design.names_.size()) {
      throw InputError({name, line_number, 1}, "row", "expected " + std::to_string(design.names_.size()) +
                                                          " values, found " + std::to_string(cells.size()));
    }
    for (std::size_t j = 0; j < cells.size(); ++j) {
      auto value = parse_plain_number(cells[j].text);
      if (!value) {
        throw InputError({name, line_number, cells[j].column}, design.names_[j],
                         "'" + cells[j].text +
                             "' is not a finite number in plain decimal notation (such as 3, -0.5 or 1e-3)");
      }
      const ScheduleVariableInfo* variable = design.schedule_variables_[j];
      if (variable != nullptr && variable->integer && *value != std::round(*value)) {
        throw InputError({name, line_number, cells[j].column}, design.names_[j],
                         "'" + cells[j].text + "' is not a whole number; " + design.names_[j] + " takes whole numbers");
      }
      design.file_values_.push_back(*value);
    }
    ++design.size_;
  }
  if (!have_header) throw InputError({name, 0, 0}, "header", "the CSV needs a header row of parameter names");
  if (design.size_ == 0) throw InputError({name, line_number, 0}, "row", "the CSV has no parameter rows");
  return design;
}

Design Design::from_samples(std::vector<std::string> parameter_names, std::vector<double> values) {
  const SourceLocation where{kArgumentsOrigin, 0, 0};
  if (parameter_names.empty()) throw InputError(where, "parameter_names", "give at least one parameter name");
  Design design;
  design.kind_ = DesignKind::samples;
  for (std::size_t j = 0; j < parameter_names.size(); ++j) {
    const std::string& name = parameter_names[j];
    const std::optional<DesignColumn> column = find_design_column(name);
    if (!column) {
      throw InputError(where, "parameter_names", "unknown parameter '" + name + "'; did you mean '" +
                                                     closest_column_name(name) + "'?");
    }
    // Two columns of one parameter would leave one of them silently unused.
    const auto earlier = std::find(parameter_names.begin(), parameter_names.begin() + static_cast<std::ptrdiff_t>(j), name);
    if (earlier != parameter_names.begin() + static_cast<std::ptrdiff_t>(j)) {
      throw InputError(where, "parameter_names",
                       "'" + name + "' is column " + std::to_string(j + 1) + " and column " +
                           std::to_string(earlier - parameter_names.begin() + 1) +
                           "; each parameter may have one column only");
    }
    design.members_.push_back(column->member);
    design.schedule_variables_.push_back(column->schedule);
    design.covariates_.push_back(nullptr);
  }
  const std::size_t d = parameter_names.size();
  if (values.empty() || values.size() % d != 0) {
    throw InputError(where, "samples", "expected rows of " + std::to_string(d) + " values (one per parameter name), found " +
                                           std::to_string(values.size()) + " values");
  }
  if (values.size() / d > limits::kMaxSamples) {
    throw InputError(where, "samples", "at most " + std::to_string(limits::kMaxSamples) + " rows");
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw InputError(where, "samples", "row " + std::to_string(i / d) + ", column '" + parameter_names[i % d] +
                                             "': not a finite number");
    }
    const ScheduleVariableInfo* variable = design.schedule_variables_[i % d];
    if (variable != nullptr && variable->integer && values[i] != std::round(values[i])) {
      throw InputError(where, "samples", "row " + std::to_string(i / d) + ", column '" + parameter_names[i % d] +
                                             "': not a whole number (" + parameter_names[i % d] +
                                             " takes whole numbers)");
    }
  }
  design.names_ = std::move(parameter_names);
  design.size_ = values.size() / d;
  design.file_values_ = std::move(values);
  return design;
}

bool Design::has_schedule_variables() const {
  return std::any_of(schedule_variables_.begin(), schedule_variables_.end(),
                     [](const ScheduleVariableInfo* variable) { return variable != nullptr; }) ||
         std::any_of(covariates_.begin(), covariates_.end(),
                     [](const CovariateVariableInfo* covariate) { return covariate != nullptr; });
}

void Design::unit_point(std::size_t index, std::span<double> unit) const {
  const std::size_t d = ranges_.size();
  if (kind_ == DesignKind::grid) {
    std::size_t rest = index;
    // Last parameter varies fastest, like nested loops written in --vary order.
    for (std::size_t j = d; j-- > 0;) {
      const std::size_t levels = grid_levels_[j];
      const std::size_t level = rest % levels;
      rest /= levels;
      // levels >= 2 in every dimension: every range has LO < HI.
      unit[j] = static_cast<double>(level) / static_cast<double>(levels - 1);
    }
    return;
  }
  // Latin hypercube: dimension j puts sample i in stratum pi_j(i) and jitters it inside.
  for (std::size_t j = 0; j < d; ++j) {
    const std::uint64_t stratum = keyed_permutation(index, size_, mix64(seed_ ^ (j + 1)));
    unit[j] = (static_cast<double>(stratum) + counter_uniform(seed_, index, j)) / static_cast<double>(size_);
  }
}

Design::Cursor::Cursor(const Design& design) : design_(design), unit_(design.ranges_.size()) {
  if (design.kind_ == DesignKind::sobol) sobol_.emplace(design.ranges_.size());
}

void Design::Cursor::values(std::size_t index, std::span<double> values) {
  const std::size_t d = design_.names_.size();
  if (design_.kind_ == DesignKind::file || design_.kind_ == DesignKind::samples) {
    for (std::size_t j = 0; j < d; ++j) values[j] = design_.file_values_[index * d + j];
    return;
  }
  if (design_.kind_ == DesignKind::sobol) {
    // seed(k) jumps straight to point k (Gray-code order); consecutive indices just step.
    if (index != next_sobol_index_) sobol_->seed(index);
    for (std::size_t j = 0; j < d; ++j) unit_[j] = static_cast<double>((*sobol_)()) * kTwoToMinus64;
    next_sobol_index_ = index + 1;
  } else {
    design_.unit_point(index, unit_);
  }
  for (std::size_t j = 0; j < d; ++j) {
    const ParameterRange& range = design_.ranges_[j];
    if (range.covariate != nullptr) {  // grid designs only: level k of the given levels
      values[j] = static_cast<double>(range.levels[static_cast<std::size_t>(std::round(range.value_at(unit_[j])))]);
    } else if (range.schedule == nullptr || !range.schedule->integer) {
      values[j] = range.value_at(unit_[j]);
    } else if (design_.kind_ == DesignKind::grid) {
      values[j] = std::round(range.value_at(unit_[j]));  // level k of LO..HI is LO + k
    } else {
      // Uniform on [LO − 0.5, HI + 0.5], rounded: each whole number equally likely.
      const double spread = range.low - 0.5 + unit_[j] * (range.high - range.low + 1.0);
      values[j] = std::clamp(std::round(spread), range.low, range.high);
    }
  }
}

std::uint64_t keyed_permutation(std::uint64_t index, std::uint64_t n, std::uint64_t key) {
  if (n <= 1) return 0;
  // Smallest even bit width whose domain holds n; halves of equal width keep it a bijection.
  unsigned bits = 2;
  while (bits < 64 && (std::uint64_t{1} << bits) < n) bits += 2;
  const unsigned half = bits / 2;
  const std::uint64_t mask = (std::uint64_t{1} << half) - 1;
  std::uint64_t x = index;
  do {  // cycle walking: re-encrypt until the value falls inside [0, n)
    std::uint64_t left = x >> half, right = x & mask;
    for (std::uint64_t round = 0; round < 4; ++round) {
      const std::uint64_t f = mix64(right ^ mix64(key + round)) & mask;
      const std::uint64_t next_right = left ^ f;
      left = right;
      right = next_right;
    }
    x = (left << half) | right;
  } while (x >= n);
  return x;
}

}  // namespace lactsim
