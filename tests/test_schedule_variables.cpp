// Schedule variables in designs (`lactsim sweep --vary feeds.every_h=2:4`): a sweep over a
// schedule key gives the endpoints of scenario files written with that value (the loader's
// own path, an independent reference); integer keys take whole numbers; bad names, forms the
// scenario lacks and ranges outside the bounds are refused before running; a sample whose
// schedule overlaps fails alone; resume fingerprints and the sensitivity runner see them.
// Delivery mode and parity as categorical factors of grid designs: each row is the scenario
// file written with those covariates (the mode's defaults, the file's own parameters kept).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "lactsim/analysis/design.hpp"
#include "lactsim/analysis/resumable_runs.hpp"
#include "lactsim/analysis/scenario_sensitivity.hpp"
#include "lactsim/analysis/sweep.hpp"
#include "lactsim/engine/fast_endpoints.hpp"
#include "lactsim/io/scenario.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

const SourceLocation kArgs{kArgumentsOrigin, 0, 0};

// Two days (48 h). Feeds every FEED_EVERY_H h from 1 h for FEED_MIN min; massage ends
// MASSAGE_BEFORE min before each feed, MASSAGE_MAX sessions a day at most.
std::string scenario_text(double feed_every_h, double feed_min, double massage_before_min, int massage_max) {
  return "[scenario]\nname = \"schedule variables\"\nduration_days = 2\n\n[delivery]\nmode = \"caesarean_emergency\"\n"
         "clock_time = \"10:00\"\n\n[[feeds]]\nevery_h = " + std::to_string(feed_every_h) +
         "\nfirst_h = 1\nduration_min = " + std::to_string(feed_min) +
         "\n\n[[massage]]\nbefore_each_feed_min = " + std::to_string(massage_before_min) +
         "\nduration_min = 15\nmax_per_day = " + std::to_string(massage_max) + "\n";
}

const std::string kBase = scenario_text(3.0, 15.0, 30.0, 4);

/// The endpoints of `text` loaded as a file and run directly (no design, no rescheduling).
std::vector<double> reference_endpoints(const std::string& text) {
  const Scenario scenario = parse_scenario(text, "reference.toml");
  FastWorkspace workspace;
  const Endpoints endpoints = simulate_endpoints(to_simulation_input(scenario), SolverOptions{}, workspace);
  const int days = horizon_days(scenario.horizon_h());
  std::vector<double> out;
  for (std::size_t k = 0; k < endpoint_names(days).size(); ++k) out.push_back(endpoint_value(endpoints, k, days));
  return out;
}

MemorySweepSink run_design(const Scenario& scenario, const Design& design, unsigned threads = 1) {
  SweepOptions options;
  options.threads = threads;
  options.scenario = &scenario;
  MemorySweepSink sink;
  run_sweep(to_simulation_input(scenario), design, options, sink);
  return sink;
}

void expect_row_equals(const MemorySweepSink& sink, std::size_t row, const std::vector<double>& expected) {
  const std::size_t width = sink.endpoint_names.size();
  ASSERT_EQ(width, expected.size());
  ASSERT_TRUE(sink.ok[row]) << sink.errors[row];
  for (std::size_t k = 0; k < width; ++k) {
    const double value = sink.endpoints[row * width + k];
    if (std::isnan(expected[k])) {
      EXPECT_TRUE(std::isnan(value)) << sink.endpoint_names[k];
    } else {
      EXPECT_DOUBLE_EQ(value, expected[k]) << "row " << row << ", " << sink.endpoint_names[k];
    }
  }
}

