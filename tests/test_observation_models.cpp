// Observation models (docs/model.md §Observation models): [[expression_attempts]], the first
// colostrum seen on expression and the mother's perceived onset, as endpoints and observables.
// Expected values come from the timeseries (a recorder separate from the endpoint recorder
// under test) or from the construction of the case.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/io/run_outputs.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;
using test::quoted;
namespace st = model::state;

constexpr double kOneMinute_h = 1.0 / 60.0;

/// A 3-day vaginal mother (feeds every 3 h from 1 h) with `extra` TOML appended.
Scenario mother(const std::string& extra, const std::string& file = "obs.toml") {
  return parse_scenario(test::short_vaginal_scenario_toml("obs") + extra, file);
}

/// Five-minute attempts at 2.5, 26.5 and 50.5 h: between feeds (1, 4, ... h), each an exact
/// number of minutes after birth so the 1-min timeseries has rows at their edges.
const std::string kAttempts = "[[expression_attempts]]\nstart_times_h = [2.5, 26.5, 50.5]\nduration_min = 5\n";
const double kAttemptStarts_h[] = {2.5, 26.5, 50.5};

RunResult run_every_minute(const Scenario& scenario) {
  RunOptions options;
  options.output_step_h = kOneMinute_h;
  return test::run(scenario, options);
}

/// The timeseries row at `time_h` (on the 1-min grid).
const TimeseriesRow& row_at(const RunResult& result, double time_h) {
  const auto it = std::find_if(result.timeseries.begin(), result.timeseries.end(),
                               [&](const TimeseriesRow& r) { return std::abs(r.time_h - time_h) < 1e-9; });
  if (it == result.timeseries.end()) throw std::runtime_error("no timeseries row at " + std::to_string(time_h));
  return *it;
}

/// Volume expressed in the 5-min attempt starting at `start_h`, read from the timeseries.
double attempt_volume_ml(const RunResult& result, double start_h) {
  return row_at(result, start_h + 5.0 * kOneMinute_h).state[st::milk_expressed] -
         row_at(result, start_h).state[st::milk_expressed];
}

TEST(ExpressionAttempts, AreShortExpressionSessionsAtTheScheduledTimes) {
  const Scenario scenario = mother(kAttempts);
  std::vector<Session> pumps;
  for (const SessionOrigin& o : scenario.sessions) {
    if (o.session.kind == SessionKind::pump) pumps.push_back(o.session);
  }
  ASSERT_EQ(pumps.size(), 3u);
  for (std::size_t i = 0; i < pumps.size(); ++i) {
    EXPECT_DOUBLE_EQ(pumps[i].start_h, kAttemptStarts_h[i]);
    EXPECT_NEAR(pumps[i].end_h - pumps[i].start_h, 5.0 / 60.0, 1e-12);
  }
  // The feed-relative keys of [[pumping]] work the same: 30 min after each feed ends, day 1 only.
  const Scenario relative =
      mother("[[expression_attempts]]\nafter_each_feed_min = 30\ndays = [1]\nduration_min = 5\n");
  const auto count = std::count_if(relative.sessions.begin(), relative.sessions.end(),
                                   [](const SessionOrigin& o) { return o.session.kind == SessionKind::pump; });
  EXPECT_EQ(count, 8);  // feeds at 1, 4, ..., 22 h: eight on day 1, each followed by an attempt
}

TEST(ExpressionAttempts, RemoveStoredMilkIntoTheExpressedTotalAndConserveMass) {
  const RunResult with = run_every_minute(mother(kAttempts));
  const RunResult without = run_every_minute(mother(""));
  EXPECT_EQ(without.endpoints.milk_expressed_total_ml, 0.0);
  EXPECT_GT(with.endpoints.milk_expressed_total_ml, 0.0);
  for (double start_h : kAttemptStarts_h) {
    const model::State &a = row_at(with, start_h).state, &b = row_at(with, start_h + 5.0 * kOneMinute_h).state;
    const double expressed = b[st::milk_expressed] - a[st::milk_expressed];
    EXPECT_GT(expressed, 0.0) << start_h;
    // No feed runs during an attempt: the store changes by what was made minus what was expressed.
    const double synthesised = b[st::milk_synthesised] - a[st::milk_synthesised];
    EXPECT_NEAR(b[st::milk_stored] - a[st::milk_stored], synthesised - expressed, 1e-6) << start_h;
    EXPECT_DOUBLE_EQ(b[st::milk_transferred], a[st::milk_transferred]) << start_h;
  }
  EXPECT_LT(with.endpoints.mass_balance_relative_error, 1e-6);
  // Before the first attempt the two runs are the same mother.
  EXPECT_NEAR(row_at(with, 2.5).state[st::milk_stored], row_at(without, 2.5).state[st::milk_stored], 1e-6);
}

