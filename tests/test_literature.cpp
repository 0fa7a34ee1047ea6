// Whole-scenario claims against published observations (sources in docs/model.md).
#include <gtest/gtest.h>

#include "lactsim/engine/endpoints.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

Endpoints endpoints_of(const std::string& file, const std::vector<std::string>& overrides = {}) {
  RunOptions options;
  options.output_step_h = 0;
  return (test::run(test::load_shipped(file, overrides), options)).endpoints;
}

double day(const Endpoints& e, int d) { return milk_on_day(e, d).value(); }

TEST(Saint1984, VaginalDailyIntakeIsInsideTheObservedRangesOnDays1_3_5) {
  const Endpoints e = endpoints_of("reference_vaginal.toml");
  // Saint, Smith & Hartmann 1984, n = 9: ranges of 24-h infant intake (g; 1 g ~ 1 mL here).
  EXPECT_GE(day(e, 1), 7.0);
  EXPECT_LE(day(e, 1), 122.5);
  EXPECT_GE(day(e, 3), 98.3);
  EXPECT_LE(day(e, 3), 775.0);
  EXPECT_GE(day(e, 5), 452.5);
  EXPECT_LE(day(e, 5), 876.0);
}

TEST(Saint1984, TheShippedObservedSeriesIsTheOneTheTestChecks) {
  // Guards the test above against the scenario file drifting from the paper's numbers.
  const Scenario s = test::load_shipped("reference_vaginal.toml");
  ASSERT_FALSE(s.observed.empty());
  const ObservedSeries& saint = s.observed.front();
  EXPECT_EQ(saint.quantity, "milk_transferred_daily");
  ASSERT_EQ(saint.points.size(), 3u);
  EXPECT_DOUBLE_EQ(saint.points[1].value, 408.0);
  EXPECT_DOUBLE_EQ(*saint.points[2].min, 452.5);
}

TEST(Evans2003, CaesareanMilkIsBelowVaginalOnDays2To5AndWithin15PercentByDay6) {
  const Endpoints vaginal = endpoints_of("reference_vaginal.toml");
  const Endpoints caesarean = endpoints_of("reference_caesarean.toml");
  for (int d = 2; d <= 5; ++d) EXPECT_LT(day(caesarean, d), day(vaginal, d)) << "day " << d;
  EXPECT_NEAR(day(caesarean, 6), day(vaginal, 6), 0.15 * day(vaginal, 6));
}

TEST(OnsetTiming, PrimiparousVaginalOnsetIsNearTheMedianOfNommsenRivers2010) {
  const Endpoints e = endpoints_of("reference_vaginal.toml");
  ASSERT_TRUE(e.onset_h.has_value());
  // Median 68.9 h in 431 primiparas; 44% later than 72 h, so the median mother is
  // within about half a day of it.
  EXPECT_NEAR(*e.onset_h, 68.9, 12.0);
}

TEST(OnsetTiming, CaesareanAndPrimiparityDelayOnset) {
  // Dewey et al. 2003: caesarean section and primiparity are risk factors for delay.
  const Endpoints vaginal = endpoints_of("reference_vaginal.toml");
  const Endpoints caesarean = endpoints_of("reference_caesarean.toml");
  EXPECT_GT(*caesarean.onset_h, *vaginal.onset_h);
  Scenario multiparous = test::load_shipped("reference_vaginal.toml");
  multiparous.covariates.parity = model::Parity::multiparous;
  RunOptions options;
  options.output_step_h = 0;
  const Endpoints multi = (test::run(multiparous, options)).endpoints;
  EXPECT_LT(*multi.onset_h, *vaginal.onset_h);
}