TEST(ScheduleVariables, FeedIntervalSweepEqualsScenarioFilesWithThatInterval) {
  const Scenario scenario = parse_scenario(kBase, "base.toml");
  const Design design = Design::generated(DesignKind::grid, {parse_parameter_range("feeds.every_h=2:4", kArgs)}, 3, 1);
  ASSERT_EQ(design.size(), 3u);
  const MemorySweepSink sink = run_design(scenario, design, 2);
  ASSERT_EQ(sink.size(), 3u);
  EXPECT_EQ(sink.parameter_names, std::vector<std::string>{"feeds.every_h"});
  for (std::size_t i = 0; i < 3; ++i) {
    const double every_h = 2.0 + static_cast<double>(i);  // grid ends included: 2, 3, 4
    EXPECT_EQ(sink.parameters[i], every_h);
    // The massage is relative to the feeds, so it moves with them: the file says so too.
    expect_row_equals(sink, i, reference_endpoints(scenario_text(every_h, 15.0, 30.0, 4)));
  }
  // The three intervals give different results (the variable reached the simulation).
  EXPECT_NE(sink.endpoints[1], sink.endpoints[sink.endpoint_names.size() + 1]);
}

TEST(ScheduleVariables, RelativeMassageGapAndIntegerSessionsPerDayCombineWithAParameter) {
  const Scenario scenario = parse_scenario(kBase, "base.toml");
  // Grid: max_per_day takes each of 1, 2, 3; the two other dimensions share n / 3 = 4: 2 levels each.
  const Design design = Design::generated(
      DesignKind::grid,
      {parse_parameter_range("massage.before_each_feed_min=0:60", kArgs),
       parse_parameter_range("massage.max_per_day=1:3", kArgs),
       parse_parameter_range("massage_ot_rise_uU_ml=2:8", kArgs)},
      12, 1);
  ASSERT_EQ(design.size(), 12u);
  const MemorySweepSink sink = run_design(scenario, design);
  // Last column fastest: sample i has gap level i / 6, max_per_day level (i / 2) % 3, rise level i % 2.
  for (std::size_t i = 0; i < sink.size(); ++i) {
    const double gap = sink.parameters[3 * i], max_per_day = sink.parameters[3 * i + 1], rise = sink.parameters[3 * i + 2];
    EXPECT_EQ(gap, (i / 6) == 0 ? 0.0 : 60.0) << i;
    EXPECT_EQ(max_per_day, 1.0 + static_cast<double>((i / 2) % 3)) << i;
    EXPECT_EQ(rise, i % 2 == 0 ? 2.0 : 8.0) << i;
  }
  // Sample 9: gap 60 min, 2 sessions a day, rise 8: the file with those values and the parameter set.
  std::string text = scenario_text(3.0, 15.0, 60.0, 2) + "\n[parameters]\nmassage_ot_rise_uU_ml = 8\n";
  expect_row_equals(sink, 9, reference_endpoints(text));
}

TEST(ScheduleVariables, IntegerVariablesAreWholeAndEquallyLikelyInLatinHypercubes) {
  // Uniform on [0.5, 3.5] rounded: strata 0-99 of 300 give 1, 100-199 give 2, 200-299 give 3.
  const Design design =
      Design::generated(DesignKind::lhs, {parse_parameter_range("massage.every_nth_feed=1:3", kArgs)}, 300, 7);
  Design::Cursor cursor(design);
  std::map<double, int> counts;
  double value = 0.0;
  for (std::size_t i = 0; i < design.size(); ++i) {
    cursor.values(i, {&value, 1});
    ++counts[value];
  }
  EXPECT_EQ(counts, (std::map<double, int>{{1.0, 100}, {2.0, 100}, {3.0, 100}}));
}

