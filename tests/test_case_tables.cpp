// Case data as tables (io/case_table.hpp) and case-series fits (fit/case_series_fit.hpp):
// reading and refusing tables, matching subjects to scenarios, unit conversion identical to
// [[observed]], recovery of known parameters from simulated case series, shared parameters.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "lactsim/engine/text_format.hpp"
#include "lactsim/engine/unit_conversion.hpp"
#include "lactsim/fit/case_series_fit.hpp"
#include "lactsim/fit/case_series_report.hpp"
#include "lactsim/io/case_table.hpp"
#include "lactsim/io/observables.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

const char* const kHeader = "subject,quantity,day,time_h,value,unit,sd\n";

/// A short caesarean mother (3 days) claiming `subject`, with extra TOML appended.
Scenario mother(const std::string& name, const std::string& subject, const std::string& extra = "") {
  const std::string toml = "[scenario]\nname = \"" + name + "\"\nduration_days = 3\nsubject = \"" + subject +
                           "\"\n[delivery]\nmode = \"caesarean_planned\"\n[patient]\nparity = \"primiparous\"\n"
                           "[[feeds]]\nevery_h = 3.0\nfirst_h = 2.0\nduration_min = 15\n" + extra;
  return parse_scenario(toml, name + ".toml");
}

/// The InputError text parse_case_table gives for `body` after the header, or "" when none.
std::string table_error(const std::string& text) {
  try {
    parse_case_table(text, "cases.csv");
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

TEST(CaseTable, ReadsRowsWithBomCrLfQuotesUtf8AndColumnsInAnyOrder) {
  const std::string text =
      "\xEF\xBB\xBFquantity,subject,value,unit,sd,day,time_h\r\n"
      "infant_weight,\"Ibu \xC3\x84, \"\"A\"\"\",3075,g,20,1,\r\n"
      "\r\n"
      "milk_transferred_daily,B,300,g/day,,3,\r\n"
      "prolactin,B,150,ng/mL,30,,6.5\r\n"
      "onset_time,B,60,h,,,\r\n";
  const CaseTable table = parse_case_table(text, "cases.csv");
  ASSERT_EQ(table.rows.size(), 4u);
  const CaseObservation& a = table.rows[0];
  EXPECT_EQ(a.subject, "Ibu \xC3\x84, \"A\"");
  EXPECT_EQ(a.quantity, "infant_weight");
  EXPECT_EQ(a.day, 1);
  EXPECT_FALSE(a.time_h.has_value());
  EXPECT_EQ(a.value, 3075.0);
  EXPECT_EQ(a.unit, "g");
  EXPECT_EQ(a.sd, 20.0);
  EXPECT_EQ(a.where.line, 2);
  EXPECT_FALSE(table.rows[1].sd.has_value());
  EXPECT_EQ(table.rows[1].where.line, 4);  // the blank line 3 is skipped, lines still counted
  EXPECT_EQ(table.rows[2].time_h, 6.5);
  EXPECT_FALSE(table.rows[2].day.has_value());
  EXPECT_FALSE(table.rows[3].day.has_value());  // an event time takes neither
  EXPECT_FALSE(table.rows[3].time_h.has_value());
  EXPECT_EQ(table.subjects(), (std::vector<std::string>{"Ibu \xC3\x84, \"A\"", "B"}));
}

TEST(CaseTable, EachErrorNamesFileLineAndField) {
  struct Case {
    std::string text, expected;
  };
  const std::string h = kHeader;
  const std::vector<Case> cases = {
      {h + "A,infant_weight,1,,3075,lb,20\n", "cases.csv:2: unit: unit 'lb' cannot be converted"},
      {h + "A,infant_wieght,1,,3075,g,20\n", "cases.csv:2: quantity: unknown observed quantity 'infant_wieght'"},
      {"subject,quantity,day,time_h,value,unit\n", "cases.csv:1: header: missing column 'sd'"},
      {"subject,quantity,day,time_h,value,unit,sd,note\n", "cases.csv:1: header: unknown column 'note'"},
      {"subject,quantity,day,day,value,unit,sd\n", "cases.csv:1: header: column 'day' appears twice"},
      {h + "A,infant_weight,1,,heavy,g,20\n", "cases.csv:2: value: 'heavy' is not a number"},
      {h + "A,infant_weight,1,,3075,g,-5\n", "cases.csv:2: sd: must be positive"},
      {h + "A,infant_weight,1,,3075,g,0\n", "cases.csv:2: sd: must be positive"},
      {h + "A,infant_weight,1,12,3075,g,20\n", "cases.csv:2: day: give either day or time_h, not both"},
      {h + "A,infant_weight,,,3075,g,20\n", "cases.csv:2: day: give day or time_h"},
      {h + "A,onset_time,3,,60,h,\n", "cases.csv:2: day: onset_time is the time of an event"},
      // An event time is hours after birth: one before birth is a typing error, refused like a
      // negative time_h (it used to be fitted as an event at -1 h).
      {h + "A,first_colostrum_time,,,-1,h,3\n", "cases.csv:2: value: an event time must not be negative"},
      {h + "A,onset_time,,,-0.5,h,\n", "cases.csv:2: value: an event time must not be negative"},
      {h + "A,infant_weight,1.5,,3075,g,20\n", "cases.csv:2: day: must be a whole number of days"},
      {h + "A,infant_weight,,-1,3075,g,20\n", "cases.csv:2: time_h: must not be negative"},
      {h + "A,infant_weight,1,,3075,g,20\nA,infant_weight,1,,3080,g,20\n", "cases.csv:3: row: repeats line 2"},
      {h + "A,infant_weight,1,,3075,g\n", "cases.csv:2: row: has 6 fields, the header 7"},
      {h + "A,infant_weight,1,,3075,g,20,x\n", "cases.csv:2: row: has 8 fields, the header 7"},
      {h + "\"A,infant_weight,1,,3075,g,20\n", "cases.csv:2: row: a quoted field does not close on its line"},
      // A quote must open a whole field and close just before its comma: "Ibu A" bed 3 used to be
      // read silently as the subject Ibu A bed 3 (and mo"th"er_A as mother_A).
      {h + "\"Ibu A\" bed 3,infant_weight,1,,3075,g,20\n", "cases.csv:2: row: text after a closing quote"},
      {h + "mo\"th\"er_A,infant_weight,1,,3075,g,20\n", "cases.csv:2: row: a quote inside an unquoted field"},
      {h + "A\xFF,infant_weight,1,,3075,g,20\n", "cases.csv:2: row: holds bytes that are not UTF-8"},
      {h + "A\rB,infant_weight,1,,3075,g,20\n", "cases.csv:2: row: holds a control character"},
      {h + ",infant_weight,1,,3075,g,20\n", "cases.csv:2: subject: must not be empty"},
      {h + "A ,infant_weight,1,,3075,g,20\n", "cases.csv:2: subject: 'A ' has leading or trailing space"},
      {h + "A,infant_weight,1,,3075,g,1e7\n", "cases.csv:2: sd: 10000000 is out of range"},
      {h + "A,infant_weight,1,,,g,20\n", "cases.csv:2: value: is empty"},
      {"", "cases.csv:1: header: the table is empty"},
  };
  for (const Case& c : cases) {
    const std::string message = table_error(c.text);
    EXPECT_EQ(message.substr(0, c.expected.size()), c.expected) << "table:\n" << c.text << "gave: " << message;
  }
}

// A case series of 100,000 mothers, one row each, plus a second row for the first: every
// subject listed once, in order of first appearance. (Listing used to compare each row with every
// subject seen so far: 10^6 subjects did not load in 5 minutes. Speed is not asserted here.)
TEST(CaseTable, AHundredThousandSubjectsAreListedOnceEachInOrderOfFirstAppearance) {
  constexpr int kSubjects = 100000;
  std::string text = kHeader;
  for (int i = 0; i < kSubjects; ++i) text += "m" + std::to_string(i) + ",infant_weight,1,,3100,g,20\n";
  text += "m0,infant_weight,2,,3050,g,20\n";
  const std::vector<std::string> subjects = parse_case_table(text, "cases.csv").subjects();
  ASSERT_EQ(subjects.size(), static_cast<std::size_t>(kSubjects));
  for (int i = 0; i < kSubjects; ++i) ASSERT_EQ(subjects[static_cast<std::size_t>(i)], "m" + std::to_string(i));
}

TEST(CaseTable, GramsPerDayConvertExactlyAsAnObservedSeriesInTheScenarioDoes) {
  // The same observation typed into the TOML and given as a table row.
  const Scenario typed = mother("typed", "A",
                                "[[observed]]\nquantity = \"milk_transferred_daily\"\nunit = \"g/day\"\nsource = \"x\"\n"
                                "points = [{day = 3, value = 300, sd = 40}]\n");
  Scenario tabled = mother("tabled", "A");
  add_case_observations(tabled, parse_case_table(std::string(kHeader) + "A,milk_transferred_daily,3,,300,g/day,40\n",
                                                 "cases.csv"),
                        "A");
  const auto a = weighted_observations(typed), b = weighted_observations(tabled);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].model_unit, "mL/day");
  EXPECT_DOUBLE_EQ(b[0].observed, 300.0 / 1.03);  // a milk density of 1.03 g/mL
  EXPECT_DOUBLE_EQ(b[0].sigma, 40.0 / 1.03);
  EXPECT_EQ(b[0].observed, a[0].observed);
  EXPECT_EQ(b[0].sigma, a[0].sigma);
  EXPECT_EQ(b[0].day, 3);
  EXPECT_EQ(b[0].where.file, "cases.csv");
  EXPECT_EQ(b[0].where.line, 2);
  // An event time joins as a point at time_h = its value, as [[observed]] onset points are written.
  Scenario onset = mother("onset", "A");
  add_case_observations(onset, parse_case_table(std::string(kHeader) + "A,onset_time,,,60,h,6\n", "o.csv"), "A");
  ASSERT_EQ(onset.observed.size(), 1u);
  EXPECT_EQ(onset.observed[0].points[0].time_h, 60.0);
  EXPECT_FALSE(onset.observed[0].points[0].day.has_value());
  // kg → g as well.
  Scenario kg = mother("kg", "A");
  add_case_observations(kg, parse_case_table(std::string(kHeader) + "A,infant_weight,2,,3.1,kg,0.02\n", "c.csv"), "A");
  EXPECT_DOUBLE_EQ(weighted_observations(kg)[0].observed, 3100.0);
}

