// Scenario files: schedule expansion and one clear, located error per malformed input.
#include <gtest/gtest.h>

#include <string>

#include "lactsim/io/run_scenarios.hpp"
#include "lactsim/io/scenario.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

const std::string kHeader = R"([scenario]
name = "t"
duration_days = 7

[delivery]
mode = "caesarean_planned"
clock_time = "10:00"
)";  // 7 lines: the first line of any appended text is line 9 (after a blank line)

std::vector<double> starts(const Scenario& s, SessionKind kind) {
  std::vector<double> out;
  for (const auto& o : s.sessions) {
    if (o.session.kind == kind) out.push_back(o.session.start_h);
  }
  return out;
}

TEST(Schedules, ClockTimesLandInsideEachDaysWindowAfterBirth) {
  const Scenario s = parse_scenario(kHeader + R"(
[[massage]]
clock_times = ["08:00", "17:00"]
days = [1, 2, 3]
duration_min = 15
)", "clock.toml");
  // Born 10:00: 17:00 is 7 h later, 08:00 is 22 h later; day d adds 24(d-1) h.
  EXPECT_EQ(starts(s, SessionKind::massage), (std::vector<double>{7, 22, 31, 46, 55, 70}));
  for (const auto& o : s.sessions) EXPECT_DOUBLE_EQ(o.session.end_h - o.session.start_h, 0.25);
}

TEST(Schedules, RepeatingScheduleStopsBeforeUntilAndTheHorizon) {
  const Scenario s = parse_scenario(kHeader + R"(
[[feeds]]
every_h = 3
first_h = 2
duration_min = 20

[[pumping]]
every_h = 6
first_h = 1
until_h = 25
duration_min = 10
)", "repeat.toml");
  EXPECT_EQ(starts(s, SessionKind::feed).size(), 56u);  // 2, 5, ..., 167
  EXPECT_DOUBLE_EQ(starts(s, SessionKind::feed).back(), 167.0);
  EXPECT_EQ(starts(s, SessionKind::pump), (std::vector<double>{1, 7, 13, 19}));
}

TEST(Schedules, ExplicitStartTimesAndObservedPainAreRead) {
  const Scenario s = parse_scenario(kHeader + R"(
[pain]
profile = "observed"
points = [{ time_h = 4, nrs = 2.7 }, { time_h = 24, nrs = 7.0 }]

[[feeds]]
start_times_h = [1.5, 4.0]
duration_min = 15
)", "explicit.toml");
  EXPECT_EQ(starts(s, SessionKind::feed), (std::vector<double>{1.5, 4.0}));
  ASSERT_EQ(s.observed_pain.size(), 2u);
  EXPECT_DOUBLE_EQ(s.observed_pain[1].nrs, 7.0);
}

TEST(Schedules, NonAsciiTextInStringsAndCommentsAndAByteOrderMarkAreAccepted) {
  // The guard against toml++ 3.3's unreachable-state bug must not reject valid TOML.
  const Scenario s = parse_scenario("\xEF\xBB\xBF# Ibu — pijat oksitosin, día 1\n[scenario]\nname = \"Ibu Siti — 母乳\"\n"
                                    "description = '''multi\nlínea'''\nduration_days = 1\n[delivery]\nmode = \"vaginal\"\n"
                                    "[parameters]\n\"pain_peak_nrs\" = 5\n",
                                    "utf8.toml");
  EXPECT_EQ(s.name, "Ibu Siti — 母乳");
  EXPECT_DOUBLE_EQ(s.parameters.pain_peak_nrs, 5.0);
  // Characters toml++ 3.3 mishandles (é U+00E9, § U+00A7, ⰰ U+2C30, ﹏ U+FE4F) are swapped
  // for stand-ins while parsing and must come back unchanged.
  const Scenario accents = parse_scenario("[scenario]\nname = \"Pérez § ⰰ ﹏\"\nduration_days = 1\n"
                                          "[delivery]\nmode = \"vaginal\"\n[[observed]]\nquantity = \"pain\"\n"
                                          "unit = \"NRS\"\nsource = '''Chapman & Pérez-Escamilla 2000'''\n"
                                          "points = [{ day = 1, value = 3 }]\n",
                                          "accents.toml");
  EXPECT_EQ(accents.name, "Pérez § ⰰ ﹏");
  EXPECT_EQ(accents.observed.front().source, "Chapman & Pérez-Escamilla 2000");
}

TEST(FuzzRegressions, EveryInputThatOnceCrashedIsNowAnInputError) {
  // Run under the sanitizer build in CI, where the old undefined behaviour would abort.
  const auto dir = std::filesystem::path(LACTSIM_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    ++files;
    EXPECT_THROW(parse_scenario(test::read_file(entry.path()), entry.path()), InputError) << entry.path();
  }
  EXPECT_GE(files, 8);
}

