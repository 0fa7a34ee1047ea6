// Observables, unit conversion, weights and fit metrics, checked against hand calculations
// and against independent paths through the run result (daily totals, timeseries rows).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "lactsim/engine/endpoints.hpp"
#include "lactsim/io/observables.hpp"
#include "lactsim/engine/unit_conversion.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;
using test::quoted;

/// A short multiparous vaginal scenario with pumping and observed data of every kind.
Scenario observed_scenario(const std::string& observed_toml) {
  return parse_scenario(test::short_vaginal_scenario_toml("observables") + R"(
[[pumping]]
start_times_h = [49.5, 60.5]
duration_min = 15
)" + observed_toml,
                        "observables.toml");
}

TEST(ObservedUnits, GramsOfMilkConvertAtTheDocumentedDensity) {
  // 1.03 g/mL (docs/fitting.md): 103 g is 100 mL.
  EXPECT_NEAR(103.0 * *to_model_unit_factor("milk_transferred_daily", "g/day"), 100.0, 1e-12);
  EXPECT_NEAR(103.0 * *to_model_unit_factor("milk_expressed_session", "g"), 100.0, 1e-12);
  EXPECT_DOUBLE_EQ(*to_model_unit_factor("milk_expressed_daily", "mL/day"), 1.0);
}

TEST(ObservedUnits, OxytocinPicogramsConvertAt600IuPerMilligram) {
  // 600 IU/mg: 1 uU = 1/600 ug·1e-6·1e6 pg = 1.6667 pg, so 5 pg/mL = 3 uU/mL.
  EXPECT_NEAR(5.0 * *to_model_unit_factor("oxytocin", "pg/mL"), 3.0, 1e-12);
}

TEST(ObservedUnits, UndefinedConversionsAreRefused) {
  EXPECT_FALSE(to_model_unit_factor("prolactin", "pg/mL").has_value());
  EXPECT_FALSE(to_model_unit_factor("onset_time", "day").has_value());
  Scenario s = observed_scenario(R"(
[[observed]]
quantity = "prolactin"
unit = "ng/mL"
source = "test"
points = [{ time_h = 10.0, value = 200.0, sd = 20.0 }]
)");
  s.observed[0].unit = "mIU/L";  // bypasses the loader, which refuses it earlier
  try {
    weighted_observations(s);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "observed[0].unit");
    EXPECT_NE(std::string(e.what()).find("mIU/L"), std::string::npos);
  }
}

TEST(ObservedWeights, SdRangeSubjectSpreadAndDefaultCvInThatOrder) {
  const Scenario s = observed_scenario(R"(
[[observed]]
quantity = "milk_transferred_daily"
unit = "mL/day"
source = "test"
points = [
  { day = 1, value = 40.0, sd = 10.0, min = 0.0, max = 400.0 },
  { day = 2, value = 200.0, min = 100.0, max = 300.0 },
  { day = 3, value = 300.0 },
  { day = 3, value = 400.0 },
  { day = 3, value = 500.0 },
]
[[observed]]
quantity = "onset_time"
unit = "h"
source = "test"
points = [{ time_h = 40.0, value = 40.0 }]
)");
  const auto w = weighted_observations(s, 0.25);
  ASSERT_EQ(w.size(), 6u);
  EXPECT_EQ(w[0].sigma_origin, SigmaOrigin::reported_sd);
  EXPECT_DOUBLE_EQ(w[0].sigma, 10.0);
  EXPECT_EQ(w[1].sigma_origin, SigmaOrigin::range_over_4);
  EXPECT_DOUBLE_EQ(w[1].sigma, 50.0);  // (300 − 100) / 4
  for (int i = 2; i <= 4; ++i) {
    EXPECT_EQ(w[i].sigma_origin, SigmaOrigin::subject_spread);
    EXPECT_NEAR(w[i].sigma, 100.0, 1e-9);  // sample SD of 300, 400, 500
  }
  EXPECT_EQ(w[5].sigma_origin, SigmaOrigin::default_cv);
  EXPECT_DOUBLE_EQ(w[5].sigma, 10.0);  // 0.25 × 40 h
}