TEST(CaseTable, RowsGoToTheScenarioOfTheirSubject) {
  const CaseTable table = parse_case_table(std::string(kHeader) +
                                               "A,infant_weight,1,,3075,g,20\n"
                                               "B,infant_weight,1,,3300,g,20\n"
                                               "A,infant_weight,2,,2990,g,20\n"
                                               "C,infant_weight,1,,3500,g,20\n",
                                           "cases.csv");
  {
    std::vector<Scenario> scenarios = {mother("a", "A"), mother("b", "B")};
    const auto subjects = attach_case_table(scenarios, table, "", false);  // run: C is ignored
    EXPECT_EQ(subjects, (std::vector<std::string>{"A", "B"}));
    ASSERT_EQ(scenarios[0].observed.size(), 1u);
    ASSERT_EQ(scenarios[0].observed[0].points.size(), 2u);
    EXPECT_EQ(scenarios[0].observed[0].points[1].value, 2990.0);
    ASSERT_EQ(scenarios[1].observed[0].points.size(), 1u);
    EXPECT_EQ(scenarios[1].observed[0].points[0].value, 3300.0);
  }
  auto error_of = [&](std::vector<Scenario> scenarios, const std::string& override_subject, bool every) -> std::string {
    try {
      attach_case_table(scenarios, table, override_subject, every);
    } catch (const InputError& error) {
      return error.what();
    }
    return "";
  };
  // A fit: every subject needs its scenario; the first row of the unclaimed one is named.
  EXPECT_EQ(error_of({mother("a", "A"), mother("b", "B")}, "", true).substr(0, 56),
            "cases.csv:5: subject: no scenario claims subject 'C'; gi");
  // --subject picks the one scenario's rows, whatever its own key.
  std::vector<Scenario> one = {mother("a", "A")};
  attach_case_table(one, table, "C", false);
  EXPECT_EQ(one[0].observed[0].points[0].value, 3500.0);
  EXPECT_NE(error_of({mother("a", "A"), mother("b", "B")}, "C", false).find("<arguments>: subject: names the subject"),
            std::string::npos);
  EXPECT_NE(error_of({mother("a", "A"), mother("b", "A")}, "", false).find("b.toml: scenario.subject: subject 'A' is "
                                                                         "claimed by another scenario"),
            std::string::npos);
  EXPECT_NE(error_of({mother("d", "D")}, "", false).find("cases.csv: subject: no rows for subject 'D'"), std::string::npos);
  Scenario no_subject = parse_scenario(test::short_vaginal_scenario_toml("n"), "n.toml");
  EXPECT_NE(error_of({no_subject}, "", false).find("n.toml: scenario.subject: no subject to take from cases.csv"),
            std::string::npos);
  // A day beyond the scenario's 3-day horizon is refused at its row.
  std::vector<Scenario> short_one = {mother("a", "A")};
  const CaseTable late = parse_case_table(std::string(kHeader) + "A,infant_weight,4,,3000,g,20\n", "late.csv");
  try {
    attach_case_table(short_one, late, "", false);
    ADD_FAILURE() << "day 4 of a 3-day scenario was accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(std::string(error.what()).substr(0, 31), "late.csv:2: day: day 4 is outsi");
  }
}