TEST(FirstColostrum, IsTheStartOfTheFirstAttemptWhoseVolumeReachesTheThreshold) {
  const RunResult reference = run_every_minute(mother(kAttempts));
  std::vector<double> volumes;
  for (double start_h : kAttemptStarts_h) volumes.push_back(attempt_volume_ml(reference, start_h));
  // The store fills over the first days, so later attempts yield more (this case needs it).
  ASSERT_LT(volumes[0], volumes[1]);
  ASSERT_LT(volumes[1], volumes[2]);
  auto first_colostrum = [&](double threshold_ml) {
    return test::run(mother(kAttempts + "[parameters]\ncolostrum_visible_threshold_ml = " +
                            std::to_string(threshold_ml) + "\n"))
        .endpoints.first_colostrum_h;
  };
  // Threshold 0: any attempt shows colostrum, so the first one does.
  EXPECT_EQ(first_colostrum(0.0), std::optional<double>(2.5));
  // Between the first and second attempt's volumes: the second; between the second and third: the third.
  EXPECT_EQ(first_colostrum(0.5 * (volumes[0] + volumes[1])), std::optional<double>(26.5));
  EXPECT_EQ(first_colostrum(0.5 * (volumes[1] + volumes[2])), std::optional<double>(50.5));
  // Above every attempt's volume: absent.
  EXPECT_FALSE(first_colostrum(50.0).has_value());
}

TEST(FirstColostrum, PumpingSessionsCountAsAttemptsAndNoSessionMeansAbsent) {
  const Scenario pumping =
      mother("[[pumping]]\nstart_times_h = [7.5]\nduration_min = 15\n[parameters]\ncolostrum_visible_threshold_ml = 0\n");
  EXPECT_EQ(test::run(pumping).endpoints.first_colostrum_h, std::optional<double>(7.5));
  const Scenario none = mother("[parameters]\ncolostrum_visible_threshold_ml = 0\n");
  const Endpoints endpoints = test::run(none).endpoints;
  EXPECT_FALSE(endpoints.first_colostrum_h.has_value());
  // In the endpoint tables (sweep, population, compare, Python) an absent time is NaN.
  const std::size_t index = find_endpoint("first_colostrum_time_h", 3, "endpoint");
  EXPECT_TRUE(std::isnan(endpoint_value(endpoints, index, 3)));
}

TEST(FirstColostrum, AMassageBeforeAnAttemptDoesNotMakeColostrumLater) {
  // The same attempts, with and without a 15-min massage ending as each starts.
  const std::string massage = "[[massage]]\nstart_times_h = [2.25, 26.25, 50.25]\nduration_min = 15\n";
  const RunResult with = run_every_minute(mother(kAttempts + massage));
  const RunResult without = run_every_minute(mother(kAttempts));
  for (double start_h : kAttemptStarts_h) {
    EXPECT_GE(attempt_volume_ml(with, start_h), attempt_volume_ml(without, start_h)) << start_h;
  }
  constexpr double kNever = std::numeric_limits<double>::infinity();
  for (double threshold_ml : {0.0, 0.1, 0.3, 0.6, 1.0, 2.0, 5.0}) {
    const std::string set = "[parameters]\ncolostrum_visible_threshold_ml = " + std::to_string(threshold_ml) + "\n";
    const auto massaged = test::run(mother(kAttempts + massage + set)).endpoints.first_colostrum_h;
    const auto plain = test::run(mother(kAttempts + set)).endpoints.first_colostrum_h;
    EXPECT_LE(massaged.value_or(kNever), plain.value_or(kNever)) << threshold_ml << " mL";
  }
}

TEST(PerceivedOnset, IsWhenTheStoreFirstReachesTheLevelAndMovesLaterWithIt) {
  const RunResult reference = run_every_minute(mother("[parameters]\nperceived_onset_stored_ml = 40\n"));
  ASSERT_TRUE(reference.endpoints.perceived_onset_h.has_value());
  // The first timeseries row at or above 40 mL lies at most one minute after the crossing (the
  // endpoint interpolates linearly inside a solver step; the rows come from the dense output).
  const auto first = std::find_if(reference.timeseries.begin(), reference.timeseries.end(),
                                  [](const TimeseriesRow& r) { return r.state[st::milk_stored] >= 40.0; });
  ASSERT_NE(first, reference.timeseries.end());
  EXPECT_NEAR(*reference.endpoints.perceived_onset_h, first->time_h, 2.0 * kOneMinute_h);
  // Monotone in the level: a fuller breast is felt no earlier; a level never reached is absent.
  double previous = 0.0;
  for (double level_ml : {1.0, 5.0, 20.0, 40.0, 60.0, 80.0}) {
    const auto onset = test::run(mother("[parameters]\nperceived_onset_stored_ml = " + std::to_string(level_ml) + "\n"))
                           .endpoints.perceived_onset_h;
    ASSERT_TRUE(onset.has_value()) << level_ml;
    EXPECT_GE(*onset, previous) << level_ml;
    previous = *onset;
  }
  EXPECT_GT(previous, 24.0);  // 80 mL is not stored on day 1
  // Stored at birth (5 mL by default) at or above the level: felt from birth.
  EXPECT_EQ(test::run(mother("[parameters]\nperceived_onset_stored_ml = 1\n")).endpoints.perceived_onset_h,
            std::optional<double>(0.0));
  EXPECT_FALSE(test::run(mother("[parameters]\nperceived_onset_stored_ml = 600\n")).endpoints.perceived_onset_h);
}

