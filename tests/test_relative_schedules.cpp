// [[pumping]] and [[massage]] schedules relative to the feeds (before_each_feed_min,
// after_each_feed_min, every_nth_feed, max_per_day, days): expansion against hand-derived
// times, and one located message per malformed input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lactsim/io/scenario.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;
using test::quoted;

// 7 days (horizon 168 h), born 10:00; the first line of appended text is line 9.
const std::string kHeader = R"([scenario]
name = "t"
duration_days = 7

[delivery]
mode = "caesarean_planned"
clock_time = "10:00"
)";

// Feeds of 15 min every 3 h from 2 h: 2, 5, ..., 167 h (56 feeds). Lines 9-12.
const std::string kFeeds = R"(
[[feeds]]
every_h = 3
first_h = 2
duration_min = 15
)";

std::vector<Session> sessions_of(const Scenario& s, SessionKind kind) {
  std::vector<Session> out;
  for (const auto& o : s.sessions) {
    if (o.session.kind == kind) out.push_back(o.session);
  }
  return out;
}

std::vector<double> starts_of(const Scenario& s, SessionKind kind) {
  std::vector<double> out;
  for (const Session& session : sessions_of(s, kind)) out.push_back(session.start_h);
  return out;
}

TEST(RelativeSchedules, BeforeEachFeedEndsTheGivenMinutesBeforeEveryFeedStarts) {
  const Scenario s = parse_scenario(kHeader + kFeeds + R"(
[[massage]]
before_each_feed_min = 30
duration_min = 15
)", "before.toml");
  // Feed k starts at 2 + 3k h; the massage ends 0.5 h earlier and lasts 0.25 h:
  // end = 1.5 + 3k, start = 1.25 + 3k, for all 56 feeds.
  const auto massages = sessions_of(s, SessionKind::massage);
  ASSERT_EQ(massages.size(), 56u);
  for (std::size_t k = 0; k < massages.size(); ++k) {
    EXPECT_DOUBLE_EQ(massages[k].start_h, 1.25 + 3.0 * static_cast<double>(k)) << k;
    EXPECT_DOUBLE_EQ(massages[k].end_h, 1.5 + 3.0 * static_cast<double>(k)) << k;
  }
}

TEST(RelativeSchedules, AfterEachFeedStartsTheGivenMinutesAfterEveryFeedEndsAndStopsAtTheHorizon) {
  const Scenario s = parse_scenario(kHeader + R"(
[[feeds]]
every_h = 3
first_h = 2
duration_min = 30

[[pumping]]
after_each_feed_min = 30
duration_min = 20
)", "after.toml");
  // Feed k: 2 + 3k to 2.5 + 3k h; pumping starts 0.5 h after its end, at 3 + 3k h. The last
  // feed (k = 55, 167 h) would give a session at 168 h, the horizon: left out.
  const auto pumps = sessions_of(s, SessionKind::pump);
  ASSERT_EQ(pumps.size(), 55u);
  EXPECT_DOUBLE_EQ(pumps.front().start_h, 3.0);
  EXPECT_DOUBLE_EQ(pumps.front().end_h, 3.0 + 20.0 / 60.0);
  EXPECT_DOUBLE_EQ(pumps.back().start_h, 165.0);
}

TEST(RelativeSchedules, EveryNthFeedCountsFromTheFirstFeed) {
  const Scenario s = parse_scenario(kHeader + kFeeds + R"(
[[massage]]
before_each_feed_min = 0
every_nth_feed = 3
duration_min = 30
)", "nth.toml");
  // Feeds 1, 4, 7, ... (k = 0, 3, ..., 54: 19 feeds) start at 2, 11, 20, ... h; sessions end at
  // the feed's start and last 0.5 h: 1.5, 10.5, 19.5, ..., 163.5 h.
  const auto starts = starts_of(s, SessionKind::massage);
  ASSERT_EQ(starts.size(), 19u);
  for (std::size_t j = 0; j < starts.size(); ++j) EXPECT_DOUBLE_EQ(starts[j], 1.5 + 9.0 * static_cast<double>(j)) << j;
}