/// The InputError `weighted_observations` (or the loader) raises for `s`, or "" when none.
std::string weighting_error(const Scenario& s) {
  try {
    weighted_observations(s);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ObservedWeights, AnSdOfZeroIsRefusedNotReplacedByTheDefaultCv) {
  // A reported sd of 0 would give the point infinite weight; it used to become 0.25 × value.
  try {
    observed_scenario(R"(
[[observed]]
quantity = "milk_transferred_daily"
unit = "mL/day"
source = "test"
points = [{ day = 2, value = 200.0, sd = 0 }]
)");
    FAIL() << "sd = 0 accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "observed[0].points[0].sd");
    EXPECT_GT(e.where().line, 10);
    EXPECT_NE(std::string(e.what()).find("must be positive"), std::string::npos) << e.what();
  }
  // The same point built in code (no loader) is refused by the weighting itself.
  Scenario s = observed_scenario(R"(
[[observed]]
quantity = "milk_transferred_daily"
unit = "mL/day"
source = "test"
points = [{ day = 2, value = 200.0, sd = 10.0 }]
)");
  s.observed[0].points[0].sd = 0.0;
  EXPECT_NE(weighting_error(s).find("observed[0].points[0].sd"), std::string::npos);
}

TEST(ObservedWeights, AnSdBelowTheSmallestUsableSdIsRefusedWhateverItsOrigin) {
  // Points are built in code: the loader would refuse some of these before weighting.
  auto scenario_with_points = [](const std::vector<ObservedPoint>& points) {
    Scenario s = observed_scenario(R"(
[[observed]]
quantity = "prolactin"
unit = "ng/mL"
source = "test"
points = [{ time_h = 20.0, value = 200.0, sd = 10.0 }]
)");
    s.observed[0].points = points;
    return s;
  };
  auto point = [](double value, std::optional<double> sd, std::optional<double> lo, std::optional<double> hi) {
    ObservedPoint p{};
    p.time_h = 20.0;
    p.value = value;
    p.sd = sd;
    p.min = lo;
    p.max = hi;
    p.where = {"observables.toml", 42, 1};
    return p;
  };
  struct Case {
    const char* label;
    std::vector<ObservedPoint> points;
  };
  const Case cases[] = {
      {"reported sd", {point(200.0, 1e-308, {}, {})}},
      {"range/4", {point(200.0, {}, 200.0, 200.0 + 1e-12)}},
      {"subject spread", {point(1e-3, {}, {}, {}), point(1e-3 + 1e-9, {}, {}, {})}},
      {"default cv", {point(1e-300, {}, {}, {})}},
  };
  for (const Case& c : cases) {
    const std::string error = weighting_error(scenario_with_points(c.points));
    EXPECT_NE(error.find("observables.toml:42:1: observed[0].points[0].sd"), std::string::npos) << c.label << ": " << error;
    EXPECT_NE(error.find("smallest usable SD"), std::string::npos) << c.label << ": " << error;
  }
  // At the floor itself the point is weighted (1e-6 ng/mL is far below any assay's resolution).
  EXPECT_EQ(weighting_error(scenario_with_points({point(200.0, kMinObservationSd, {}, {})})), "");
}

TEST(ObservedValues, ObservedNumbersAboveTheMagnitudeBoundAreRefusedAtLoad) {
  // 1e308 with sd 1e-308 used to write -inf as the standardised residual into observed.csv.
  for (const char* key : {"value", "sd", "min", "max"}) {
    const std::string numbers = std::string(key) == "value" ? "value = -2e6, sd = 1.0"
                                : std::string(key) == "sd"  ? "value = 10.0, sd = 1e300"
                                : std::string(key) == "min" ? "value = 10.0, min = -1e7, max = 20.0"
                                                            : "value = 10.0, min = 0.0, max = 1e7";
    try {
      observed_scenario("[[observed]]\nquantity = \"prolactin\"\nunit = \"ng/mL\"\nsource = \"test\"\n"
                        "points = [{ time_h = 20.0, " + numbers + " }]\n");
      ADD_FAILURE() << key << " accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), "observed[0].points[0]." + std::string(key));
      EXPECT_NE(std::string(e.what()).find("magnitude of at most 1e+06"), std::string::npos) << e.what();
    }
  }
}

TEST(ObservedValues, ANonFiniteStandardisedResidualOrItsSquareIsAnErrorNotAValue) {
  const Scenario s = observed_scenario(R"(
[[observed]]
quantity = "milk_transferred_daily"
unit = "mL/day"
source = "test"
points = [{ day = 2, value = 200.0, sd = 1e-6 }]
)");
  RunResult result;
  result.daily.assign(3, DailyTotals{});
  for (int d = 0; d < 3; ++d) result.daily[static_cast<std::size_t>(d)].day = d + 1;
  result.daily[1].milk_transferred_ml = 1e300;  // (1e300 − 200) / 1e-6 ≈ 1e306: its square overflows
  EXPECT_THROW(compare_observations(s, result), SimulationError);
  result.daily[1].milk_transferred_ml = 1e303;  // the residual itself overflows
  EXPECT_THROW(compare_observations(s, result), SimulationError);
  result.daily[1].milk_transferred_ml = 250.0;
  const auto c = compare_observations(s, result);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_DOUBLE_EQ(c[0].standardised_residual(), 50.0 / 1e-6);
}

TEST(ObservedWeights, SubjectSpreadOfAHundredThousandPointsIsEachGroupsSampleSd) {
  // Weighting once compared every point with every other (100,000 points took ~90 s); this
  // checks the grouped computation at that size against a two-pass SD computed here.
  Scenario s = observed_scenario(R"(
[[observed]]
quantity = "milk_transferred_daily"
unit = "mL/day"
source = "test"
points = [{ day = 1, value = 1.0 }, { day = 1, value = 2.0 }]
)");
  constexpr std::size_t kPoints = 100'000;
  constexpr int kDays = 3;
  auto& points = s.observed[0].points;
  points.clear();
  for (std::size_t i = 0; i < kPoints; ++i) {
    ObservedPoint p{};
    p.day = static_cast<int>(i % kDays) + 1;
    p.value = 100.0 + static_cast<double>((i * 7919) % 1000) / 10.0 + 50.0 * (*p.day);
    p.where = {"observables.toml", 1, 1};
    points.push_back(p);
  }
  points[5].sd = 3.0;  // a point with its own sd stays out of its day's subject spread
  std::vector<double> sum(kDays + 1, 0.0), sum_squared_deviation(kDays + 1, 0.0);
  std::vector<std::size_t> count(kDays + 1, 0);
  for (const auto& p : points) {
    if (p.sd) continue;
    sum[*p.day] += p.value;
    ++count[*p.day];
  }
  for (const auto& p : points) {
    if (p.sd) continue;
    const double deviation = p.value - sum[*p.day] / static_cast<double>(count[*p.day]);
    sum_squared_deviation[*p.day] += deviation * deviation;
  }
  const auto w = weighted_observations(s);
  ASSERT_EQ(w.size(), kPoints);
  for (std::size_t i = 0; i < kPoints; ++i) {
    const int day = *points[i].day;
    if (i == 5) {
      EXPECT_EQ(w[i].sigma_origin, SigmaOrigin::reported_sd);
      EXPECT_DOUBLE_EQ(w[i].sigma, 3.0);
      continue;
    }
    const double expected = std::sqrt(sum_squared_deviation[day] / static_cast<double>(count[day] - 1));
    ASSERT_EQ(w[i].sigma_origin, SigmaOrigin::subject_spread) << i;
    ASSERT_NEAR(w[i].sigma, expected, 1e-9 * expected) << i;
  }
}

TEST(ObservedValues, ADayMeanIsTheTrapezoidMeanOfThatDaysTimeseriesRows) {
  const Scenario s = observed_scenario(R"(
[[observed]]
quantity = "prolactin"
unit = "ng/mL"
source = "test"
points = [{ day = 2, value = 100.0, sd = 10.0 }, { day = 3, value = 100.0, sd = 10.0 }]
)");
  RunOptions options;
  options.output_step_h = 0.25;
  const RunResult result = simulate(to_simulation_input(s), options);
  const auto c = compare_observations(s, result);
  ASSERT_EQ(c.size(), 2u);
  for (int day : {2, 3}) {
    double area = 0.0;
    const auto& rows = result.timeseries;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      if (rows[i - 1].time_h < 24.0 * (day - 1) - 1e-9 || rows[i].time_h > 24.0 * day + 1e-9) continue;
      area += (rows[i].time_h - rows[i - 1].time_h) *
              0.5 * (rows[i - 1].derived.prolactin_total_ng_ml + rows[i].derived.prolactin_total_ng_ml);
    }
    EXPECT_NEAR(c[static_cast<std::size_t>(day - 2)].simulated, area / 24.0, 1e-9 * area) << "day " << day;
  }
}

