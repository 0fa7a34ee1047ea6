// Scenario files: TOML → validated Scenario. The format is documented in
// docs/scenario-format.md; keep the two in step.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/io/case_table.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/io/scenario.hpp"
#include "sha256.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/engine/unit_conversion.hpp"
#include "parameter_table_reader.hpp"
#include "population_table_reader.hpp"
#include "relative_schedule.hpp"
#include "scenario_table_reader.hpp"
#include "toml_reader.hpp"

namespace lactsim {
namespace {

using detail::TomlTable;

constexpr int kMaxDurationDays = 60;
// More sessions than this is a typo (e.g. every_h in minutes), not a mother: 100 a day for 60 days.
constexpr std::size_t kMaxSessions = 6000;

/// "HH:MM" → hours after midnight; empty when malformed.
std::optional<double> parse_clock_time(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9' ? text[i] - '0' : -1; };
  const int h1 = digit(0), h2 = digit(1), m1 = digit(3), m2 = digit(4);
  if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) return std::nullopt;
  const int hours = h1 * 10 + h2, minutes = m1 * 10 + m2;
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours + minutes / kMinutesPerHour;
}

double clock_time_field(const TomlTable& table, std::string_view key) {
  const std::string text = table.required_string(key);
  auto hours = parse_clock_time(text);
  if (!hours) table.fail(key, "'" + text + "' is not a clock time; write \"HH:MM\" in 24-hour time, e.g. \"08:00\"");
  return *hours;
}

/// The scenario file being read, with what has been loaded so far.
class ScenarioReader {
 public:
  /// @param extra_overrides applied after the file's [parameters] (parameter sets, --set)
  ScenarioReader(const toml::table& root, std::string file, const std::vector<ParameterOverride>& extra_overrides)
      : root_(root, "", std::move(file)), extra_overrides_(extra_overrides) {}

  Scenario read() {
    root_.reject_unknown_keys({"scenario", "delivery", "patient", "parameters", "pain", "feeds", "pumping", "massage",
                               "observed", "population", "infant", "expression_attempts"});
    read_header();
    read_covariates();
    read_infant();
    read_parameters();
    read_pain();
    read_schedules("feeds", SessionKind::feed);
    read_schedules("pumping", SessionKind::pump);
    // Hand-expression attempts are short expression sessions: the pump's removal and stimulus
    // (docs/model.md §Observation models), so they share its kind and must not overlap it.
    read_schedules("expression_attempts", SessionKind::pump);
    read_schedules("massage", SessionKind::massage);
    check_overlaps();
    read_observed();
    read_population();
    return std::move(scenario_);
  }

 private:
  void read_header() {
    const TomlTable header = root_.required_table("scenario");
    header.reject_unknown_keys({"name", "description", "duration_days", "subject"});
    scenario_.name = header.required_string("name");
    if (scenario_.name.empty()) header.fail("name", "must not be empty");
    scenario_.description = header.optional_string("description").value_or("");
    scenario_.subject = header.optional_string("subject").value_or("");
    // A case table refuses these in its subject cells, so such a subject could match no row.
    if (header.has("subject")) {
      if (const std::string problem = subject_name_problem(scenario_.subject); !problem.empty()) {
        header.fail("subject", problem);
      }
    }
    const long long days = header.required_integer("duration_days");
    if (days < 1 || days > kMaxDurationDays) {
      header.fail("duration_days", "must be a whole number of days from 1 to " + std::to_string(kMaxDurationDays) +
                                       ", found " + std::to_string(days));
    }
    scenario_.duration_days = static_cast<int>(days);
  }