TEST(ObservationModelObservables, EventTimesAreTheEndpointsAndCensoredAtTheHorizonWhenAbsent) {
  const std::string observed = R"(
[[observed]]
quantity = "first_colostrum_time"
unit = "h"
source = "test"
points = [{ time_h = 3.0, value = 3.0, sd = 1.0 }]

[[observed]]
quantity = "perceived_onset_time"
unit = "h"
source = "test"
points = [{ time_h = 60.0, value = 60.0, sd = 6.0 }]
)";
  const Scenario scenario = mother(kAttempts + "[parameters]\ncolostrum_visible_threshold_ml = 0\n" + observed);
  const RunResult result = test::run(scenario);
  const auto comparisons = compare_observations(scenario, result);
  ASSERT_EQ(comparisons.size(), 2u);
  EXPECT_EQ(comparisons[0].observation.model_unit, "h");
  EXPECT_DOUBLE_EQ(comparisons[0].simulated, 2.5);  // the first attempt
  EXPECT_FALSE(comparisons[0].censored);
  ASSERT_TRUE(result.endpoints.perceived_onset_h.has_value());
  EXPECT_DOUBLE_EQ(comparisons[1].simulated, *result.endpoints.perceived_onset_h);
  // No attempt reaches 50 mL: the time is only known to be later than the 72-h horizon.
  const Scenario never = mother(kAttempts + "[parameters]\ncolostrum_visible_threshold_ml = 50\n" + observed);
  const auto censored = compare_observations(never, test::run(never));
  EXPECT_TRUE(censored[0].censored);
  EXPECT_DOUBLE_EQ(censored[0].simulated, 72.0);
}

TEST(ObservationModelObservables, BadUnitsNamesAndSchedulesNameFileLineAndField) {
  struct Bad {
    std::string toml, field, message;
    int line;  ///< of the snippet: the key's line, or the table's when the key is missing
  };
  const Bad bads[] = {
      {"[[observed]]\nquantity = \"first_colostrum_time\"\nunit = \"min\"\nsource = \"s\"\n"
       "points = [{ time_h = 3.0, value = 3.0 }]\n",
       "observed[0].unit", "is not one of h", 3},
      {"[[observed]]\nquantity = \"perceived_onset\"\nunit = \"h\"\nsource = \"s\"\n"
       "points = [{ time_h = 3.0, value = 3.0 }]\n",
       "observed[0].quantity", "did you mean 'perceived_onset_time'", 2},
      {"[[expression_attempts]]\nstart_times_h = [2.5]\n", "expression_attempts[0].duration_min", "", 1},
      {"[[expression_attempts]]\nstart_times_h = [2.5]\nduration_min = 5\nevery_h = 4\n", "expression_attempts[0]",
       "give exactly one of", 1},
  };
  const std::string head = test::short_vaginal_scenario_toml("bad");
  const int head_lines = static_cast<int>(std::count(head.begin(), head.end(), '\n'));
  for (const Bad& bad : bads) {
    try {
      mother(bad.toml, "bad.toml");
      ADD_FAILURE() << bad.toml << ": accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.exit_code(), ExitCode::bad_input);
      EXPECT_EQ(e.where().file, "bad.toml");
      EXPECT_EQ(e.where().line, head_lines + bad.line) << e.what();
      EXPECT_NE(std::string(e.what()).find(bad.field), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(bad.message), std::string::npos) << e.what();
    }
  }
  // An attempt overlapping a pumping session: both are expression sessions of one breast pair.
  try {
    mother("[[pumping]]\nstart_times_h = [2.25]\nduration_min = 30\n" + kAttempts, "bad.toml");
    ADD_FAILURE() << "overlap accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("overlap"), std::string::npos) << e.what();
  }
  // Through the CLI: exit code 2 and file:line in the message.
  const fs::path dir = test::fresh_temp_dir("observation_models");
  test::write_text(dir / "bad.toml", head + bads[0].toml);
  const auto r = test::run_cli("run " + quoted(dir / "bad.toml") + " -q --out " + quoted(dir / "out"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.toml:" + std::to_string(head_lines + bads[0].line)), std::string::npos) << r.err;
  fs::remove_all(dir);
}

TEST(ObservationModelOutputs, SummaryJsonHoldsBothTimesNullWhenAbsent) {
  const Scenario scenario = mother(kAttempts + "[parameters]\ncolostrum_visible_threshold_ml = 0\n");
  const RunOptions options;
  const RunResult result = test::run(scenario, options);
  const std::string json = summary_json(scenario, options, result, result.endpoints, {});
  EXPECT_NE(json.find("\"first_colostrum_time_h\": 2.5"), std::string::npos) << json;
  EXPECT_NE(json.find("\"perceived_onset_time_h\": "), std::string::npos) << json;
  const Scenario none = mother("");
  const RunResult none_result = test::run(none, options);
  const std::string absent = summary_json(none, options, none_result, none_result.endpoints, {});
  EXPECT_NE(absent.find("\"first_colostrum_time_h\": null"), std::string::npos) << absent;
}

}  // namespace
}  // namespace lactsim