TEST(ScheduleVariables, BadNamesAndRangesAreRefusedNamingTheRange) {
  auto message = [](const std::string& text) {
    try {
      parse_parameter_range(text, kArgs);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("feeds.every_hr=2:4").find("unknown schedule variable 'feeds.every_hr'; did you mean 'feeds.every_h'"),
            std::string::npos) << message("feeds.every_hr=2:4");
  EXPECT_NE(message("massage.before_feed_min=0:60").find("did you mean 'massage.before_each_feed_min'"),
            std::string::npos) << message("massage.before_feed_min=0:60");
  // Feeds cannot be relative to feeds.
  EXPECT_NE(message("feeds.before_each_feed_min=0:60").find("unknown schedule variable"), std::string::npos);
  EXPECT_NE(message("feeds.every_h=0:4").find("bounds (0, 24] h"), std::string::npos) << message("feeds.every_h=0:4");
  EXPECT_NE(message("feeds.every_h=2:25").find("bounds (0, 24] h"), std::string::npos);
  EXPECT_NE(message("massage.after_each_feed_min=-5:30").find("bounds [0, 1440] min"), std::string::npos);
  EXPECT_NE(message("massage.max_per_day=1:49").find("bounds [1, 48]"), std::string::npos);
  EXPECT_NE(message("massage.max_per_day=1:2.5").find("whole numbers"), std::string::npos);
  EXPECT_NE(message("massage.every_nth_feed=1:4:log").find("no log scale"), std::string::npos);
  EXPECT_EQ(message("pumping.duration_min=10:1440"), "accepted");
}

TEST(ScheduleVariables, AFormTheScenarioLacksIsRefusedBeforeRunning) {
  // Clock-timed massage: no before_each_feed_min, every_nth_feed or first_h to vary.
  const Scenario clock = parse_scenario(
      "[scenario]\nname = \"c\"\nduration_days = 2\n\n[delivery]\nmode = \"vaginal\"\nclock_time = \"10:00\"\n\n"
      "[[feeds]]\nstart_times_h = [1, 4, 7]\nduration_min = 15\n\n"
      "[[massage]]\nclock_times = [\"08:00\"]\ndays = [1, 2]\nduration_min = 15\n",
      "clock.toml");
  for (const char* text : {"massage.before_each_feed_min=0:60", "massage.every_nth_feed=1:2", "feeds.every_h=2:4",
                           "pumping.duration_min=10:20"}) {
    const Design design = Design::generated(DesignKind::grid, {parse_parameter_range(text, kArgs)}, 2, 1);
    try {
      check_schedule_variables(design, &clock);
      ADD_FAILURE() << text << " accepted";
    } catch (const InputError& error) {
      EXPECT_EQ(error.field(), "ranges " + design.names()[0]);
      EXPECT_NE(error.detail().find("clock.toml"), std::string::npos) << error.what();
    }
  }
  // duration_min belongs to every form.
  const Design durations =
      Design::generated(DesignKind::grid, {parse_parameter_range("massage.duration_min=10:20", kArgs)}, 2, 1);
  EXPECT_NO_THROW(check_schedule_variables(durations, &clock));
  // Without the scenario there is nothing to reschedule.
  EXPECT_THROW(check_schedule_variables(durations, nullptr), InputError);
}

TEST(ScheduleVariables, AnOverlappingSampleFailsAloneWithTheOverlapMessage) {
  const Scenario scenario = parse_scenario(kBase, "base.toml");
  // Feeds every 3 h (180 min): 10 and 105 min fit, 200 min overlaps the next feed.
  const Design design =
      Design::generated(DesignKind::grid, {parse_parameter_range("feeds.duration_min=10:200", kArgs)}, 3, 1);
  SweepOptions options;
  options.scenario = &scenario;
  MemorySweepSink sink;
  const SweepSummary summary = run_sweep(to_simulation_input(scenario), design, options, sink);
  EXPECT_EQ(summary.samples, 3u);
  EXPECT_EQ(summary.failed, 1u);
  EXPECT_EQ(sink.ok, (std::vector<unsigned char>{1, 1, 0}));
  EXPECT_NE(sink.errors[2].find("feed sessions overlap"), std::string::npos) << sink.errors[2];
  expect_row_equals(sink, 1, reference_endpoints(scenario_text(3.0, 105.0, 30.0, 4)));
}

TEST(ScheduleVariables, CliSweepsAScheduleVariableAndRefusesBadOnesWithExit2) {
  const fs::path dir = test::fresh_temp_dir("schedule_variables_cli");
  test::write_text(dir / "base.toml", kBase);
  const std::string scenario = test::quoted(dir / "base.toml");
  const auto ok = test::run_cli("sweep " + scenario + " --vary feeds.every_h=2:4 --design grid -n 3 -q --out " +
                                test::quoted(dir / "s.csv"));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const std::string csv = test::read_file(dir / "s.csv");
  EXPECT_TRUE(csv.starts_with("sample,status,feeds.every_h,onset_h")) << csv;
  EXPECT_NE(csv.find("\n2,ok,4,"), std::string::npos) << csv;

  for (const auto& [vary, expected] : std::vector<std::pair<std::string, std::string>>{
           {"feeds.every_hr=2:4", "--vary feeds.every_hr=2:4: unknown schedule variable"},
           {"feeds.every_h=0:4", "--vary feeds.every_h=0:4: the range leaves"},
           {"pumping.every_h=2:4", "--vary pumping.every_h: no [[pumping]] entry"}}) {
    const auto bad = test::run_cli("sweep " + scenario + " --vary " + vary + " -n 3 -q --out " +
                                   test::quoted(dir / "bad.csv"));
    EXPECT_EQ(bad.exit_code, 2) << vary;
    EXPECT_NE(bad.err.find(expected), std::string::npos) << bad.err;
    EXPECT_FALSE(fs::exists(dir / "bad.csv"));
  }
}

TEST(ScheduleVariables, ResumeFingerprintCoversScheduleVariables) {
  const fs::path dir = test::fresh_temp_dir("schedule_variables_fingerprint");
  test::write_text(dir / "base.toml", kBase);
  const Design design = Design::generated(DesignKind::grid, {parse_parameter_range("feeds.every_h=2:4", kArgs)}, 3, 1);
  SweepRequestRecord first{dir / "base.toml", {}, {}, "grid", {"feeds.every_h=2:4"}, 1, "", SolverOptions{}};
  SweepRequestRecord other = first;
  other.ranges = {"feeds.every_h=2:5"};
  const auto differences = sweep_fingerprint(other, design).differences_from(sweep_fingerprint(first, design));
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_NE(differences[0].find("vary: was 'feeds.every_h=2:4', now 'feeds.every_h=2:5'"), std::string::npos)
      << differences[0];
}

TEST(ScheduleVariables, SensitivityAnalysesRefuseThem) {
  const Scenario scenario = parse_scenario(kBase, "base.toml");
  ScenarioSensitivityRequest request;
  request.ranges = {parse_parameter_range("feeds.every_h=2:4", kArgs)};
  try {
    (void)scenario_sensitivity(to_simulation_input(scenario), request);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.field(), "ranges feeds.every_h");
    EXPECT_NE(error.detail().find("not in sensitivity analyses"), std::string::npos) << error.what();
  }
}