TEST(Schedules, ParametersApplyOverCovariateDefaults) {
  const Scenario s = parse_scenario(kHeader + "\n[parameters]\npain_peak_nrs = 6\n", "params.toml");
  EXPECT_DOUBLE_EQ(s.parameters.pain_peak_nrs, 6.0);
  EXPECT_DOUBLE_EQ(s.parameters.pain_anaesthesia_h, 12.0);  // caesarean_planned default
}

struct BadInput {
  const char* label;
  std::string text;     // the whole file
  int line;             // line the message must name
  const char* field;    // field the message must name
  const char* message;  // a fragment of the explanation
};

std::vector<BadInput> bad_inputs() {
  return {
      {"malformed TOML", kHeader + "\n[[feeds]\n", 9, "", "malformed TOML"},
      {"unknown key with suggestion", kHeader + "\n[[feeds]]\nevery_hours = 3\nduration_min = 15\n", 10,
       "feeds[0].every_hours", "did you mean 'every_h'"},
      {"unknown top-level table", kHeader + "\n[massages]\n", 9, "massages", "did you mean 'massage'"},
      {"wrong type", kHeader + "\n[[feeds]]\nevery_h = \"3\"\nduration_min = 15\n", 10, "feeds[0].every_h",
       "expected a number, found a string"},
      {"negative duration", kHeader + "\n[[feeds]]\nevery_h = 3\nduration_min = -15\n", 11,
       "feeds[0].duration_min", "must be positive"},
      {"zero duration", kHeader + "\n[[feeds]]\nevery_h = 3\nduration_min = 0\n", 11, "feeds[0].duration_min",
       "must be positive"},
      {"zero scenario duration", "[scenario]\nname = \"t\"\nduration_days = 0\n[delivery]\nmode = \"vaginal\"\n", 3,
       "duration_days", "from 1 to 60"},
      {"overlapping sessions",
       kHeader + "\n[[feeds]]\nstart_times_h = [1]\nduration_min = 30\n\n[[feeds]]\nstart_times_h = [1.25]\n"
                 "duration_min = 15\n",
       13, "feed", "overlap"},
      {"session past the horizon", kHeader + "\n[[feeds]]\nstart_times_h = [170]\nduration_min = 15\n", 10,
       "feeds[0].start_times_h", "past the horizon"},
      {"day past the horizon", kHeader + "\n[[massage]]\nclock_times = [\"08:00\"]\ndays = [8]\nduration_min = 15\n",
       11, "massage[0].days", "past the horizon"},
      {"until past the horizon", kHeader + "\n[[feeds]]\nevery_h = 3\nuntil_h = 200\nduration_min = 15\n", 11,
       "feeds[0].until_h", "past the horizon"},
      {"unknown parameter", kHeader + "\n[parameters]\not_half_life = 3\n", 10, "parameters.ot_half_life",
       "did you mean 'ot_half_life_min'"},
      {"value outside bounds", kHeader + "\n[parameters]\not_half_life_min = 300\n", 10,
       "parameters.ot_half_life_min", "outside its plausible bounds [1, 20]"},
      {"non-finite value", kHeader + "\n[parameters]\not_half_life_min = nan\n", 10, "parameters.ot_half_life_min",
       "outside its plausible bounds"},
      {"cross-parameter constraint", kHeader + "\n[parameters]\npain_anaesthesia_h = 30\n", 10,
       "parameters.pain_peak_h", "must not be earlier than pain_anaesthesia_h"},
      {"bad clock time", kHeader + "\n[[massage]]\nclock_times = [\"8 am\"]\ndays = [1]\nduration_min = 15\n", 10,
       "massage[0].clock_times", "HH:MM"},
      {"bad delivery clock", "[scenario]\nname = \"t\"\nduration_days = 7\n[delivery]\nmode = \"vaginal\"\n"
                             "clock_time = \"25:00\"\n",
       6, "delivery.clock_time", "not a clock time"},
      {"unknown delivery mode", "[scenario]\nname = \"t\"\nduration_days = 7\n[delivery]\nmode = \"caesarian\"\n", 5,
       "delivery.mode", "did you mean 'caesarean_planned'"},
      {"delivery mode with its words swapped",
       "[scenario]\nname = \"t\"\nduration_days = 7\n[delivery]\nmode = \"emergency_caesarean\"\n", 5,
       "delivery.mode", "did you mean 'caesarean_emergency'"},
      {"missing required table", "[scenario]\nname = \"t\"\nduration_days = 7\n", 1, "delivery", "is missing"},
      {"missing required key", "[scenario]\nname = \"t\"\n[delivery]\nmode = \"vaginal\"\n", 1,
       "scenario.duration_days", "is missing"},
      {"two schedule forms", kHeader + "\n[[feeds]]\nevery_h = 3\nstart_times_h = [1]\nduration_min = 15\n", 9,
       "feeds[0]", "exactly one of"},
      {"pain score above 10", kHeader + "\n[pain]\nprofile = \"observed\"\npoints = [{ time_h = 1, nrs = 11 }]\n", 11,
       "pain.points[0].nrs", "[0, 10]"},
      {"too many sessions", kHeader + "\n[[feeds]]\nevery_h = 0.01\nduration_min = 0.1\n", 10, "feeds[0].every_h",
       "more than 6000 sessions"},
      {"observed unit mismatch",
       kHeader + "\n[[observed]]\nquantity = \"prolactin\"\nunit = \"mL\"\nsource = \"x\"\npoints = [{ day = 1, value = 1 }]\n",
       11, "observed[0].unit", "not one of ng/mL"},
      {"observed day out of range",
       kHeader + "\n[[observed]]\nquantity = \"pain\"\nunit = \"NRS\"\nsource = \"x\"\npoints = [{ day = 9, value = 1 }]\n",
       13, "observed[0].points[0].day", "outside days 1-7"},
  };
}

