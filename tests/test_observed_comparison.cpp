// Observables, unit conversion, weights and fit metrics, checked against hand calculations
// and against independent paths through the run result (daily totals, timeseries rows).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "lactsim/sim/endpoints.hpp"
#include "lactsim/sim/observables.hpp"
#include "lactsim/sim/unit_conversion.hpp"
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
  ASSERT_TRUE(result.onset_h.has_value());
  EXPECT_DOUBLE_EQ(c[4].simulated, *result.onset_h);
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
            "range_min,range_max,censored,source");
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