  void read_covariates() {
    const TomlTable delivery = root_.required_table("delivery");
    delivery.reject_unknown_keys({"mode", "clock_time"});
    const std::string mode = delivery.required_string("mode");
    auto parsed_mode = model::parse_delivery_mode(mode);
    if (!parsed_mode) {
      delivery.fail("mode", "unknown delivery mode '" + mode +
                                "'; expected vaginal, caesarean_planned or caesarean_emergency (did you mean '" +
                                detail::closest_word(mode, {"vaginal", "caesarean_planned", "caesarean_emergency"}) +
                                "'?)");
    }
    scenario_.covariates.delivery_mode = *parsed_mode;
    scenario_.delivery_clock_h = delivery.has("clock_time") ? clock_time_field(delivery, "clock_time") : 0.0;
    scenario_.delivery_clock_given = delivery.has("clock_time");
    delivery_location_ = delivery.location();

    if (auto patient = root_.optional_table("patient")) {
      patient->reject_unknown_keys({"parity"});
      if (auto parity = patient->optional_string("parity")) {
        auto parsed = model::parse_parity(*parity);
        if (!parsed) {
          patient->fail("parity", "unknown parity '" + *parity + "'; expected primiparous or multiparous");
        }
        scenario_.covariates.parity = *parsed;
      }
    }
  }

  /// [infant]: the newborn whose weight the milk transfer feeds (docs/model.md §Infant weight).
  void read_infant() {
    auto infant = root_.optional_table("infant");
    if (!infant) return;
    infant->reject_unknown_keys({"birth_weight_g"});
    if (auto weight = infant->optional_number("birth_weight_g")) {
      if (!(*weight >= kMinBirthWeight_g && *weight <= kMaxBirthWeight_g)) {
        infant->fail("birth_weight_g", "must be from " + format_number(kMinBirthWeight_g) + " to " +
                                           format_number(kMaxBirthWeight_g) + " g (term and near-term newborns), found " +
                                           format_number(*weight));
      }
      scenario_.birth_weight_g = *weight;
    }
  }

  /// The file's [parameters] and then the extra overrides, validated once, together: what
  /// runs is judged, and each boundary checks a scenario's parameters once (docs/scenario-format.md).
  void read_parameters() {
    scenario_.parameters = model::default_parameters(scenario_.covariates);
    if (auto table = root_.optional_table("parameters")) scenario_.overrides = detail::read_parameter_table(*table);
    if (scenario_.overrides.empty() && extra_overrides_.empty()) return;
    apply_overrides(scenario_, extra_overrides_);
  }

  void read_pain() {
    auto pain = root_.optional_table("pain");
    if (!pain) return;
    pain->reject_unknown_keys({"profile", "points"});
    const std::string profile = pain->optional_string("profile").value_or("parametric");
    const toml::array* points = pain->optional_array("points");
    if (profile == "parametric") {
      if (points != nullptr) pain->fail("points", "points are only read with profile = \"observed\"");
      return;
    }
    if (profile != "observed") {
      pain->fail("profile", "unknown pain profile '" + profile + "'; expected \"parametric\" or \"observed\"");
    }
    if (points == nullptr || points->empty()) {
      pain->fail("points", "profile = \"observed\" needs at least one point {time_h = ..., nrs = ...}");
    }
    std::size_t index = 0;
    for (const toml::node& node : *points) {
      const std::string path = pain->field("points") + "[" + std::to_string(index++) + "]";
      auto point_table = node.as_table();
      if (point_table == nullptr) {
        throw InputError(pain->location_of_node(node), path,
                         "expected a table {time_h = ..., nrs = ...}, found " + detail::describe_type(node));
      }
      TomlTable point(*point_table, path, root_.file());
      point.reject_unknown_keys({"time_h", "nrs"});
      const double time_h = point.required_number("time_h");
      const double nrs = point.required_number("nrs");
      if (time_h < 0.0) point.fail("time_h", "must not be negative");
      if (time_h > scenario_.horizon_h()) point.fail("time_h", "is past the horizon of " + horizon_text());
      if (nrs < 0.0 || nrs > 10.0) point.fail("nrs", "a pain score must be within [0, 10]");
      if (!scenario_.observed_pain.empty() && time_h <= scenario_.observed_pain.back().time_h) {
        point.fail("time_h", "pain points must be in strictly increasing time order");
      }
      scenario_.observed_pain.push_back({time_h, nrs});
    }
  }

