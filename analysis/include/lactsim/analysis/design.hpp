#pragma once
/// @file design.hpp
/// Experimental designs over parameter ranges: full grid, Latin hypercube and Sobol
/// low-discrepancy points, plus parameter sets read from a CSV file. Every design point is
/// a pure function of (design, sample index), so samples can be computed in any order, on
/// any thread, shard or rank, with identical results.

#include <boost/random/sobol.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lactsim/model/parameters.hpp"
#include "lactsim/engine/errors.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/schedule_variables.hpp"

namespace lactsim {

/// One varied parameter or schedule variable: its range and scale.
struct ParameterRange {
  std::string name;        ///< registry name, e.g. "massage_ot_rise_uU_ml", or "SECTION.KEY" of a schedule variable
  double low;              ///< lower end, in the parameter's unit
  double high;             ///< upper end, in the parameter's unit
  bool log_scale = false;  ///< uniform in log(value) instead of value
  double model::ModelParameters::*member = nullptr;  ///< nullptr for a schedule variable
  const ScheduleVariableInfo* schedule = nullptr;     ///< the schedule variable, or nullptr for a parameter
  const CovariateVariableInfo* covariate = nullptr;   ///< a categorical covariate (grid designs only), or nullptr
  std::vector<std::size_t> levels;  ///< a covariate's levels, as indices in covariate->levels, in the order given

  /// The value at unit coordinate `u` in [0, 1].
  double value_at(double u) const;
};

/// Parses "NAME=LO:HI" or "NAME=LO:HI:log" (as given to `lactsim sweep --vary`). NAME is a
/// registry parameter or a schedule variable "SECTION.KEY" (schedule_variables.hpp); an
/// integer schedule variable takes whole LO and HI and no log scale. "delivery=A,B,..." and
/// "parity=A,B" are categorical covariates (docs/analyses.md, "Schedule and covariate variables").
/// @throws InputError at `where` naming the field "ranges NAME=LO:HI" for an unknown name,
///         malformed numbers, LO >= HI, a non-positive LO on a log scale, or a range outside
///         the parameter's or schedule variable's bounds
ParameterRange parse_parameter_range(std::string_view text, const SourceLocation& where);

/// The ranges as manifest.json records them.
std::vector<ManifestRange> manifest_ranges(const std::vector<ParameterRange>& ranges);

/// Kind of design: generated (grid, lhs, sobol), read from a CSV file, or given in memory.
enum class DesignKind { grid, lhs, sobol, file, samples };

/// Parses "grid", "lhs", "sobol" or "file:PATH" into a kind (and the path for files).
/// @throws InputError naming the argument "design" when unknown
DesignKind parse_design_kind(std::string_view text, std::filesystem::path* file_path);

/// A design: how sample i maps to parameter values.
class Design {
 public:
  /// Grid with round(n^(1/d)) levels per dimension (at least 2; ends included), Latin
  /// hypercube of n points, or the first n points of the Sobol sequence (Boost.Random's
  /// Joe–Kuo direction numbers; the all-zero point is skipped). An integer schedule
  /// variable takes every whole number LO..HI in a grid (the other d' dimensions then get
  /// round((n / its levels)^(1/d')) levels, at least 2); in LHS and Sobol designs its value
  /// is drawn uniformly on [LO − 0.5, HI + 0.5] and rounded to the nearest whole number, so
  /// each of LO..HI is equally likely. A covariate takes each of its levels in a grid (like an
  /// integer variable); its value is the level's index in CovariateVariableInfo::levels.
  /// @throws InputError naming the argument ("ranges", "samples", "kind") when ranges are
  ///         empty or repeat a name, n is 0 or too large, the grid would be too large, or a
///         covariate is given to an lhs or sobol design
  static Design generated(DesignKind kind, std::vector<ParameterRange> ranges, std::size_t samples,
                          std::uint64_t seed);

  /// Parameter sets from a CSV file: a header of registry names (or schedule variables),
  /// then one row per sample.
  /// @throws InputError naming file:line and column name for any malformed cell
  static Design from_csv(const std::filesystem::path& file);

  /// Parameter sets given in memory (e.g. a 2-D NumPy array): `values` holds one row per
  /// sample, `parameter_names.size()` values each, row-major. Checked like a file: names
  /// must be registry names or schedule variables, each once; values finite (whole numbers
  /// for integer schedule variables). Values outside a parameter's bounds
  /// are not refused here: like a file's, such a sample is a failed row of the sweep.
  /// @throws InputError naming the argument "parameter_names" (unknown or repeated name,
  ///         none given) or "samples" (no rows, a size not a multiple of the names, a
  ///         non-finite value: naming row and column)
  static Design from_samples(std::vector<std::string> parameter_names, std::vector<double> values);

  /// Number of samples.
  std::size_t size() const { return size_; }
  /// Names of the varied parameters, in column order.
  const std::vector<std::string>& names() const { return names_; }
  /// Member pointers of the varied parameters, in column order (nullptr for schedule variables).
  const std::vector<double model::ModelParameters::*>& members() const { return members_; }
  /// The schedule variable of each column, in column order (nullptr for parameters).
  const std::vector<const ScheduleVariableInfo*>& schedule_variables() const { return schedule_variables_; }
  /// The covariate of each column, in column order (nullptr for the others).
  const std::vector<const CovariateVariableInfo*>& covariates() const { return covariates_; }
  /// True when some column is a schedule variable or a covariate (samples then load the
  /// scenario again with their values: rescheduled_scenario).
  bool has_schedule_variables() const;
  /// Kind of design.
  DesignKind kind() const { return kind_; }

  /// A per-thread reader of design points (Sobol points are generated incrementally).
  class Cursor {
   public:
    explicit Cursor(const Design& design);
    /// Writes sample `index`'s parameter values into `values` (size = names().size()).
    void values(std::size_t index, std::span<double> values);

   private:
    const Design& design_;
    std::optional<boost::random::sobol> sobol_;
    std::size_t next_sobol_index_ = 0;
    std::vector<double> unit_;
  };

 private:
  Design() = default;
  /// Unit-cube coordinates of a generated design's sample `index` (not for Sobol).
  void unit_point(std::size_t index, std::span<double> unit) const;

  DesignKind kind_ = DesignKind::grid;
  std::vector<ParameterRange> ranges_;
  std::vector<std::string> names_;
  std::vector<double model::ModelParameters::*> members_;
  std::vector<const ScheduleVariableInfo*> schedule_variables_;
  std::vector<const CovariateVariableInfo*> covariates_;
  std::size_t size_ = 0;
  std::vector<std::size_t> grid_levels_;  ///< per dimension
  std::uint64_t seed_ = 0;
  std::vector<double> file_values_;  ///< row-major, file and in-memory designs only
};

/// Position of `index` in a pseudo-random permutation of [0, n) keyed by `key`: a
/// four-round Feistel network with cycle walking (Black & Rogaway 2002, CT-RSA), so a
/// Latin hypercube needs no stored permutation (memory flat in n).
std::uint64_t keyed_permutation(std::uint64_t index, std::uint64_t n, std::uint64_t key);

}  // namespace lactsim
