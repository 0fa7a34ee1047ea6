#include "lactsim/io/schedule_variables.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "lactsim/model/edit_distance.hpp"
#include "scenario_table_reader.hpp"
#include "toml_reader.hpp"

namespace lactsim {
namespace {

// The one table of schedule variables and their bounds. every_h at most a day and first_h at
// most the longest horizon (60 days); durations and gaps at most a day, as the scenario loader
// requires; every_nth_feed and max_per_day at most 48 (a feed every half hour).
constexpr double kMaxFirstH = 60.0 * 24.0;
constexpr double kMinutesPerDay = 1440.0;
constexpr double kMaxSessionCount = 48.0;

#define LACTSIM_REPEATING(section)                                      \
  {section, "every_h", "h", 0.0, 24.0, true, false},                    \
  {section, "first_h", "h", 0.0, kMaxFirstH, false, false},             \
  {section, "duration_min", "min", 0.0, kMinutesPerDay, true, false}
#define LACTSIM_FEED_RELATIVE(section)                                             \
  {section, "before_each_feed_min", "min", 0.0, kMinutesPerDay, false, false},     \
  {section, "after_each_feed_min", "min", 0.0, kMinutesPerDay, false, false},      \
  {section, "every_nth_feed", "1", 1.0, kMaxSessionCount, false, true},            \
  {section, "max_per_day", "1", 1.0, kMaxSessionCount, false, true}

constexpr ScheduleVariableInfo kScheduleVariables[] = {
    LACTSIM_REPEATING("feeds"),
    LACTSIM_REPEATING("pumping"), LACTSIM_FEED_RELATIVE("pumping"),
    LACTSIM_REPEATING("massage"), LACTSIM_FEED_RELATIVE("massage"),
};

constexpr std::string_view kDeliveryLevels[] = {"vaginal", "caesarean_planned", "caesarean_emergency"};
constexpr std::string_view kParityLevels[] = {"primiparous", "multiparous"};
constexpr CovariateVariableInfo kCovariateVariables[] = {
    {"delivery", "delivery", "mode", kDeliveryLevels},
    {"parity", "patient", "parity", kParityLevels},
};

#undef LACTSIM_REPEATING
#undef LACTSIM_FEED_RELATIVE

/// Whether a schedule entry's form (every_h, feed-relative, clock or list) has `key`.
bool entry_form_has(const toml::table& entry, std::string_view key) {
  if (key == "duration_min") return true;
  const bool before = entry.contains("before_each_feed_min"), after = entry.contains("after_each_feed_min");
  if (key == "every_nth_feed" || key == "max_per_day") return before || after;
  if (key == "before_each_feed_min") return before;
  if (key == "after_each_feed_min") return after;
  return entry.contains("every_h");  // every_h, first_h
}

/// The entries of `section` in a parsed scenario (none when absent).
toml::array* section_entries(toml::table& root, std::string_view section) {
  toml::node* node = root.get(section);
  return node == nullptr ? nullptr : node->as_array();
}

}  // namespace

std::span<const ScheduleVariableInfo> schedule_variables() { return kScheduleVariables; }

const ScheduleVariableInfo* find_schedule_variable(std::string_view name) {
  for (const ScheduleVariableInfo& variable : kScheduleVariables) {
    if (name.size() == variable.section.size() + 1 + variable.key.size() && name.starts_with(variable.section) &&
        name[variable.section.size()] == '.' && name.ends_with(variable.key)) {
      return &variable;
    }
  }
  return nullptr;
}

const CovariateVariableInfo* find_covariate_variable(std::string_view name) {
  for (const CovariateVariableInfo& covariate : kCovariateVariables) {
    if (covariate.name == name) return &covariate;
  }
  return nullptr;
}

std::string closest_schedule_variable_name(std::string_view name) {
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const ScheduleVariableInfo& variable : kScheduleVariables) {
    const std::string candidate = variable.name();
    const std::size_t distance = model::suggestion_distance(name, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::size_t schedule_entries_using(const Scenario& scenario, const ScheduleVariableInfo& variable) {
  toml::table root = detail::parse_toml_document(scenario.text, scenario.file.string());
  const toml::array* entries = section_entries(root, variable.section);
  if (entries == nullptr) return 0;
  return static_cast<std::size_t>(std::count_if(entries->begin(), entries->end(), [&](const toml::node& node) {
    const toml::table* entry = node.as_table();
    return entry != nullptr && entry_form_has(*entry, variable.key);
  }));
}

Scenario rescheduled_scenario(const Scenario& scenario, std::span<const ScheduleSetting> settings) {
  toml::table root = detail::parse_toml_document(scenario.text, scenario.file.string());
  for (const ScheduleSetting& setting : settings) {
    if (const CovariateVariableInfo* covariate = setting.covariate) {
      // [patient] is optional in a scenario file: made when absent.
      if (!root.contains(covariate->table)) root.insert(covariate->table, toml::table{});
      toml::table* table = root.get(covariate->table)->as_table();
      const auto level = static_cast<std::size_t>(std::llround(setting.value));
      table->insert_or_assign(covariate->key, std::string(covariate->levels[level]));
      continue;
    }
    toml::array* entries = section_entries(root, setting.variable->section);
    if (entries == nullptr) continue;
    for (toml::node& node : *entries) {
      toml::table* entry = node.as_table();
      if (entry == nullptr || !entry_form_has(*entry, setting.variable->key)) continue;
      if (setting.variable->integer) {
        entry->insert_or_assign(setting.variable->key, static_cast<std::int64_t>(std::llround(setting.value)));
      } else {
        entry->insert_or_assign(setting.variable->key, setting.value);
      }
    }
  }
  // The scenario's overrides (its file's [parameters], then --set and parameter sets) on top
  // of the defaults of the covariates now set: what the file set stays as it set it.
  return detail::read_scenario_table(root, scenario.file.string(), scenario.overrides);
}

}  // namespace lactsim