TEST(CaseTable, ASubjectKeyMustNotBeEmpty) {
  EXPECT_THROW(mother("a", ""), InputError);
}

// A case table's subject never has surrounding space or a control character (the table refuses
// them), so a scenario subject with one could match no row: refused where it is written, at its
// line, rather than as "no rows for subject" with the raw NUL or newline in the message.
TEST(CaseTable, ASubjectKeyWithSurroundingSpaceOrAControlCharacterIsRefusedAtItsLine) {
  for (const std::string subject : {" mother_A", "mother_A ", "a\\u0000b", "a\\nb", "a\\u2028b"}) {
    try {
      mother("a", subject);
      ADD_FAILURE() << "accepted subject " << subject;
    } catch (const InputError& error) {
      EXPECT_EQ(std::string(error.what()).substr(0, 18), "a.toml:4:11: scena") << error.what();
      EXPECT_NE(std::string(error.what()).find("scenario.subject: "), std::string::npos) << error.what();
      EXPECT_EQ(std::string(error.what()).find('\0'), std::string::npos);
      EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos);
    }
  }
  EXPECT_EQ(mother("a", "Ibu A, bed 3").subject, "Ibu A, bed 3");  // inner spaces are fine
}

/// A case table of `subjects` simulated with their own parameter values: infant weight (g) at
/// the end of days 1-3 (sd 10 g) and milk to the infant on days 2-3 (sd 10 mL/day), exact.
std::string simulated_case_table(const std::vector<std::pair<std::string, std::vector<std::string>>>& subjects) {
  std::string csv = kHeader;
  for (const auto& [subject, assignments] : subjects) {
    Scenario s = mother("truth_" + subject, subject);
    std::vector<ParameterOverride> overrides;
    for (const std::string& a : assignments) overrides.push_back(parse_parameter_assignment(a, {"test", 0, 0}));
    apply_overrides(s, overrides);
    RunOptions options;
    options.solver = fit_solver_options();
    const RunResult result = simulate(to_simulation_input(s), options);
    for (int day = 1; day <= 3; ++day) {
      csv += subject + ",infant_weight," + std::to_string(day) + ",," +
             round_trip_cell(result.daily[day - 1].infant_weight_g) + ",g,10\n";
    }
    for (int day = 2; day <= 3; ++day) {
      csv += subject + ",milk_transferred_daily," + std::to_string(day) + ",," +
             round_trip_cell(result.daily[day - 1].milk_transferred_ml) + ",mL/day,10\n";
    }
  }
  return csv;
}