  void read_schedules(std::string_view key, SessionKind kind) {
    const toml::node* node = root_.raw().get(key);
    if (node == nullptr) return;
    const toml::array* entries = node->as_array();
    if (entries == nullptr) {
      root_.fail(key, "expected an array of tables [[" + std::string(key) + "]], found " + detail::describe_type(*node));
    }
    std::size_t index = 0;
    for (const toml::node& entry : *entries) {
      const std::string path = std::string(key) + "[" + std::to_string(index++) + "]";
      auto table = entry.as_table();
      if (table == nullptr) {
        throw InputError(root_.location_of_node(entry), path, "expected a table, found " + detail::describe_type(entry));
      }
      read_schedule(TomlTable(*table, path, root_.file()), kind);
    }
  }

  void read_schedule(const TomlTable& table, SessionKind kind) {
    table.reject_unknown_keys({"every_h", "first_h", "until_h", "clock_times", "days", "start_times_h",
                               "before_each_feed_min", "after_each_feed_min", "every_nth_feed", "max_per_day",
                               "duration_min"});
    if (kind == SessionKind::feed) {
      for (auto key : {"before_each_feed_min", "after_each_feed_min", "every_nth_feed", "max_per_day"}) {
        if (table.has(key)) {
          table.fail(key, "feeds cannot be scheduled relative to feeds; this key belongs in [[pumping]] or [[massage]]");
        }
      }
    }
    const bool relative = table.has("before_each_feed_min") || table.has("after_each_feed_min");
    if (!relative) {
      for (auto key : {"every_nth_feed", "max_per_day"}) {
        if (table.has(key)) table.fail(key, "only used with before_each_feed_min or after_each_feed_min");
      }
    }
    const double duration_min = table.required_number("duration_min");
    if (duration_min <= 0.0) table.fail("duration_min", "must be positive");
    if (duration_min > kHoursPerDay * kMinutesPerHour) table.fail("duration_min", "must not exceed one day (1440 min)");
    const double duration_h = duration_min / kMinutesPerHour;
    const int forms = int(table.has("every_h")) + int(table.has("clock_times")) + int(table.has("start_times_h")) +
                      int(table.has("before_each_feed_min")) + int(table.has("after_each_feed_min"));
    if (forms != 1) {
      table.fail("", "give exactly one of every_h (repeating), clock_times (with days), start_times_h (a list)" +
                         std::string(kind == SessionKind::feed
                                         ? ""
                                         : ", before_each_feed_min or after_each_feed_min (relative to feeds)"));
    }
    const SourceLocation where = table.location();
    auto add = [&](double start_h, std::string_view field) {
      if (scenario_.sessions.size() >= kMaxSessions) {
        table.fail(field, "more than " + std::to_string(kMaxSessions) + " sessions in one scenario; is every_h in hours?");
      }
      if (start_h >= scenario_.horizon_h()) {
        table.fail(field, "a session at " + format_hours(start_h) + " is past the horizon of " + horizon_text());
      }
      scenario_.sessions.push_back({{kind, start_h, start_h + duration_h}, where});
    };

    if (table.has("every_h")) {
      for (auto key : {"clock_times", "days"}) {
        if (table.has(key)) table.fail(key, "not used with every_h");
      }
      const double every_h = table.required_number("every_h");
      if (every_h <= 0.0) table.fail("every_h", "must be positive");
      const double first_h = table.optional_number("first_h").value_or(0.0);
      if (first_h < 0.0) table.fail("first_h", "must not be negative");
      const double until_h = table.optional_number("until_h").value_or(scenario_.horizon_h());
      if (until_h > scenario_.horizon_h()) {
        table.fail("until_h", format_hours(until_h) + " is past the horizon of " + horizon_text());
      }
      if (until_h <= first_h) table.fail("until_h", "must be later than first_h");
      // Count sessions by index (not by accumulating) so times carry no rounding drift.
      for (long long i = 0;; ++i) {
        const double start = first_h + static_cast<double>(i) * every_h;
        if (start >= until_h) break;
        add(start, "every_h");
      }
      return;
    }
    for (auto key : {"first_h", "until_h"}) {
      if (table.has(key)) table.fail(key, "only used with every_h");
    }
    if (relative) {
      for (double start : feed_relative_starts(read_feed_relative_schedule(table, duration_h))) {
        add(start, table.has("before_each_feed_min") ? "before_each_feed_min" : "after_each_feed_min");
      }
      return;
    }
    if (table.has("start_times_h")) {
      if (table.has("days")) table.fail("days", "not used with start_times_h");
      for (const toml::node& node : *table.optional_array("start_times_h")) {
        auto value = detail::as_number(node);
        if (!value || !std::isfinite(*value)) {
          throw InputError(table.location_of_node(node), table.field("start_times_h"),
                           "expected finite numbers (hours after birth), found " + detail::describe_type(node));
        }
        if (*value < 0.0) {
          throw InputError(table.location_of_node(node), table.field("start_times_h"), "must not be negative");
        }
        add(*value, "start_times_h");
      }
      return;
    }
    if (!scenario_.delivery_clock_given) {
      throw InputError(delivery_location_, "delivery.clock_time",
                       "clock-time schedules (" + table.path() + ".clock_times) need the clock time of birth");
    }
    const toml::array* clock_times = table.optional_array("clock_times");
    if (!table.has("days")) {
      table.fail("days", "clock_times need days = [1, 2, ...] (day d = hours [24(d-1), 24d) after birth)");
    }
    for (const int day : read_days(table)) {
      for (const toml::node& clock_node : *clock_times) {
        auto text = clock_node.as_string();
        auto clock_h = text ? parse_clock_time(text->get()) : std::nullopt;
        if (!clock_h) {
          throw InputError(table.location_of_node(clock_node), table.field("clock_times"),
                           "expected \"HH:MM\" clock times, e.g. \"08:00\"");
        }
        // The occurrence of this clock time inside day d's window [24(d-1), 24d).
        const double offset_h = std::fmod(*clock_h - scenario_.delivery_clock_h + kHoursPerDay, kHoursPerDay);
        add(kHoursPerDay * static_cast<double>(day - 1) + offset_h, "days");
      }
    }
  }