TEST(ObservedValues, AgreeWithDailyTotalsTimeseriesRowsAndSessionDifferences) {
  const Scenario s = observed_scenario(R"(
[[observed]]
quantity = "milk_transferred_daily"
unit = "g/day"
source = "test"
points = [{ day = 2, value = 103.0, sd = 10.0 }]
[[observed]]
quantity = "prolactin"
unit = "ng/mL"
source = "test"
points = [{ time_h = 25.5, value = 200.0, sd = 20.0 }]
[[observed]]
quantity = "milk_expressed_session"
unit = "mL"
source = "test"
points = [{ time_h = 49.5, value = 10.0, sd = 2.0 }, { day = 3, value = 10.0, sd = 2.0 }]
[[observed]]
quantity = "onset_time"
unit = "h"
source = "test"
points = [{ time_h = 40.0, value = 40.0, sd = 4.0 }]
)");
  RunOptions options;
  options.output_step_h = 0.25;
  const RunResult result = simulate(to_simulation_input(s), options);
  const auto c = compare_observations(s, result);
  ASSERT_EQ(c.size(), 5u);
  EXPECT_NEAR(c[0].observation.observed, 100.0, 1e-9);
  EXPECT_DOUBLE_EQ(c[0].simulated, result.daily[1].milk_transferred_ml);
  const auto row = std::find_if(result.timeseries.begin(), result.timeseries.end(),
                                [](const TimeseriesRow& r) { return std::abs(r.time_h - 25.5) < 1e-9; });
  ASSERT_NE(row, result.timeseries.end());
  EXPECT_DOUBLE_EQ(c[1].simulated, row->derived.prolactin_total_ng_ml);
  auto expressed_at = [&](double t) {
    for (const auto& r : result.timeseries) {
      if (std::abs(r.time_h - t) < 1e-9) return r.state[model::state::milk_expressed];
    }
    return std::nan("");
  };
  EXPECT_NEAR(c[2].simulated, expressed_at(49.75) - expressed_at(49.5), 1e-12);
  EXPECT_GT(c[2].simulated, 0.0);
  // Day 3 has two sessions: the per-session value is the day's expressed milk over two.
  EXPECT_NEAR(c[3].simulated, result.daily[2].milk_expressed_ml / 2.0, 1e-12);
  ASSERT_TRUE(result.endpoints.onset_h.has_value());
  EXPECT_DOUBLE_EQ(c[4].simulated, *result.endpoints.onset_h);
}

