#pragma once
/// @file scenario.hpp
/// A scenario: one mother, her delivery, pain, schedules and observed data, loaded from
/// a TOML file (format: docs/scenario-format.md).

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lactsim/model/covariates.hpp"
#include "lactsim/model/pain.hpp"
#include "lactsim/model/parameters.hpp"
#include "lactsim/engine/errors.hpp"
#include "lactsim/io/population_spec.hpp"
#include "lactsim/engine/simulation.hpp"
#include "lactsim/engine/timeline.hpp"

namespace lactsim {

/// One observed value: at a day or at a time, with its spread where known.
struct ObservedPoint {
  std::optional<int> day;         ///< day d = hours [24(d-1), 24d) after birth
  std::optional<double> time_h;   ///< or a time, hours after birth
  double value;                   ///< mean, median or single value
  std::optional<double> sd;       ///< standard deviation
  std::optional<double> min;      ///< lower end of the reported range
  std::optional<double> max;      ///< upper end of the reported range
  SourceLocation where;
};

/// A series of observations of one quantity.
struct ObservedSeries {
  std::string quantity;  ///< e.g. "milk_transferred_daily"
  std::string unit;      ///< as written, e.g. "g/day"
  std::string source;    ///< citation
  std::string label;     ///< short legend text; defaults to the source
  std::vector<ObservedPoint> points;
  SourceLocation where;
};

/// A parameter value set by a scenario file or the command line, with where it came from.
struct ParameterOverride {
  std::string name;
  double value;
  SourceLocation where;
};

/// A session together with the scenario line of the schedule that made it.
struct SessionOrigin {
  Session session;
  SourceLocation where;
};

/// A loaded and validated scenario.
struct Scenario {
  std::filesystem::path file;       ///< as given by the user
  std::string sha256;               ///< of the file's bytes, hex
  std::string text;                 ///< the file's bytes as parsed (`run` copies them into its outputs)
  std::string name;
  std::string description;
  std::string subject;              ///< [scenario] subject: this mother's rows in a case table (case_table.hpp); "" none
  int duration_days = 7;
  model::Covariates covariates;
  double delivery_clock_h = 0.0;    ///< clock time of birth, hours after midnight
  bool delivery_clock_given = false;  ///< [delivery] clock_time was given (else delivery_clock_h is 0)
  std::vector<ParameterOverride> overrides;  ///< scenario's [parameters], then --set, in order
  model::ModelParameters parameters;         ///< defaults for the covariates + overrides
  std::vector<model::PainPoint> observed_pain;  ///< empty: parametric profile
  std::vector<SessionOrigin> sessions;       ///< expanded schedules, sorted by start
  std::vector<ObservedSeries> observed;
  std::optional<PopulationSpec> population;  ///< [population]: a virtual population around this mother
  double birth_weight_g = kDefaultBirthWeight_g;  ///< [infant] birth_weight_g (docs/scenario-format.md)

  /// Simulated time, h.
  double horizon_h() const { return 24.0 * duration_days; }
};

/// Reads, parses and validates a scenario file, with `overrides` (a parameter set, --set)
/// applied after the file's own [parameters]. The parameters are validated once, as they will
/// run: a value of the file that an override replaces is not judged.
/// @throws InputError naming file:line:column and the field for any problem (for a parameter,
///         the override that set it last); naming the file when it is not a regular file (a
///         FIFO or device, refused before it is opened)
Scenario load_scenario(const std::filesystem::path& file, const std::vector<ParameterOverride>& overrides = {});

/// Parses scenario text; `file` is used in messages and provenance only.
/// @throws InputError as load_scenario
Scenario parse_scenario(std::string_view text, const std::filesystem::path& file,
                        const std::vector<ParameterOverride>& overrides = {});

/// Parses "NAME=VALUE" (as given to --set) into an override located at `where`.
/// @throws InputError when malformed, the name is unknown or the value is not a number
ParameterOverride parse_parameter_assignment(std::string_view assignment, const SourceLocation& where);

/// Applies overrides after the scenario's own and re-validates all parameters.
/// @throws InputError naming the override at fault
void apply_overrides(Scenario& scenario, const std::vector<ParameterOverride>& overrides);

/// The simulation input a scenario describes.
SimulationInput to_simulation_input(const Scenario& scenario);

}  // namespace lactsim