  /// The schedule's `days` list: whole days from 1 within the horizon.
  std::vector<int> read_days(const TomlTable& table) const {
    std::vector<int> days;
    for (const toml::node& day_node : *table.optional_array("days")) {
      auto day = day_node.as_integer();
      if (day == nullptr || day->get() < 1) {
        throw InputError(table.location_of_node(day_node), table.field("days"),
                         "days are whole numbers from 1, found " + detail::describe_type(day_node));
      }
      if (day->get() > scenario_.duration_days) {
        throw InputError(table.location_of_node(day_node), table.field("days"),
                         "day " + std::to_string(day->get()) + " is past the horizon of " + horizon_text());
      }
      days.push_back(static_cast<int>(day->get()));
    }
    return days;
  }

  /// before_each_feed_min or after_each_feed_min with its options, checked.
  detail::FeedRelativeSchedule read_feed_relative_schedule(const TomlTable& table, double duration_h) const {
    detail::FeedRelativeSchedule schedule;
    const bool before = table.has("before_each_feed_min");
    const char* key = before ? "before_each_feed_min" : "after_each_feed_min";
    schedule.anchor = before ? detail::FeedAnchor::before_feed_start : detail::FeedAnchor::after_feed_end;
    const double gap_min = table.required_number(key);
    if (gap_min < 0.0 || gap_min > kHoursPerDay * kMinutesPerHour) {
      table.fail(key, "must be from 0 to 1440 min, found " + format_number(gap_min));
    }
    schedule.gap_h = gap_min / kMinutesPerHour;
    schedule.duration_h = duration_h;
    if (auto every_nth = table.optional_integer("every_nth_feed")) {
      if (*every_nth < 1) table.fail("every_nth_feed", "must be a whole number from 1, found " + std::to_string(*every_nth));
      schedule.every_nth_feed = *every_nth;
    }
    if (auto max_per_day = table.optional_integer("max_per_day")) {
      if (*max_per_day < 1) table.fail("max_per_day", "must be a whole number from 1, found " + std::to_string(*max_per_day));
      schedule.max_per_day = *max_per_day;
    }
    if (table.has("days")) schedule.days = read_days(table);
    if (!std::any_of(scenario_.sessions.begin(), scenario_.sessions.end(),
                     [](const SessionOrigin& o) { return o.session.kind == SessionKind::feed; })) {
      table.fail(key, "is relative to feeds, but the scenario has no [[feeds]]");
    }
    return schedule;
  }