TEST(RelativeSchedules, MaxPerDayKeepsTheFirstSessionsOfEachDay) {
  const Scenario s = parse_scenario(kHeader + kFeeds + R"(
[[massage]]
before_each_feed_min = 0
max_per_day = 2
duration_min = 15
)", "max.toml");
  // Candidates 1.75 + 3k h; day d = [24(d-1), 24d) keeps its first two: 24(d-1) + 1.75 and
  // 24(d-1) + 4.75 (the feeds of every day start at the same offsets, 2 h and 5 h).
  std::vector<double> expected;
  for (int day = 1; day <= 7; ++day) {
    expected.push_back(24.0 * (day - 1) + 1.75);
    expected.push_back(24.0 * (day - 1) + 4.75);
  }
  EXPECT_EQ(starts_of(s, SessionKind::massage), expected);
}

TEST(RelativeSchedules, DaysKeepOnlySessionsStartingInThoseDays) {
  const Scenario s = parse_scenario(kHeader + kFeeds + R"(
[[massage]]
before_each_feed_min = 30
every_nth_feed = 4
days = [2, 4]
duration_min = 15
)", "days.toml");
  // Every 4th feed: 2, 14, 26, 38, 50, 62, 74, 86, ... h; sessions start 0.75 h earlier:
  // 25.25 and 37.25 h fall in day 2 [24, 48), 73.25 and 85.25 h in day 4 [72, 96).
  EXPECT_EQ(starts_of(s, SessionKind::massage), (std::vector<double>{25.25, 37.25, 73.25, 85.25}));
}

TEST(RelativeSchedules, ASessionThatWouldStartBeforeBirthIsLeftOutAndNotCountedForItsDay) {
  const Scenario s = parse_scenario(kHeader + R"(
[[feeds]]
every_h = 3
first_h = 0.5
duration_min = 15

[[massage]]
before_each_feed_min = 30
max_per_day = 1
duration_min = 15
)", "before_birth.toml");
  // Candidates start at 0.5 + 3k - 0.75 = 3k - 0.25 h. The first (k = 0, -0.25 h) is left out
  // whole, not clipped, and does not use up day 1's one session: day 1 keeps k = 1, 2.75 h. Day
  // d's first candidate is the least k with 3k - 0.25 >= 24(d-1), k = 8(d-1) + 1: 24(d-1) + 2.75 h.
  std::vector<double> expected;
  for (int day = 1; day <= 7; ++day) expected.push_back(24.0 * (day - 1) + 2.75);
  EXPECT_EQ(starts_of(s, SessionKind::massage), expected);
  for (const auto& o : s.sessions) EXPECT_GE(o.session.start_h, 0.0);
}

TEST(RelativeSchedules, FeedsOfSeveralSchedulesAreCountedInTimeOrder) {
  const Scenario s = parse_scenario(kHeader + R"(
[[feeds]]
start_times_h = [10]
duration_min = 15

[[feeds]]
start_times_h = [4]
duration_min = 15

[[massage]]
before_each_feed_min = 60
every_nth_feed = 2
duration_min = 30
)", "order.toml");
  // The feeds in time order are 4 h and 10 h; every 2nd from the first is the 4 h feed:
  // a session ending at 3 h, from 2.5 h (file order would have picked the 10 h feed).
  EXPECT_EQ(starts_of(s, SessionKind::massage), (std::vector<double>{2.5}));
}

struct BadRelative {
  const char* label;
  std::string text;
  int line;
  const char* field;
  const char* message;
};