TEST(CaseSeriesFit, RecoversEachSubjectsKnownSynthesisRateFromASimulatedCaseSeries) {
  const auto dir = test::fresh_temp_dir("case_recovery");
  test::write_text(dir / "cases.csv", simulated_case_table({{"A", {"milk_max_synthesis_ml_h=70"}},
                                                            {"B", {"milk_max_synthesis_ml_h=35"}}}));
  std::vector<Scenario> scenarios = {mother("a", "A"), mother("b", "B")};  // both start at the default 52.6
  const auto subjects = attach_case_table(scenarios, read_case_table(dir / "cases.csv"), "", true);
  const CaseSeriesFit fit =
      fit_case_series(scenarios, subjects, {"milk_max_synthesis_ml_h"}, {}, {}, kDefaultObservationCv, FitSettings{});
  ASSERT_EQ(fit.subjects.size(), 2u);
  EXPECT_FALSE(fit.joint.has_value());
  EXPECT_EQ(fit.subjects[0].status, SubjectFitStatus::ok) << fit.subjects[0].detail;
  EXPECT_EQ(fit.subjects[1].status, SubjectFitStatus::ok) << fit.subjects[1].detail;
  EXPECT_NEAR(fit.subjects[0].estimate[0], 70.0, 0.7);  // within 1% of the truth
  EXPECT_NEAR(fit.subjects[1].estimate[0], 35.0, 0.35);
  EXPECT_EQ(fit.subjects[0].points, 5u);
  EXPECT_LT(fit.subjects[0].chi_square, 1e-3);
  const EstimateSpread spread = estimate_spread(fit, 0);
  EXPECT_EQ(spread.subjects, 2u);
  EXPECT_NEAR(spread.mean, 0.5 * (fit.subjects[0].estimate[0] + fit.subjects[1].estimate[0]), 1e-12);
  EXPECT_NEAR(spread.sd, std::abs(fit.subjects[0].estimate[0] - fit.subjects[1].estimate[0]) / std::sqrt(2.0), 1e-9);
}