  /// Start times of a feed-relative schedule, against every feed read so far ([[feeds]] are
  /// read first, so that is all of them), in order of start.
  std::vector<double> feed_relative_starts(const detail::FeedRelativeSchedule& schedule) const {
    std::vector<Session> feeds;
    for (const SessionOrigin& o : scenario_.sessions) {
      if (o.session.kind == SessionKind::feed) feeds.push_back(o.session);
    }
    std::stable_sort(feeds.begin(), feeds.end(), [](const Session& a, const Session& b) { return a.start_h < b.start_h; });
    return detail::feed_relative_starts(feeds, schedule, scenario_.horizon_h());
  }

  void check_overlaps() {
    auto& sessions = scenario_.sessions;
    std::stable_sort(sessions.begin(), sessions.end(), [](const SessionOrigin& a, const SessionOrigin& b) {
      return a.session.start_h < b.session.start_h;
    });
    for (auto kind : {SessionKind::feed, SessionKind::pump, SessionKind::massage}) {
      const SessionOrigin* previous = nullptr;
      for (const SessionOrigin& current : sessions) {
        if (current.session.kind != kind) continue;
        if (previous != nullptr && current.session.start_h < previous->session.end_h) {
          throw InputError(current.where, std::string(to_string(kind)),
                           std::string(to_string(kind)) + " sessions overlap: one at " +
                               format_hours(previous->session.start_h) + "-" + format_hours(previous->session.end_h) +
                               " (schedule at line " + std::to_string(previous->where.line) + ") and one starting at " +
                               format_hours(current.session.start_h));
        }
        previous = &current;
      }
    }
  }

  void read_observed() {
    const toml::node* node = root_.raw().get("observed");
    if (node == nullptr) return;
    const toml::array* entries = node->as_array();
    if (entries == nullptr) root_.fail("observed", "expected an array of tables [[observed]]");
    std::size_t index = 0;
    for (const toml::node& entry : *entries) {
      const std::string path = "observed[" + std::to_string(index++) + "]";
      auto raw = entry.as_table();
      if (raw == nullptr) throw InputError(root_.location_of_node(entry), path, "expected a table");
      TomlTable table(*raw, path, root_.file());
      table.reject_unknown_keys({"quantity", "unit", "source", "label", "points"});
      ObservedSeries series;
      series.where = table.location();
      series.quantity = table.required_string("quantity");
      series.unit = table.required_string("unit");
      series.source = table.required_string("source");
      series.label = table.optional_string("label").value_or(series.source);
      check_quantity_and_unit(table, series);
      const toml::array* points = table.optional_array("points");
      if (points == nullptr || points->empty()) table.fail("points", "an observed series needs at least one point");
      std::size_t point_index = 0;
      for (const toml::node& point_node : *points) {
        const std::string point_path = table.field("points") + "[" + std::to_string(point_index++) + "]";
        auto point_raw = point_node.as_table();
        if (point_raw == nullptr) {
          throw InputError(table.location_of_node(point_node), point_path, "expected a table {day = ..., value = ...}");
        }
        series.points.push_back(read_observed_point(TomlTable(*point_raw, point_path, root_.file())));
      }
      scenario_.observed.push_back(std::move(series));
    }
  }