// --- Covariates as categorical factors in grid designs --------------------------------------

/// kBase with its delivery mode replaced and a [patient] parity and [parameters] appended.
std::string with_covariates(const std::string& mode, const std::string& parity, const std::string& parameters) {
  std::string text = kBase;
  const std::string from = "mode = \"caesarean_emergency\"";
  text.replace(text.find(from), from.size(), "mode = \"" + mode + "\"");
  if (!parity.empty()) text += "\n[patient]\nparity = \"" + parity + "\"\n";
  if (!parameters.empty()) text += "\n[parameters]\n" + parameters;
  return text;
}

TEST(ScheduleVariables, DeliveryLevelsSetTheModeDefaultsButKeepWhatTheFileSets) {
  // The file sets pain_peak_nrs = 5; pain_peak_h is left to the mode's default
  // (registry: 4 h vaginal, 20 h planned, 16 h emergency caesarean).
  const Scenario scenario = parse_scenario(with_covariates("caesarean_emergency", "", "pain_peak_nrs = 5\n"), "c.toml");
  const ParameterRange delivery = parse_parameter_range("delivery=vaginal,caesarean_planned", kArgs);
  const ScheduleSetting vaginal{nullptr, delivery.covariate, 0.0}, planned{nullptr, delivery.covariate, 1.0};
  const Scenario as_vaginal = rescheduled_scenario(scenario, {&vaginal, 1});
  EXPECT_EQ(as_vaginal.covariates.delivery_mode, model::DeliveryMode::vaginal);
  EXPECT_EQ(as_vaginal.parameters.pain_peak_h, 4.0);
  EXPECT_EQ(as_vaginal.parameters.pain_peak_nrs, 5.0);
  const Scenario as_planned = rescheduled_scenario(scenario, {&planned, 1});
  EXPECT_EQ(as_planned.parameters.pain_peak_h, 20.0);
  EXPECT_EQ(as_planned.parameters.pain_peak_nrs, 5.0);
}

