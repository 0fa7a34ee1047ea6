#include "lactsim/sim/design.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/sim/counter_rng.hpp"

namespace lactsim {
namespace {

// A grid beyond this many points is almost surely a typo (use lhs or sobol instead).
constexpr std::size_t kMaxGridPoints = 100'000'000;
// Sobol points come as 64-bit integers; this maps them to [0, 1).
constexpr double kTwoToMinus64 = 0x1.0p-64;

std::optional<double> parse_double(std::string_view text) {
  std::string s(text);
  std::size_t used = 0;
  try {
    const double value = std::stod(s, &used);
    if (used == s.size() && std::isfinite(value)) return value;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split_commas(std::string_view line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    cells.push_back(trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return cells;
}

}  // namespace

double ParameterRange::value_at(double u) const {
  if (log_scale) return std::exp(std::log(low) + u * (std::log(high) - std::log(low)));
  return low + u * (high - low);
}

ParameterRange parse_parameter_range(std::string_view text, const SourceLocation& where) {
  const std::string field = "--vary " + std::string(text);
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    throw InputError(where, field, "expected NAME=LO:HI or NAME=LO:HI:log, e.g. --vary massage_ot_rise_uU_ml=0:10");
  }
  ParameterRange range;
  range.name = std::string(text.substr(0, equals));
  const model::ParameterInfo* info = model::find_parameter(range.name);
  if (info == nullptr) {
    throw InputError(where, field,
                     "unknown parameter '" + range.name + "'; did you mean '" +
                         model::closest_parameter_name(range.name) + "'? (`lactsim params` lists them all)");
  }
  range.member = info->member;
  std::vector<std::string> parts;
  std::string rest(text.substr(equals + 1));
  std::stringstream stream(rest);
  for (std::string part; std::getline(stream, part, ':');) parts.push_back(part);
  if (parts.size() < 2 || parts.size() > 3 || (parts.size() == 3 && parts[2] != "log" && parts[2] != "lin")) {
    throw InputError(where, field, "expected LO:HI or LO:HI:log after '=', found '" + rest + "'");
  }
  auto low = parse_double(parts[0]), high = parse_double(parts[1]);
  if (!low || !high) throw InputError(where, field, "LO and HI must be finite numbers, found '" + rest + "'");
  range.low = *low;
  range.high = *high;
  range.log_scale = parts.size() == 3 && parts[2] == "log";
  if (!(range.low < range.high)) throw InputError(where, field, "LO must be smaller than HI");
  if (range.log_scale && range.low <= 0.0) throw InputError(where, field, "a log range needs LO > 0");
  return range;
}

DesignKind parse_design_kind(std::string_view text, std::filesystem::path* file_path) {
  if (text == "grid") return DesignKind::grid;
  if (text == "lhs") return DesignKind::lhs;
  if (text == "sobol") return DesignKind::sobol;
  if (text.starts_with("file:") && text.size() > 5) {
    if (file_path != nullptr) *file_path = std::string(text.substr(5));
    return DesignKind::file;
  }
  throw InputError({"<command line>", 0, 0}, "--design",
                   "unknown design '" + std::string(text) + "'; expected grid, lhs, sobol or file:PATH");
}

Design Design::generated(DesignKind kind, std::vector<ParameterRange> ranges, std::size_t samples,
                         std::uint64_t seed) {
  const SourceLocation where{"<command line>", 0, 0};
  if (ranges.empty()) throw InputError(where, "--vary", "give at least one parameter range NAME=LO:HI");
  if (samples == 0) throw InputError(where, "--samples", "must be at least 1");
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (ranges[i].name == ranges[j].name) throw InputError(where, "--vary " + ranges[i].name, "is given twice");
    }
  }
  Design design;
  design.kind_ = kind;
  design.seed_ = seed;
  for (const auto& r : ranges) {
    design.names_.push_back(r.name);
    design.members_.push_back(r.member);
  }
  const std::size_t d = ranges.size();
  design.ranges_ = std::move(ranges);
  switch (kind) {
    case DesignKind::grid: {
      const auto levels = static_cast<std::size_t>(
          std::max(2.0, std::round(std::pow(static_cast<double>(samples), 1.0 / static_cast<double>(d)))));
      double total = std::pow(static_cast<double>(levels), static_cast<double>(d));
      if (total > static_cast<double>(kMaxGridPoints)) {
        throw InputError(where, "--samples", "a grid of " + std::to_string(levels) + "^" + std::to_string(d) +
                                                 " points is too large; use --design lhs or sobol");
      }
      design.grid_levels_ = levels;
      design.size_ = static_cast<std::size_t>(total);
      break;
    }
    case DesignKind::lhs:
    case DesignKind::sobol:
      if (kind == DesignKind::sobol && d > boost::random::detail::qrng_tables::sobol::max_dimension) {
        throw InputError(where, "--vary", "the Sobol sequence supports at most " +
                                              std::to_string(boost::random::detail::qrng_tables::sobol::max_dimension) + " dimensions");
      }
      design.size_ = samples;
      break;
    case DesignKind::file:
      throw InputError(where, "--design", "file designs are read with Design::from_csv");
  }
  return design;
}

Design Design::from_csv(const std::filesystem::path& file) {
  std::ifstream in(file);
  const std::string name = file.string();
  if (!in) throw InputError({name, 0, 0}, "--design file:" + name, "cannot open parameter-set CSV");
  Design design;
  design.kind_ = DesignKind::file;
  std::string line;
  int line_number = 0;
  bool have_header = false;
  while (std::getline(in, line)) {
    ++line_number;
    const std::string text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    const auto cells = split_commas(text);
    if (!have_header) {
      int column = 1;
      for (const auto& cell : cells) {
        const model::ParameterInfo* info = model::find_parameter(cell);
        if (info == nullptr) {
          throw InputError({name, line_number, column}, cell,
                           "unknown parameter '" + cell + "' in the header; did you mean '" +
                               model::closest_parameter_name(cell) + "'?");
        }
        design.names_.push_back(cell);
        design.members_.push_back(info->member);
        column += static_cast<int>(cell.size()) + 1;
      }
      have_header = true;
      continue;
    }
    if (cells.size() != design.names_.size()) {
      throw InputError({name, line_number, 1}, "row", "expected " + std::to_string(design.names_.size()) +
                                                          " values, found " + std::to_string(cells.size()));
    }
    int column = 1;
    for (std::size_t j = 0; j < cells.size(); ++j) {
      auto value = parse_double(cells[j]);
      if (!value) {
        throw InputError({name, line_number, column}, design.names_[j],
                         "'" + cells[j] + "' is not a finite number");
      }
      design.file_values_.push_back(*value);
      column += static_cast<int>(cells[j].size()) + 1;
    }
    ++design.size_;
  }
  if (!have_header) throw InputError({name, 0, 0}, "header", "the CSV needs a header row of parameter names");
  if (design.size_ == 0) throw InputError({name, line_number, 0}, "row", "the CSV has no parameter rows");
  return design;
}

void Design::unit_point(std::size_t index, std::span<double> unit) const {
  const std::size_t d = ranges_.size();
  if (kind_ == DesignKind::grid) {
    std::size_t rest = index;
    // Last parameter varies fastest, like nested loops written in --vary order.
    for (std::size_t j = d; j-- > 0;) {
      const std::size_t level = rest % grid_levels_;
      rest /= grid_levels_;
      unit[j] = static_cast<double>(level) / static_cast<double>(grid_levels_ - 1);
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
  if (design_.kind_ == DesignKind::file) {
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
  for (std::size_t j = 0; j < d; ++j) values[j] = design_.ranges_[j].value_at(unit_[j]);
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