  static void check_quantity_and_unit(const TomlTable& table, const ObservedSeries& series) {
    struct Allowed {
      std::string_view quantity;
      std::initializer_list<std::string_view> units;
    };
    static const Allowed kAllowed[] = {
        {"milk_transferred_daily", {"mL/day", "g/day"}}, {"milk_expressed_daily", {"mL/day", "g/day"}},
        {"milk_expressed_session", {"mL", "g"}},        {"prolactin", {"ng/mL"}},
        {"oxytocin", {"uU/mL", "pg/mL"}},                {"pain", {"NRS"}},
        {"onset_time", {"h"}},                          {"infant_weight", {"g", "kg"}},
        {"infant_weight_change", {"%"}},                {"first_colostrum_time", {"h"}},
        {"perceived_onset_time", {"h"}},
    };
    for (const auto& allowed : kAllowed) {
      if (allowed.quantity != series.quantity) continue;
      if (std::find(allowed.units.begin(), allowed.units.end(), series.unit) != allowed.units.end()) return;
      std::string list;
      for (auto unit : allowed.units) list += (list.empty() ? "" : ", ") + std::string(unit);
      table.fail("unit", "unit '" + series.unit + "' is not one of " + list + " for " + series.quantity);
    }
    table.fail("quantity", "unknown observed quantity '" + series.quantity + "'; did you mean '" +
                               detail::closest_word(series.quantity,
                                                    {"milk_transferred_daily", "milk_expressed_daily",
                                                     "milk_expressed_session", "prolactin", "oxytocin", "pain",
                                                     "onset_time", "infant_weight", "infant_weight_change",
                                                     "first_colostrum_time", "perceived_onset_time"}) +
                               "'?");
  }

  ObservedPoint read_observed_point(const TomlTable& point) const {
    point.reject_unknown_keys({"day", "time_h", "value", "sd", "min", "max"});
    ObservedPoint p{};
    p.where = point.location();
    if (point.has("day") == point.has("time_h")) point.fail("", "give exactly one of day or time_h");
    if (auto day = point.optional_integer("day")) {
      if (*day < 1 || *day > scenario_.duration_days) {
        point.fail("day", "day " + std::to_string(*day) + " is outside days 1-" +
                              std::to_string(scenario_.duration_days) + " of the horizon");
      }
      p.day = static_cast<int>(*day);
    }
    if (auto time_h = point.optional_number("time_h")) {
      if (*time_h < 0.0 || *time_h > scenario_.horizon_h()) point.fail("time_h", "is outside the horizon " + horizon_text());
      p.time_h = *time_h;
    }
    p.value = point.required_number("value");
    p.sd = point.optional_number("sd");
    p.min = point.optional_number("min");
    p.max = point.optional_number("max");
    // Bounded so that no residual, standardised residual or its square can overflow
    // (with the SD floor kMinObservationSd that weighted_observations applies).
    auto check_magnitude = [&](std::string_view key, const std::optional<double>& number) {
      if (!number || std::abs(*number) <= kMaxObservedMagnitude) return;
      char bound[32];
      std::snprintf(bound, sizeof bound, "%g", kMaxObservedMagnitude);
      point.fail(key, format_number(*number) + " is out of range: observed numbers must have a magnitude of at most " +
                          bound + " in the unit of their series");
    };
    check_magnitude("value", p.value);
    if (p.sd && !(*p.sd > 0.0)) {
      point.fail("sd", "must be positive (an sd of 0 would give this point infinite weight); leave sd out to weight "
                       "it by its range, the spread of subjects or the default CV");
    }
    check_magnitude("sd", p.sd);
    check_magnitude("min", p.min);
    check_magnitude("max", p.max);
    if (p.min.has_value() != p.max.has_value()) point.fail(p.min ? "min" : "max", "give both min and max, or neither");
    if (p.min && *p.min > *p.max) point.fail("min", "min must not exceed max");
    return p;
  }

  // [population]: the table's reading is shared with standalone population files
  // (population_table_reader.hpp); here it is also checked against this mother's parameters.
  void read_population() {
    auto table = root_.optional_table("population");
    if (!table) return;
    PopulationSpec spec = detail::read_population_table(*table);
    PopulationSampler check(spec, scenario_.parameters);  // inconsistent correlations fail here, located
    scenario_.population = std::move(spec);
  }

  std::string horizon_text() const {
    return std::to_string(scenario_.duration_days) + " days (" + format_hours(scenario_.horizon_h()) + ")";
  }

  static std::string format_hours(double h) {
    std::ostringstream out;
    out << h << " h";
    return out.str();
  }