TEST(CaseSeriesFit, SharedParametersGetOneJointEstimateOthersStayPerSubject) {
  const auto dir = test::fresh_temp_dir("case_shared");
  test::write_text(dir / "cases.csv",
                   simulated_case_table({{"A", {"milk_max_synthesis_ml_h=70", "infant_loss_g_kg_h=2.5"}},
                                         {"B", {"milk_max_synthesis_ml_h=35", "infant_loss_g_kg_h=2.5"}}}));
  std::vector<Scenario> scenarios = {mother("a", "A"), mother("b", "B")};
  const auto subjects = attach_case_table(scenarios, read_case_table(dir / "cases.csv"), "", true);
  const std::vector<std::string> free = {"milk_max_synthesis_ml_h", "infant_loss_g_kg_h"};
  const CaseSeriesFit joint =
      fit_case_series(scenarios, subjects, free, {"infant_loss_g_kg_h"}, {}, kDefaultObservationCv, FitSettings{});
  ASSERT_TRUE(joint.joint.has_value());
  EXPECT_EQ(joint.joint->estimate.size(), 3u);  // one shared value + two per-subject synthesis rates
  ASSERT_EQ(joint.subjects[0].status, SubjectFitStatus::ok) << joint.subjects[0].detail;
  ASSERT_EQ(joint.subjects[1].status, SubjectFitStatus::ok) << joint.subjects[1].detail;
  EXPECT_EQ(joint.subjects[0].estimate[1], joint.subjects[1].estimate[1]);
  EXPECT_EQ(joint.subjects[0].standard_error[1], joint.subjects[1].standard_error[1]);
  EXPECT_NEAR(joint.subjects[0].estimate[1], 2.5, 0.025);
  EXPECT_NEAR(joint.subjects[0].estimate[0], 70.0, 0.7);
  EXPECT_NEAR(joint.subjects[1].estimate[0], 35.0, 0.35);
  EXPECT_TRUE(joint.shared[1]);
  EXPECT_FALSE(joint.shared[0]);

  // Without --shared each subject is its own fit: the same as fitting that scenario alone.
  const CaseSeriesFit separate = fit_case_series(scenarios, subjects, free, {}, {}, kDefaultObservationCv, FitSettings{});
  const FitResult alone = fit_parameters(FitProblem({scenarios[1]}, free), FitSettings{});
  ASSERT_EQ(separate.subjects[1].status, SubjectFitStatus::ok);
  EXPECT_EQ(separate.subjects[1].estimate, alone.estimate);
  EXPECT_FALSE(separate.joint.has_value());
  EXPECT_THROW(fit_case_series(scenarios, subjects, free, {"pain_peak_nrs"}, {}, kDefaultObservationCv, FitSettings{}),
               InputError);  // a shared parameter must be free
}