TEST(ScheduleVariables, CovariateGridRowsEqualTheScenarioFilesWithThoseCovariates) {
  const Scenario scenario = parse_scenario(with_covariates("caesarean_emergency", "", "pain_peak_nrs = 5\n"), "c.toml");
  // Given out of registry order: the levels run in the order given, the last --vary fastest.
  const Design design = Design::generated(
      DesignKind::grid,
      {parse_parameter_range("delivery=caesarean_planned,vaginal", kArgs),
       parse_parameter_range("parity=primiparous,multiparous", kArgs)},
      1, 1);
  ASSERT_EQ(design.size(), 4u);
  const MemorySweepSink sink = run_design(scenario, design, 2);
  const std::pair<const char*, const char*> expected[] = {
      {"caesarean_planned", "primiparous"}, {"caesarean_planned", "multiparous"},
      {"vaginal", "primiparous"}, {"vaginal", "multiparous"}};
  for (std::size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    expect_row_equals(sink, i, reference_endpoints(with_covariates(expected[i].first, expected[i].second,
                                                                   "pain_peak_nrs = 5\n")));
  }
  // Parity reached the model (primiparity_activation_factor acts on primiparous mothers only).
  EXPECT_NE(sink.endpoints[2 * sink.endpoint_names.size() + 1], sink.endpoints[3 * sink.endpoint_names.size() + 1]);
}

TEST(ScheduleVariables, CovariatesAreGridOnlyAndTheirLevelsChecked) {
  auto message = [](const std::string& text, DesignKind kind = DesignKind::grid) {
    try {
      (void)Design::generated(kind, {parse_parameter_range(text, kArgs)}, 8, 1);
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("delivery=vaginal,caesarean_emergency", DesignKind::lhs).find("grid designs only"),
            std::string::npos);
  EXPECT_NE(message("parity=primiparous,multiparous", DesignKind::sobol).find("grid designs only"), std::string::npos);
  EXPECT_NE(message("delivery=vaginal,emergency_caesarean").find("did you mean 'caesarean_emergency'"),
            std::string::npos) << message("delivery=vaginal,emergency_caesarean");
  EXPECT_NE(message("delivery=vaginal,vaginal").find("given twice"), std::string::npos);
  EXPECT_NE(message("parity=primiparous").find("at least two levels"), std::string::npos);
  EXPECT_EQ(message("delivery=vaginal,caesarean_planned,caesarean_emergency"), "accepted");
}

TEST(ScheduleVariables, CliWritesCovariateLevelsAsTextAndMergeReadsThem) {
  const fs::path dir = test::fresh_temp_dir("covariate_cli");
  test::write_text(dir / "base.toml", kBase);
  const auto ok = test::run_cli("sweep " + test::quoted(dir / "base.toml") +
                                " --vary delivery=vaginal,caesarean_emergency --vary feeds.every_h=2:3 --design grid"
                                " -n 4 -q --out " + test::quoted(dir / "s.csv"));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const std::string csv = test::read_file(dir / "s.csv");
  EXPECT_TRUE(csv.starts_with("sample,status,delivery,feeds.every_h,")) << csv;
  EXPECT_NE(csv.find("\n0,ok,vaginal,2,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n3,ok,caesarean_emergency,3,"), std::string::npos) << csv;
  const auto merged = test::run_cli("merge " + test::quoted(dir / "s.csv"));
  EXPECT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(merged.out, csv);
  const auto lhs = test::run_cli("sweep " + test::quoted(dir / "base.toml") +
                                 " --vary delivery=vaginal,caesarean_emergency --design lhs -n 4 -q");
  EXPECT_EQ(lhs.exit_code, 2);
  EXPECT_NE(lhs.err.find("--vary delivery: a covariate is a categorical factor"), std::string::npos) << lhs.err;
}

}  // namespace
}  // namespace lactsim