TEST(ObservedValues, OnsetNotReachedIsCensoredAtTheHorizon) {
  Scenario s = observed_scenario(R"(
[[observed]]
quantity = "onset_time"
unit = "h"
source = "test"
points = [{ time_h = 60.0, value = 60.0, sd = 6.0 }]
)");
  apply_overrides(s, {{"activation_rate_per_h", 0.001, {"test", 0, 0}}});
  const auto c = compare_observations(s, simulate(to_simulation_input(s), RunOptions{}));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_TRUE(c[0].censored);
  EXPECT_DOUBLE_EQ(c[0].simulated, 72.0);
}

TEST(ObservedMetrics, MatchAHandCalculation) {
  auto make = [](double observed, double simulated, double sigma, SigmaOrigin origin, std::optional<double> lo,
                 std::optional<double> hi, const char* quantity) {
    ObservationComparison c;
    c.observation.quantity = quantity;
    c.observation.model_unit = "u";
    c.observation.observed = observed;
    c.observation.sigma = sigma;
    c.observation.sigma_origin = origin;
    c.observation.min = lo;
    c.observation.max = hi;
    c.simulated = simulated;
    return c;
  };
  const std::vector<ObservationComparison> cs = {
      make(10, 12, 4, SigmaOrigin::reported_sd, {}, {}, "a"),       // z = 0.5, inside 1 SD
      make(10, 4, 3, SigmaOrigin::reported_sd, {}, {}, "a"),        // z = −2, outside
      make(100, 150, 25, SigmaOrigin::range_over_4, 50, 140, "b"),  // z = 2, outside range
  };
  const ComparisonMetrics m = comparison_metrics(cs);
  EXPECT_EQ(m.points, 3u);
  EXPECT_DOUBLE_EQ(m.chi_square, 0.25 + 4.0 + 4.0);
  EXPECT_DOUBLE_EQ(m.mean_abs_standardised_residual, (0.5 + 2.0 + 2.0) / 3.0);
  EXPECT_DOUBLE_EQ(*m.fraction_within_1sd, 0.5);
  EXPECT_DOUBLE_EQ(*m.fraction_within_range, 0.0);
  ASSERT_EQ(m.rmse.size(), 2u);
  EXPECT_DOUBLE_EQ(m.rmse[0].rmse, std::sqrt((4.0 + 36.0) / 2.0));
  EXPECT_DOUBLE_EQ(m.rmse[1].rmse, 50.0);
}

TEST(ObservedCli, RunWritesObservedCsvAndMetricsInSummaryAndPrintsThem) {
  const auto out = test::fresh_temp_dir("observed_run");
  const auto r = test::run_cli("run " + quoted(test::scenario_path("reference_vaginal.toml")) + " --out " + quoted(out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = test::read_file(out / "reference_vaginal" / "observed.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "series,quantity,unit,day,time_h,observed,simulated,residual,standardised_residual,sd,sd_origin,"
            "range_min,range_max,censored,source,label");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);  // header + 3 Saint days + 1 onset
  EXPECT_NE(csv.find("milk_transferred_daily,mL/day,3,,396.1165049"), std::string::npos);  // 408 g / 1.03
  const std::string summary = test::read_file(out / "reference_vaginal" / "summary.json");
  for (const char* key : {"\"fit_metrics\"", "\"mean_abs_standardised_residual\"", "\"fraction_within_range\"",
                          "\"rmse\""}) {
    EXPECT_NE(summary.find(key), std::string::npos) << key;
  }
  EXPECT_NE(r.out.find("within range"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("RMSE milk_transferred_daily"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace lactsim