TEST(BadScenario, EveryMalformedInputClassGivesOneLocatedMessage) {
  for (const BadInput& bad : bad_inputs()) {
    try {
      parse_scenario(bad.text, "bad.toml");
      ADD_FAILURE() << bad.label << ": accepted";
    } catch (const InputError& error) {
      const std::string message = error.what();
      EXPECT_EQ(error.exit_code(), ExitCode::bad_input) << bad.label;
      EXPECT_EQ(error.where().file, "bad.toml") << bad.label;
      EXPECT_EQ(error.where().line, bad.line) << bad.label << ": " << message;
      EXPECT_NE(message.find("bad.toml:" + std::to_string(bad.line)), std::string::npos) << bad.label << ": " << message;
      EXPECT_NE(message.find(bad.field), std::string::npos) << bad.label << ": " << message;
      EXPECT_NE(message.find(bad.message), std::string::npos) << bad.label << ": " << message;
    }
  }
}

TEST(BadScenario, CommandLineAssignmentsAreChecked) {
  const SourceLocation cli{"<command line>", 0, 0};
  EXPECT_THROW(parse_parameter_assignment("ot_half_life_min", cli), InputError);
  EXPECT_THROW(parse_parameter_assignment("no_such_parameter=1", cli), InputError);
  EXPECT_THROW(parse_parameter_assignment("ot_half_life_min=abc", cli), InputError);
  EXPECT_THROW(parse_parameter_assignment("ot_half_life_min=3x", cli), InputError);
  EXPECT_DOUBLE_EQ(parse_parameter_assignment("ot_half_life_min=4.5", cli).value, 4.5);
  Scenario s = test::load_shipped("seed_case_control.toml");
  EXPECT_THROW(apply_overrides(s, {parse_parameter_assignment("ot_half_life_min=0.1", cli)}), InputError);
}

// A scenario's parameters are validated once, at load, with every override applied: the set
// that runs is judged, not the file's part of it first. (Validated in two steps, the file's
// pain_anaesthesia_h = 30 was refused before the --set that mends the constraint was read.)
TEST(ScenarioParameters, AreValidatedOnceAsTheyRunWithEveryOverrideApplied) {
  const std::string text = kHeader + "\n[parameters]\npain_anaesthesia_h = 30\n";  // pain_peak_h 20 < 30
  const fs::path dir = test::fresh_temp_dir("validate-once");
  const fs::path file = dir / "late_peak.toml";
  test::write_text(file, text);

  const Scenario mended = load_scenarios({file}, {"pain_peak_h=36"}).front();
  EXPECT_DOUBLE_EQ(mended.parameters.pain_anaesthesia_h, 30.0);
  EXPECT_DOUBLE_EQ(mended.parameters.pain_peak_h, 36.0);
  const Scenario from_text = parse_scenario(text, "late_peak.toml", {{"pain_peak_h", 36.0, {"<arguments>", 0, 0}}});
  EXPECT_DOUBLE_EQ(from_text.parameters.pain_peak_h, 36.0);

  // Still one located message when the set that would run is invalid: the file's line alone,
  // the override that set the parameter last when there is one.
  try {
    load_scenarios({file}, {});
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().file, file.string());
    EXPECT_EQ(error.where().line, 10) << error.what();
  }
  try {
    load_scenarios({file}, {"pain_peak_h=25"});
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().file, kArgumentsOrigin) << error.what();
    EXPECT_NE(std::string(error.what()).find("parameters.pain_peak_h"), std::string::npos) << error.what();
  }
  fs::remove_all(dir);
}

TEST(BadScenario, MissingFileIsBadInput) {
  EXPECT_THROW(load_scenario("/nonexistent/x.toml"), InputError);
}

}  // namespace
}  // namespace lactsim
