#pragma once
/// @file schedule_variables.hpp
/// Schedule keys of [[feeds]], [[pumping]] and [[massage]] that a design may vary like a
/// parameter (`lactsim sweep --vary feeds.every_h=2:4`), with their bounds, and the
/// scenario's sessions re-expanded with such values (docs/analyses.md, "Schedule and
/// covariate variables").

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lactsim/engine/timeline.hpp"
#include "lactsim/io/scenario.hpp"

namespace lactsim {

/// A schedule key a design may vary: "SECTION.KEY", e.g. "massage.before_each_feed_min".
struct ScheduleVariableInfo {
  std::string_view section;  ///< feeds, pumping or massage
  std::string_view key;      ///< the key of the section's entries
  std::string_view unit;     ///< "h", "min" or "1"
  double lower_bound;        ///< in `unit`
  double upper_bound;        ///< in `unit`
  bool lower_open;           ///< the lower bound itself is excluded (every_h, duration_min)
  bool integer;              ///< takes whole numbers only (every_nth_feed, max_per_day)

  /// "SECTION.KEY".
  std::string name() const { return std::string(section) + "." + std::string(key); }
};

/// Every schedule variable, in documentation order.
std::span<const ScheduleVariableInfo> schedule_variables();

/// The schedule variable called `name` ("SECTION.KEY"); nullptr when there is none.
const ScheduleVariableInfo* find_schedule_variable(std::string_view name);

/// The schedule variable name closest to `name`, for "did you mean" messages.
std::string closest_schedule_variable_name(std::string_view name);

/// A covariate a grid design may vary as a categorical factor: "delivery" ([delivery] mode)
/// or "parity" ([patient] parity). A design holds a level as its index in `levels`.
struct CovariateVariableInfo {
  std::string_view name;                     ///< as given to --vary
  std::string_view table;                    ///< the scenario table that holds it
  std::string_view key;                      ///< its key there
  std::span<const std::string_view> levels;  ///< every level, as written in scenario files
};

/// The covariate variable called `name`; nullptr when there is none.
const CovariateVariableInfo* find_covariate_variable(std::string_view name);

/// One schedule variable set to one value (whole numbers for integer variables), or one
/// covariate set to the level of index `value`.
struct ScheduleSetting {
  const ScheduleVariableInfo* variable = nullptr;     ///< a schedule variable, or
  const CovariateVariableInfo* covariate = nullptr;   ///< a covariate
  double value = 0.0;
};

/// How many of the scenario's entries of the variable's section use a form that has the
/// variable's key (e.g. massage.before_each_feed_min: entries with before_each_feed_min;
/// massage.every_nth_feed: entries relative to feeds; feeds.first_h: entries with every_h;
/// duration_min: every entry).
std::size_t schedule_entries_using(const Scenario& scenario, const ScheduleVariableInfo& variable);

/// The scenario with every schedule setting's value put into each entry of its section whose
/// form has that key, and every covariate setting's level as its delivery mode or parity,
/// loaded as a file written so would be (the scenario's text is read again: `scenario.text`
/// must hold it): schedules expanded and checked, parameters the covariates' defaults with the
/// file's [parameters] and then the scenario's other overrides (--set, parameter sets) on top.
/// @throws InputError as load_scenario does, e.g. when the new sessions overlap
Scenario rescheduled_scenario(const Scenario& scenario, std::span<const ScheduleSetting> settings);

}  // namespace lactsim