TEST(CaseSeriesFit, ASubjectThatCannotBeFittedIsReportedNotDropped) {
  const auto dir = test::fresh_temp_dir("case_failed");
  std::string csv = simulated_case_table({{"A", {"milk_max_synthesis_ml_h=70"}}});
  csv += "B,infant_weight,1,,3200,g,10\n";  // one observation for two free parameters
  test::write_text(dir / "cases.csv", csv);
  std::vector<Scenario> scenarios = {mother("a", "A"), mother("b", "B")};
  const auto subjects = attach_case_table(scenarios, read_case_table(dir / "cases.csv"), "", true);
  const CaseSeriesFit fit = fit_case_series(scenarios, subjects, {"milk_max_synthesis_ml_h", "infant_loss_g_kg_h"}, {}, {},
                                            kDefaultObservationCv, FitSettings{});
  EXPECT_EQ(fit.subjects[0].status, SubjectFitStatus::ok);
  EXPECT_EQ(fit.subjects[1].status, SubjectFitStatus::failed);
  EXPECT_NE(fit.subjects[1].detail.find("1 observations for 2 free parameters"), std::string::npos);
  const std::string table = per_subject_csv(fit);
  EXPECT_NE(table.find("\nB,b,milk_max_synthesis_ml_h,mL/h,0,,,,,,,1,failed,"), std::string::npos) << table;
  EXPECT_NE(table.find("\nA,a,milk_max_synthesis_ml_h,mL/h,0,"), std::string::npos) << table;
  EXPECT_EQ(estimate_spread(fit, 0).subjects, 1u);  // the failed subject is not in the spread
}

TEST(CaseSeriesFit, TheConsoleSummaryOfOneFittedSubjectShowsNoSpreadRatherThanNan) {
  // A researcher fitting one mother of a table (--subject) saw "across 1 subjects: ... SD nan".
  CaseSeriesFit fit;
  fit.parameters.push_back(FreeParameter{"milk_max_synthesis_ml_h", "mL/h", BoundTransform(5.0, 200.0), 52.6});
  fit.shared.push_back(false);
  SubjectFit one;
  one.subject = "Ibu Dewi";
  one.scenario_file = "dewi.toml";
  one.status = SubjectFitStatus::ok;
  one.estimate = {7.5};
  one.standard_error = {6.25};
  one.ci_lower = {5.0};
  one.ci_upper = {19.75};
  one.chi_square = 83.0;
  one.points = 4;
  fit.subjects.push_back(one);
  const std::string text = case_series_summary_text(fit);
  EXPECT_EQ(text.find("nan"), std::string::npos) << text;
  EXPECT_NE(text.find("across 1 subject: milk_max_synthesis_ml_h 7.5 mL/h (no spread with one subject)"),
            std::string::npos)
      << text;
  fit.subjects.push_back(one);
  fit.subjects.back().estimate = {9.5};
  EXPECT_NE(case_series_summary_text(fit).find("across 2 subjects: milk_max_synthesis_ml_h mean 8.5, SD 1.414, min 7.5, "
                                                "max 9.5 mL/h"),
            std::string::npos)
      << case_series_summary_text(fit);
}

}  // namespace
}  // namespace lactsim
