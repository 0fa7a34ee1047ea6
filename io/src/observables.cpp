#include "lactsim/io/observables.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>

#include "lactsim/engine/infant_weight.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/engine/text_format.hpp"
#include "lactsim/engine/unit_conversion.hpp"

namespace lactsim {
namespace {

constexpr double kTimeTolerance_h = 1e-9;
// A per-session volume given at time_h refers to the pumping session running at that time or
// starting within this window after it (a study's "session at 08:00" starting at 08:05).
constexpr double kSessionMatchWindow_h = 1.0;
// A reported range spans about ±2 SD (Hozo, Djulbegovic & Hozo 2005, BMC Med Res Methodol 5:13).
constexpr double kRangeToSdDivisor = 4.0;

bool is_infant_weight_quantity(const std::string& quantity) {
  return quantity == "infant_weight" || quantity == "infant_weight_change";
}

bool needs_timeseries(const WeightedObservation& o) {
  return o.quantity == "prolactin" || o.quantity == "oxytocin" || o.quantity == "pain" ||
         (is_infant_weight_quantity(o.quantity) && o.time_h.has_value()) ||
         (o.quantity == "milk_expressed_session" && o.session.has_value());
}

bool is_daily_quantity(const std::string& quantity) {
  return quantity == "milk_transferred_daily" || quantity == "milk_expressed_daily";
}

/// Day containing a time after birth (day d = hours [24(d-1), 24d)).
int day_of(double time_h) { return static_cast<int>(std::floor(time_h / kHoursPerDay + kTimeTolerance_h)) + 1; }

/// Value of `pick(row)` at `time_h`, linear between timeseries rows.
template <typename Pick>
double interpolate(const std::vector<TimeseriesRow>& rows, double time_h, Pick pick, const SourceLocation& where) {
  if (rows.empty()) throw InputError(where, "time_h", "this observation needs the timeseries; run with an output step");
  auto after = std::lower_bound(rows.begin(), rows.end(), time_h,
                                [](const TimeseriesRow& row, double t) { return row.time_h < t - kTimeTolerance_h; });
  if (after == rows.end()) return pick(rows.back());
  if (after == rows.begin() || std::abs(after->time_h - time_h) <= kTimeTolerance_h) return pick(*after);
  const auto before = after - 1;
  const double u = (time_h - before->time_h) / (after->time_h - before->time_h);
  return (1.0 - u) * pick(*before) + u * pick(*after);
}

/// Time-weighted mean of `pick(row)` over day `day` (trapezoid rule on the timeseries grid).
template <typename Pick>
double day_mean(const std::vector<TimeseriesRow>& rows, int day, Pick pick, const SourceLocation& where) {
  const double start = kHoursPerDay * (day - 1), end = start + kHoursPerDay;
  double area = 0.0, covered = 0.0;
  // Only the intervals overlapping the day contribute: start at the first row after the day's
  // start, so the cost per observation is one day's rows, not the whole run's.
  const auto first_after_start = std::upper_bound(rows.begin(), rows.end(), start,
                                                  [](double t, const TimeseriesRow& row) { return t < row.time_h; });
  const std::size_t first = std::max<std::size_t>(1, static_cast<std::size_t>(first_after_start - rows.begin()));
  for (std::size_t i = first; i < rows.size() && rows[i - 1].time_h < end; ++i) {
    const double t0 = std::max(rows[i - 1].time_h, start), t1 = std::min(rows[i].time_h, end);
    if (t1 <= t0) continue;
    const double mid = 0.5 * (t0 + t1);
    area += (t1 - t0) * interpolate(rows, mid, pick, where);
    covered += t1 - t0;
  }
  if (covered <= 0.0) throw InputError(where, "day", "the run's timeseries does not cover day " + std::to_string(day));
  return area / covered;
}

double picked(const TimeseriesRow& row, const std::string& quantity) {
  if (quantity == "prolactin") return row.derived.prolactin_total_ng_ml;
  if (quantity == "oxytocin") return row.state[model::state::oxytocin];
  if (quantity == "pain") return row.derived.felt_pain_nrs;  // what the mother feels after massage relief (no delivery stress)
  return row.state[model::state::milk_expressed];
}

/// Sums over the single values per subject that share one day or time (docs/fitting.md §Weights, rule 3).
struct SubjectValues {
  double sum = 0.0, sum_of_squares = 0.0;
  std::size_t count = 0;
};

/// The day or time a point refers to: points with equal keys are subjects measured together.
using SubjectKey = std::pair<std::optional<int>, std::optional<double>>;

/// The subject sums of every day/time of a series, in one pass over its points in series
/// order, so that weighting n points costs O(n log n) rather than a scan of all n per point.
std::map<SubjectKey, SubjectValues> subject_values_by_time(const ObservedSeries& series) {
  std::map<SubjectKey, SubjectValues> groups;
  for (const ObservedPoint& point : series.points) {
    if (point.sd || point.min) continue;  // a point with its own spread is not one subject's value
    SubjectValues& group = groups[{point.day, point.time_h}];
    group.sum += point.value;
    group.sum_of_squares += point.value * point.value;
    ++group.count;
  }
  return groups;
}

const DailyTotals& day_totals(const RunResult& result, int day, const SourceLocation& where) {
  if (day < 1 || static_cast<std::size_t>(day) > result.daily.size()) {
    throw InputError(where, "day", "the run has no day " + std::to_string(day));
  }
  return result.daily[static_cast<std::size_t>(day - 1)];
}

}  // namespace

std::string_view to_string(SigmaOrigin origin) {
  switch (origin) {
    case SigmaOrigin::reported_sd: return "sd";
    case SigmaOrigin::range_over_4: return "range/4";
    case SigmaOrigin::subject_spread: return "subject_spread";
    case SigmaOrigin::default_cv: return "default_cv";
  }
  return "unknown";
}

std::vector<WeightedObservation> weighted_observations(const Scenario& scenario, double default_cv) {
  if (!std::isfinite(default_cv) || default_cv <= 0.0) {
    throw InputError({kArgumentsOrigin, 0, 0}, "default_cv", "must be a positive number");
  }
  std::vector<WeightedObservation> out;
  for (std::size_t s = 0; s < scenario.observed.size(); ++s) {
    const ObservedSeries& series = scenario.observed[s];
    const auto factor = to_model_unit_factor(series.quantity, series.unit);
    if (!factor) {
      throw InputError(series.where, "observed[" + std::to_string(s) + "].unit",
                       "no conversion from '" + series.unit + "' to the model unit of " + series.quantity);
    }
    const std::string unit(*model_unit(series.quantity));
    const auto subjects = subject_values_by_time(series);
    for (std::size_t p = 0; p < series.points.size(); ++p) {
      const ObservedPoint& point = series.points[p];
      const std::string field = "observed[" + std::to_string(s) + "].points[" + std::to_string(p) + "]";
      WeightedObservation o;
      o.series_index = s;
      o.point_index = p;
      o.quantity = series.quantity;
      o.model_unit = unit;
      o.day = point.day;
      o.time_h = point.time_h;
      o.where = point.where;
      o.observed = *factor * point.value;
      if (point.min) o.min = *factor * *point.min, o.max = *factor * *point.max;
      // A reported sd is used as given, 0 included (the loader refuses 0), so that it is never
      // silently replaced by another rule.
      if (point.sd) {
        o.sigma = *factor * *point.sd;
        o.sigma_origin = SigmaOrigin::reported_sd;
      } else if (point.min && *point.max > *point.min) {
        o.sigma = (*o.max - *o.min) / kRangeToSdDivisor;
        o.sigma_origin = SigmaOrigin::range_over_4;
      } else {
        // Single values per subject: the spread of the subjects at the same day/time.
        const auto group = subjects.find({point.day, point.time_h});
        const double sum = group == subjects.end() ? 0.0 : group->second.sum;
        const double sum_sq = group == subjects.end() ? 0.0 : group->second.sum_of_squares;
        const std::size_t n = group == subjects.end() ? 0 : group->second.count;
        const double variance = n >= 2 ? (sum_sq - sum * sum / n) / static_cast<double>(n - 1) : 0.0;
        if (variance > 0.0) {
          o.sigma = *factor * std::sqrt(variance);
          o.sigma_origin = SigmaOrigin::subject_spread;
        } else {
          o.sigma = default_cv * std::abs(o.observed);
          o.sigma_origin = SigmaOrigin::default_cv;
        }
      }
      if (o.sigma == 0.0 && o.sigma_origin == SigmaOrigin::default_cv) {
        throw InputError(point.where, field + ".sd",
                         "cannot weight a value of 0 with no sd or range; give sd = ... for this point");
      }
      // Below this floor a residual over σ, or its square, could overflow to infinity.
      if (!(o.sigma >= kMinObservationSd) || !std::isfinite(o.sigma)) {
        throw InputError(point.where, field + ".sd",
                         "the SD this point would be weighted by (" + format_number(o.sigma) + " " + unit + ", from " +
                             std::string(to_string(o.sigma_origin)) + ") is below the smallest usable SD, " +
                             format_number(kMinObservationSd) + " " + unit + "; give a larger sd = ... for this point");
      }
      if (o.quantity == "milk_expressed_session" && o.time_h) {
        const double t = *o.time_h;
        for (const SessionOrigin& origin : scenario.sessions) {
          const Session& session = origin.session;
          if (session.kind != SessionKind::pump) continue;
          if (session.start_h <= t + kSessionMatchWindow_h && session.end_h > t) {
            o.session = session;
            break;
          }
        }
        if (!o.session) {
          throw InputError(point.where, field + ".time_h",
                           "no pumping session runs at or starts within 1 h after this time");
        }
      }
      if (o.quantity == "milk_expressed_session" && o.day) {
        const double start = kHoursPerDay * (*o.day - 1), end = start + kHoursPerDay;
        const bool any = std::any_of(scenario.sessions.begin(), scenario.sessions.end(), [&](const SessionOrigin& x) {
          return x.session.kind == SessionKind::pump && x.session.start_h >= start && x.session.start_h < end;
        });
        if (!any) throw InputError(point.where, field + ".day", "no pumping session on this day");
      }
      out.push_back(std::move(o));
    }
  }
  return out;
}

double observation_output_step_h(const std::vector<WeightedObservation>& observations) {
  // Candidate spacings, coarsest first: 1 h, 30, 15, 5 and 1 min.
  constexpr double kCandidates_h[] = {1.0, 0.5, 0.25, 1.0 / 12.0, 1.0 / 60.0};
  std::vector<double> times;
  bool any = false, day_means = false;
  for (const auto& o : observations) {
    if (!needs_timeseries(o)) continue;
    any = true;
    if (o.session) {
      times.push_back(o.session->start_h);
      times.push_back(o.session->end_h);
    } else if (o.time_h) {
      times.push_back(*o.time_h);
    } else {
      day_means = true;
    }
  }
  if (!any) return 0.0;
  for (double step : kCandidates_h) {
    if (day_means && step > 1.0 / 12.0) continue;  // day means need a fine grid
    const bool fits = std::all_of(times.begin(), times.end(), [&](double t) {
      const double k = t / step;
      return std::abs(k - std::round(k)) <= 1e-7;
    });
    if (fits) return step;
  }
  return 1.0 / 60.0;
}

double simulated_value(const WeightedObservation& o, const RunResult& result, const SimulationInput& input,
                       bool* censored) {
  const double horizon_h = input.horizon_h;
  const model::ModelParameters& parameters = input.parameters;
  const double birth_weight_g = input.birth_weight_g;
  if (censored != nullptr) *censored = false;
  // Event times: the endpoint; an event that did not happen within the horizon is only known
  // to be later than it (right-censored at the horizon).
  const std::optional<double>* event_h = o.quantity == "onset_time"             ? &result.endpoints.onset_h
                                         : o.quantity == "first_colostrum_time" ? &result.endpoints.first_colostrum_h
                                         : o.quantity == "perceived_onset_time" ? &result.endpoints.perceived_onset_h
                                                                                : nullptr;
  if (event_h != nullptr) {
    if (event_h->has_value()) return **event_h;
    if (censored != nullptr) *censored = true;
    return horizon_h;
  }
  if (is_daily_quantity(o.quantity)) {
    const int day = o.day ? *o.day : day_of(*o.time_h);
    const DailyTotals& totals = day_totals(result, day, o.where);
    return o.quantity == "milk_transferred_daily" ? totals.milk_transferred_ml : totals.milk_expressed_ml;
  }
  if (is_infant_weight_quantity(o.quantity)) {
    // At a time: the milk transferred is interpolated and the losses taken in closed form; on
    // a day: the weight at the day's end (a day's weighing, docs/scenario-format.md).
    double weight_g = 0.0;
    if (o.time_h) {
      auto transferred = [](const TimeseriesRow& row) { return row.state[model::state::milk_transferred]; };
      weight_g = infant_weight_g(parameters, birth_weight_g, interpolate(result.timeseries, *o.time_h, transferred, o.where),
                                 *o.time_h);
    } else {
      weight_g = day_totals(result, *o.day, o.where).infant_weight_g;
    }
    return o.quantity == "infant_weight" ? weight_g : weight_change_percent(weight_g, birth_weight_g);
  }
  if (o.quantity == "milk_expressed_session") {
    if (o.session) {
      auto pick = [](const TimeseriesRow& row) { return row.state[model::state::milk_expressed]; };
      return interpolate(result.timeseries, o.session->end_h, pick, o.where) -
             interpolate(result.timeseries, o.session->start_h, pick, o.where);
    }
    const DailyTotals& totals = day_totals(result, *o.day, o.where);
    return totals.pumps > 0 ? totals.milk_expressed_ml / totals.pumps : 0.0;
  }
  auto pick = [&](const TimeseriesRow& row) { return picked(row, o.quantity); };
  if (o.time_h) return interpolate(result.timeseries, *o.time_h, pick, o.where);
  return day_mean(result.timeseries, *o.day, pick, o.where);
}

std::vector<ObservationComparison> compare_observations(const Scenario& scenario, const RunResult& result,
                                                        double default_cv) {
  std::vector<ObservationComparison> out;
  const SimulationInput input = to_simulation_input(scenario);
  for (WeightedObservation& o : weighted_observations(scenario, default_cv)) {
    ObservationComparison c;
    c.simulated = simulated_value(o, result, input, &c.censored);
    c.observation = std::move(o);
    // Observed numbers and SDs are bounded at load, so only an absurd simulated value can get
    // here; it must stop the run rather than reach observed.csv or chi-square as inf or nan.
    const double z = c.standardised_residual();
    if (!std::isfinite(z * z)) {
      const WeightedObservation& w = c.observation;
      throw SimulationError(w.time_h ? *w.time_h : kHoursPerDay * w.day.value_or(0), "",
                            "the simulated " + w.quantity + " (" + format_number(c.simulated) + " " + w.model_unit +
                                ") against observed[" + std::to_string(w.series_index) + "].points[" +
                                std::to_string(w.point_index) + "] at " + w.where.to_string() +
                                " gives a standardised residual whose square is not finite");
    }
    out.push_back(std::move(c));
  }
  return out;
}

ComparisonMetrics comparison_metrics(const std::vector<ObservationComparison>& comparisons) {
  ComparisonMetrics m;
  std::size_t within_sd = 0, within_range = 0;
  double abs_z = 0.0;
  std::vector<double> sum_sq;
  for (const ObservationComparison& c : comparisons) {
    const WeightedObservation& o = c.observation;
    const double z = c.standardised_residual();
    ++m.points;
    m.chi_square += z * z;
    abs_z += std::abs(z);
    if (o.sigma_origin == SigmaOrigin::reported_sd) {
      ++m.points_with_sd;
      if (std::abs(c.residual()) <= o.sigma) ++within_sd;
    }
    if (o.min) {
      ++m.points_with_range;
      if (c.simulated >= *o.min && c.simulated <= *o.max) ++within_range;
    }
    auto it = std::find_if(m.rmse.begin(), m.rmse.end(), [&](const QuantityRmse& q) { return q.quantity == o.quantity; });
    if (it == m.rmse.end()) {
      m.rmse.push_back({o.quantity, o.model_unit, 0, 0.0});
      sum_sq.push_back(0.0);
      it = m.rmse.end() - 1;
    }
    const auto k = static_cast<std::size_t>(it - m.rmse.begin());
    ++it->points;
    sum_sq[k] += c.residual() * c.residual();
  }
  for (std::size_t k = 0; k < m.rmse.size(); ++k) m.rmse[k].rmse = std::sqrt(sum_sq[k] / m.rmse[k].points);
  if (m.points > 0) m.mean_abs_standardised_residual = abs_z / static_cast<double>(m.points);
  if (m.points_with_sd > 0) m.fraction_within_1sd = double(within_sd) / double(m.points_with_sd);
  if (m.points_with_range > 0) m.fraction_within_range = double(within_range) / double(m.points_with_range);
  return m;
}

std::string observed_csv(const Scenario& scenario, const std::vector<ObservationComparison>& comparisons) {
  return observed_csv(scenario, comparisons, "", "", true);
}

std::string observed_csv(const Scenario& scenario, const std::vector<ObservationComparison>& comparisons,
                         const std::string& leading_column, const std::string& leading_value, bool with_header) {
  const std::string lead = leading_column.empty() ? std::string() : csv_escape(leading_value) + ",";
  std::string out;
  if (with_header) {
    out = (leading_column.empty() ? std::string() : csv_escape(leading_column) + ",") +
          "series,quantity,unit,day,time_h,observed,simulated,residual,standardised_residual,sd,sd_origin,"
          "range_min,range_max,censored,source,label\n";
  }
  auto optional_number = [](const std::optional<double>& v) { return v ? format_number(*v) : std::string(); };
  for (const ObservationComparison& c : comparisons) {
    const WeightedObservation& o = c.observation;
    const ObservedSeries& series = scenario.observed[o.series_index];
    out += lead + std::to_string(o.series_index) + "," + o.quantity + "," + o.model_unit + "," +
           (o.day ? std::to_string(*o.day) : std::string()) + "," + optional_number(o.time_h) + "," +
           format_number(o.observed) + "," + format_number(c.simulated) + "," + format_number(c.residual()) + "," +
           format_number(c.standardised_residual()) + "," + format_number(o.sigma) + "," +
           std::string(to_string(o.sigma_origin)) + "," + optional_number(o.min) + "," + optional_number(o.max) + "," +
           (c.censored ? "1" : "0") + "," + csv_escape(series.source) + "," + csv_escape(series.label) + "\n";
  }
  return out;
}

void write_metrics_json(JsonWriter& json, const ComparisonMetrics& m) {
  json.begin_object();
  json.key("points").value(m.points);
  json.key("chi_square").value(m.chi_square);
  json.key("mean_abs_standardised_residual").value(m.mean_abs_standardised_residual);
  json.key("points_with_sd").value(m.points_with_sd);
  json.key("fraction_within_1sd").value(m.fraction_within_1sd);
  json.key("points_with_range").value(m.points_with_range);
  json.key("fraction_within_range").value(m.fraction_within_range);
  json.key("rmse").begin_array();
  for (const QuantityRmse& q : m.rmse) {
    json.begin_object();
    json.key("quantity").value(q.quantity).key("unit").value(q.unit).key("points").value(q.points);
    json.key("rmse").value(q.rmse);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

std::string metrics_text(const std::string& label, const ComparisonMetrics& m) {
  char line[256];
  std::snprintf(line, sizeof line, "%s: %zu observed points, chi-square %.3g, mean |standardised residual| %.2f",
                label.c_str(), m.points, m.chi_square, m.mean_abs_standardised_residual);
  std::string out = line;
  if (m.fraction_within_1sd) {
    std::snprintf(line, sizeof line, ", within 1 SD %zu/%zu", static_cast<std::size_t>(std::lround(*m.fraction_within_1sd * m.points_with_sd)), m.points_with_sd);
    out += line;
  }
  if (m.fraction_within_range) {
    std::snprintf(line, sizeof line, ", within range %zu/%zu",
                  static_cast<std::size_t>(std::lround(*m.fraction_within_range * m.points_with_range)),
                  m.points_with_range);
    out += line;
  }
  out += "\n";
  for (const QuantityRmse& q : m.rmse) {
    std::snprintf(line, sizeof line, "    RMSE %-24s %10.4g %s (%zu points)\n", q.quantity.c_str(), q.rmse,
                  q.unit.c_str(), q.points);
    out += line;
  }
  return out;
}

}  // namespace lactsim