TEST(RelativeSchedules, EveryMalformedRelativeScheduleGivesOneLocatedMessage) {
  // With kFeeds (lines 9-12), the appended "\n[[massage]]\n" puts [[massage]] on line 14 and
  // its first key on line 15.
  const std::vector<BadRelative> cases = {
      {"no feeds", kHeader + "\n[[massage]]\nbefore_each_feed_min = 30\nduration_min = 15\n", 10,
       "massage[0].before_each_feed_min", "no [[feeds]]"},
      {"inside feeds", kHeader + "\n[[feeds]]\nafter_each_feed_min = 30\nduration_min = 15\n", 10,
       "feeds[0].after_each_feed_min", "cannot be scheduled relative to feeds"},
      {"negative minutes", kHeader + kFeeds + "\n[[massage]]\nbefore_each_feed_min = -5\nduration_min = 15\n", 15,
       "massage[0].before_each_feed_min", "from 0 to 1440"},
      {"more than a day", kHeader + kFeeds + "\n[[pumping]]\nafter_each_feed_min = 1441\nduration_min = 15\n", 15,
       "pumping[0].after_each_feed_min", "from 0 to 1440"},
      {"every_nth_feed 0",
       kHeader + kFeeds + "\n[[massage]]\nbefore_each_feed_min = 30\nevery_nth_feed = 0\nduration_min = 15\n", 16,
       "massage[0].every_nth_feed", "whole number from 1"},
      {"every_nth_feed not whole",
       kHeader + kFeeds + "\n[[massage]]\nbefore_each_feed_min = 30\nevery_nth_feed = 1.5\nduration_min = 15\n", 16,
       "massage[0].every_nth_feed", "expected an integer"},
      {"max_per_day 0",
       kHeader + kFeeds + "\n[[massage]]\nbefore_each_feed_min = 30\nmax_per_day = 0\nduration_min = 15\n", 16,
       "massage[0].max_per_day", "whole number from 1"},
      {"before and after",
       kHeader + kFeeds + "\n[[massage]]\nbefore_each_feed_min = 30\nafter_each_feed_min = 30\nduration_min = 15\n",
       14, "massage[0]", "exactly one of"},
      {"relative and clock times",
       kHeader + kFeeds +
           "\n[[massage]]\nbefore_each_feed_min = 30\nclock_times = [\"08:00\"]\ndays = [1]\nduration_min = 15\n",
       14, "massage[0]", "exactly one of"},
      {"max_per_day without a relative form",
       kHeader + kFeeds + "\n[[massage]]\nevery_h = 12\nmax_per_day = 2\nduration_min = 15\n", 16,
       "massage[0].max_per_day", "only used with before_each_feed_min or after_each_feed_min"},
      {"day past the horizon",
       kHeader + kFeeds + "\n[[massage]]\nbefore_each_feed_min = 30\ndays = [8]\nduration_min = 15\n", 16,
       "massage[0].days", "past the horizon"},
      // A 4-h massage ending at each 3-hourly feed: 1-5 h, 4-8 h, ... overlap (the one from -2 h
      // is left out). The existing overlap check names the entry's line.
      {"overlapping relative sessions",
       kHeader + kFeeds + "\n[[massage]]\nbefore_each_feed_min = 0\nduration_min = 240\n", 14, "massage",
       "massage sessions overlap: one at 1 h-5 h (schedule at line 14) and one starting at 4 h"},
  };
  for (const BadRelative& bad : cases) {
    try {
      parse_scenario(bad.text, "bad.toml");
      ADD_FAILURE() << bad.label << ": accepted";
    } catch (const InputError& error) {
      const std::string message = error.what();
      EXPECT_EQ(error.exit_code(), ExitCode::bad_input) << bad.label;
      EXPECT_EQ(error.where().line, bad.line) << bad.label << ": " << message;
      EXPECT_NE(message.find("bad.toml:" + std::to_string(bad.line)), std::string::npos) << bad.label << ": " << message;
      EXPECT_NE(message.find(bad.field), std::string::npos) << bad.label << ": " << message;
      EXPECT_NE(message.find(bad.message), std::string::npos) << bad.label << ": " << message;
    }
  }
}

TEST(RelativeSchedules, ABadRelativeScheduleIsExitTwoWithFileLineAndFieldFromTheCli) {
  const fs::path dir = test::fresh_temp_dir("relative-bad");
  const fs::path file = dir / "no_feeds.toml";
  test::write_text(file, kHeader + "\n[[massage]]\nbefore_each_feed_min = 30\nduration_min = 15\n");
  for (const std::string& command : std::vector<std::string>{"check", "run -q --out " + quoted(dir / "out")}) {
    const auto r = test::run_cli(command + " " + quoted(file));
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find(file.string() + ":10:"), std::string::npos) << command << ": " << r.err;
    EXPECT_NE(r.err.find("massage[0].before_each_feed_min"), std::string::npos) << command << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

TEST(RelativeSchedules, CheckPrintsTheExpandedSessionsOfTheTimingStudy) {
  const fs::path study = test::scenario_path("timing_study");
  const auto r = test::run_cli("check " + quoted(study / "a_no_massage.toml") + " " +
                               quoted(study / "b_massage_fixed_clock.toml") + " " +
                               quoted(study / "c_massage_before_feeds.toml"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Arm (c): every 4th feed (2, 14, 26, ... h after a 10:00 birth) minus 30 + 15 min, days 1-3.
  for (const char* row : {"massage     1     1.250     1.500  11:15      15.0", "massage     1    13.250    13.500  23:15",
                          "massage     3    61.250    61.500  23:15"}) {
    EXPECT_NE(r.out.find(row), std::string::npos) << row << "\n" << r.out;
  }
  EXPECT_EQ(r.out.find("massage     4"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace lactsim