/// Onset (h) of the reference caesarean/vaginal feeding schedule with the given delivery mode
/// and parity spelled as in scenario files (the mode's covariate defaults apply).
double reference_onset_h(const std::string& mode, const std::string& parity) {
  std::string text = test::read_file(test::scenario_path("reference_caesarean.toml"));
  auto replace = [&](const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  replace("mode = \"caesarean_planned\"", "mode = \"" + mode + "\"");
  replace("parity = \"primiparous\"", "parity = \"" + parity + "\"");
  RunOptions options;
  options.output_step_h = 0;
  const Endpoints e = test::run(parse_scenario(text, "reference_onset.toml"), options).endpoints;
  return e.onset_h.value();
}

TEST(OnsetTiming, UnscheduledCaesareanDelaysOnsetBeyondPlannedCaesarean) {
  // Chapman & Perez-Escamilla 1999 and Dewey 2003 name the unscheduled (not the scheduled)
  // caesarean as the risk factor; Nissen 1996: no PRL rise and fewer OT pulses on day 2 after
  // emergency caesarean. The sources give the direction only: the size of the caesarean effect
  // is Scott 2007's pooled odds ratio, which the population calibration matches
  // (PopulationCalibration.ShippedPopulationPutsBothOddsRatiosOfScott2007InsideTheirIntervals).
  // Here, for both parities: emergency later than planned by more than 1 h (far above the
  // solver's tolerance, so not a rounding effect) and by less than a day.
  for (const char* parity : {"primiparous", "multiparous"}) {
    const double planned = reference_onset_h("caesarean_planned", parity);
    const double emergency = reference_onset_h("caesarean_emergency", parity);
    EXPECT_GE(emergency - planned, 1.0) << parity << ": planned " << planned << " h, emergency " << emergency << " h";
    EXPECT_LE(emergency - planned, 24.0) << parity << ": planned " << planned << " h, emergency " << emergency << " h";
  }
}

TEST(Saint1984, VaginalDayOneIntakeIsWithinHalfOfTheMeanAndDays3And5NearTheirMeans) {
  // Saint, Smith & Hartmann 1984 means: d1 37.1 g, d3 408 g, d5 705.4 g (1.03 g/mL, as in
  // scenarios/calibration). Day 1 within +/-50% of the mean (issue #14); days 3 and 5 within a
  // quarter of the observed range of their means (the calibration's sigma = range/4).
  const Endpoints e = endpoints_of("reference_vaginal.toml");
  constexpr double kGramsPerMl = 1.03;
  EXPECT_NEAR(day(e, 1) * kGramsPerMl, 37.1, 0.5 * 37.1);
  EXPECT_NEAR(day(e, 3) * kGramsPerMl, 408.0, (775.0 - 98.3) / 4.0);
  EXPECT_NEAR(day(e, 5) * kGramsPerMl, 705.4, (876.0 - 452.5) / 4.0);
}

TEST(SeedCase, MassageRaisesDayThreeMilkAboveControl) {
  const Endpoints massage = endpoints_of("seed_case_massage.toml");
  const Endpoints control = endpoints_of("seed_case_control.toml");
  EXPECT_GT(day(massage, 3), day(control, 3));
  EXPECT_LT(*massage.onset_h, *control.onset_h);
}

TEST(SeedCase, PainReliefCarriesTheEffectBecauseMassageOxytocinClearsBeforeTheNextFeed) {
  // Plasma OT clears with a ~3-min half-life and milk leaves only during feeds, so OT
  // released by a massage that ends 45 min before the next feed cannot reach the milk;
  // the seed schedule's effect must come from pain/stress relief.
  const double control = day(endpoints_of("seed_case_control.toml"), 3);
  const double both = day(endpoints_of("seed_case_massage.toml"), 3);
  const double ot_only = day(endpoints_of("seed_case_massage.toml", {"massage_pain_relief_fraction=0"}), 3);
  const double relief_only = day(endpoints_of("seed_case_massage.toml", {"massage_ot_rise_uU_ml=0"}), 3);
  const double neither = day(endpoints_of("seed_case_massage.toml",
                                          {"massage_pain_relief_fraction=0", "massage_ot_rise_uU_ml=0"}), 3);
  EXPECT_NEAR(ot_only, control, 1e-3 * control);
  EXPECT_GT(relief_only - control, 0.9 * (both - control));
  EXPECT_NEAR(neither, control, 1e-5 * control);
}

TEST(Massage, DirectOxytocinReleaseRaisesMilkWhenSessionsOverlapFeeds) {
  // Mechanism 1 alone (no relief), with massage given during the day-2 and day-3 feeds:
  // OT is higher while the infant feeds, the ejection gate opens wider, more milk leaves.
  Scenario control = test::load_shipped("seed_case_control.toml", {"massage_pain_relief_fraction=0"});
  Scenario during_feeds = control;
  for (const SessionOrigin& s : control.sessions) {
    if (s.session.kind == SessionKind::feed && s.session.start_h >= 24.0 && s.session.start_h < 72.0) {
      during_feeds.sessions.push_back({{SessionKind::massage, s.session.start_h, s.session.end_h}, {}});
    }
  }
  RunOptions options;
  options.output_step_h = 0;
  const double base = day((test::run(control, options)).endpoints, 3);
  const double with_ot = day((test::run(during_feeds, options)).endpoints, 3);
  EXPECT_GT(with_ot, base * 1.01);
}

}  // namespace
}  // namespace lactsim