  TomlTable root_;
  const std::vector<ParameterOverride>& extra_overrides_;
  Scenario scenario_;
  SourceLocation delivery_location_;
};

}  // namespace

Scenario detail::read_scenario_table(const toml::table& root, std::string file,
                                     const std::vector<ParameterOverride>& overrides) {
  return ScenarioReader(root, std::move(file), overrides).read();
}

Scenario parse_scenario(std::string_view text, const std::filesystem::path& file,
                        const std::vector<ParameterOverride>& overrides) {
  const std::string file_name = file.string();
  const toml::table root = detail::parse_toml_document(text, file_name);
  Scenario scenario = detail::read_scenario_table(root, file_name, overrides);
  // Weigh the observations here, at load, so that every command (`check` included) refuses the
  // files `run` would: a point with no usable SD, a per-session volume with no pumping session.
  weighted_observations(scenario);
  scenario.file = file;
  scenario.sha256 = sha256_hex(text);
  scenario.text = std::string(text);
  return scenario;
}

Scenario load_scenario(const std::filesystem::path& file, const std::vector<ParameterOverride>& overrides) {
  refuse_non_regular_input_file(file);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0, 0}, "", "cannot open scenario file");
  return parse_scenario(read_bounded(in, file, limits::kMaxTomlFileBytes, ""), file, overrides);
}

ParameterOverride parse_parameter_assignment(std::string_view assignment, const SourceLocation& where) {
  const auto equals = assignment.find('=');
  const std::string field = "set_assignments " + std::string(assignment);
  if (equals == std::string_view::npos || equals == 0) {
    throw InputError(where, field, "expected NAME=VALUE, e.g. massage_ot_rise_uU_ml=0");
  }
  const std::string name(assignment.substr(0, equals));
  const std::string text(assignment.substr(equals + 1));
  if (model::find_parameter(name) == nullptr) {
    throw InputError(where, field,
                     "unknown parameter '" + name + "'; did you mean '" + model::closest_parameter_name(name) + "'?");
  }
  const auto value = parse_plain_number(text);
  if (!value) {
    throw InputError(where, field,
                     "'" + text + "' is not a finite number in plain decimal notation (such as 3, -0.5 or 1e-3)");
  }
  return {name, *value, where};
}

void apply_overrides(Scenario& scenario, const std::vector<ParameterOverride>& overrides) {
  scenario.overrides.insert(scenario.overrides.end(), overrides.begin(), overrides.end());
  model::ModelParameters parameters = model::default_parameters(scenario.covariates);
  for (const ParameterOverride& o : scenario.overrides) {
    const model::ParameterInfo* info = model::find_parameter(o.name);
    if (info == nullptr) throw InputError(o.where, o.name, "unknown parameter '" + o.name + "'");
    parameters.*(info->member) = o.value;
  }
  for (const auto& violation : model::validate_parameters(parameters)) {
    // Name the override responsible when there is one; the last one wins.
    auto culprit = std::find_if(scenario.overrides.rbegin(), scenario.overrides.rend(),
                                [&](const ParameterOverride& o) { return o.name == violation.parameter; });
    if (culprit == scenario.overrides.rend()) {  // a cross-constraint broken by another override
      culprit = std::find_if(scenario.overrides.rbegin(), scenario.overrides.rend(), [&](const ParameterOverride& o) {
        return violation.message.find(o.name) != std::string::npos;
      });
    }
    const SourceLocation where = culprit != scenario.overrides.rend()
                                     ? culprit->where
                                     : SourceLocation{scenario.file.string(), 0, 0};
    throw InputError(where, "parameters." + violation.parameter, violation.message);
  }
  scenario.parameters = parameters;
}

SimulationInput to_simulation_input(const Scenario& scenario) {
  SimulationInput input;
  input.parameters = scenario.parameters;
  input.covariates = scenario.covariates;
  input.observed_pain = scenario.observed_pain;
  input.horizon_h = scenario.horizon_h();
  input.birth_weight_g = scenario.birth_weight_g;
  input.sessions.reserve(scenario.sessions.size());
  for (const auto& s : scenario.sessions) input.sessions.push_back(s.session);
  return input;
}

}  // namespace lactsim
