// `lactsim run --format long` (issue #15): the time series and daily tables in long form, one
// row per value with its scenario and unit, so the tables of many runs stack without options.
// Every value must be the wide table's, to the byte.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "plot_csv.hpp"
#include "lactsim/io/long_tables.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;
using test::quoted;

/// Units of the wide tables' columns as docs/outputs.md lists them (written out here, not
/// taken from the code under test).
const std::map<std::string, std::string> kDocumentedUnits = {
    {"infant_weight_g", "g"},     {"infant_weight_change_percent", "%"},
    {"pain_nrs", "NRS"},          {"effective_pain_nrs", "NRS"},    {"oxytocin_uU_ml", "uU/mL"},
    {"prolactin_ng_ml", "ng/mL"}, {"prolactin_basal_ng_ml", "ng/mL"}, {"prolactin_release_drive", "0-1"},
    {"activation", "0-1"},        {"milk_stored_ml", "mL"},          {"milk_transferred_ml", "mL"},
    {"milk_expressed_ml", "mL"},  {"milk_synthesised_ml", "mL"},     {"synthesis_ml_h", "mL/h"},
    {"ejection_gate", "0-1"},     {"massage_relief", "0-1"},         {"feeding", "0/1"},
    {"pre_feed", "0/1"},          {"pumping", "0/1"},                {"massage", "0/1"},
    {"hours", "h"},               {"milk_ml", "mL"},                 {"feeds", "count"},
    {"pumps", "count"},           {"massages", "count"}};

/// Checks that `long_file` holds exactly the values of `wide_file`: for each wide row, one
/// long row per column other than the key and `skipped`, in column order, with the scenario
/// name, the key's text, the column name, its documented unit and the cell's text.
void expect_long_equals_wide(const fs::path& wide_file, const fs::path& long_file, const std::string& scenario,
                             const std::string& key, const std::string& skipped) {
  const CsvTable wide = read_csv_table(wide_file);
  const CsvTable tall = read_csv_table(long_file);
  const std::string header = test::read_file(long_file).substr(0, test::read_file(long_file).find('\n'));
  EXPECT_EQ(header, "scenario," + key + ",variable,unit,value");
  ASSERT_EQ(wide.header().front(), key);
  std::vector<std::size_t> variables;
  for (std::size_t c = 1; c < wide.header().size(); ++c) {
    if (wide.header()[c] != skipped) variables.push_back(c);
  }
  ASSERT_GT(wide.rows(), 0u);
  ASSERT_EQ(tall.rows(), wide.rows() * variables.size()) << long_file;
  std::size_t at = 0;
  for (std::size_t row = 0; row < wide.rows(); ++row) {
    for (std::size_t c : variables) {
      const std::string& name = wide.header()[c];
      ASSERT_EQ(tall.text(at, 0), scenario) << long_file << " row " << at;
      ASSERT_EQ(tall.text(at, 1), wide.text(row, 0)) << long_file << " row " << at;
      ASSERT_EQ(tall.text(at, 2), name) << long_file << " row " << at;
      ASSERT_EQ(kDocumentedUnits.count(name), 1u) << name << " is not in docs/outputs.md's tables";
      ASSERT_EQ(tall.text(at, 3), kDocumentedUnits.at(name)) << name;
      ASSERT_EQ(tall.text(at, 4), wide.text(row, c)) << long_file << " row " << at << ", " << name;
      ++at;
    }
  }
}

TEST(LongTables, RunWritesTheWideTablesValuesOneRowPerValueWithScenarioAndUnit) {
  const fs::path dir = test::fresh_temp_dir("long-tables");
  const auto r = test::run_cli("run " + quoted(test::scenario_path("seed_case_control.toml")) + " " +
                               quoted(test::scenario_path("seed_case_massage.toml")) +
                               " --format wide,long --output-step-min 30 -q --out " + quoted(dir));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string scenario : {"seed_case_control", "seed_case_massage"}) {
    expect_long_equals_wide(dir / scenario / "timeseries.csv", dir / scenario / "timeseries_long.csv", scenario,
                            "time_h", "day");
    expect_long_equals_wide(dir / scenario / "daily.csv", dir / scenario / "daily_long.csv", scenario, "day", "");
  }
  fs::remove_all(dir);
}

TEST(LongTables, EachLayoutWritesOnlyItsOwnFilesAndWideStaysTheDefault) {
  const fs::path dir = test::fresh_temp_dir("long-tables-choice");
  test::write_text(dir / "s.toml", test::short_vaginal_scenario_toml("s"));
  auto r = test::run_cli("run " + quoted(dir / "s.toml") + " -q --out " + quoted(dir / "default"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "default" / "s" / "timeseries.csv"));
  EXPECT_TRUE(fs::is_regular_file(dir / "default" / "s" / "daily.csv"));
  EXPECT_FALSE(fs::exists(dir / "default" / "s" / "timeseries_long.csv"));
  EXPECT_FALSE(fs::exists(dir / "default" / "s" / "daily_long.csv"));

  r = test::run_cli("run " + quoted(dir / "s.toml") + " --format long -q --out " + quoted(dir / "long"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir / "long" / "s" / "timeseries.csv"));
  EXPECT_FALSE(fs::exists(dir / "long" / "s" / "daily.csv"));
  EXPECT_TRUE(fs::is_regular_file(dir / "long" / "s" / "summary.json"));
  // The same values as the default run's wide tables (the run is deterministic).
  expect_long_equals_wide(dir / "default" / "s" / "timeseries.csv", dir / "long" / "s" / "timeseries_long.csv", "s",
                          "time_h", "day");
  expect_long_equals_wide(dir / "default" / "s" / "daily.csv", dir / "long" / "s" / "daily_long.csv", "s", "day", "");

  r = test::run_cli("run " + quoted(dir / "s.toml") + " --format tall -q --out " + quoted(dir / "tall"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "tall"));
  // Refused like the same lists of --figure-format (one list parser): an empty item (a comma
  // too many) or a repeated one was accepted before.
  for (const std::string list : {"wide,", ",wide", "long,", "long,long", "wide,,long", "''", "'wide, long'"}) {
    r = test::run_cli("run " + quoted(dir / "s.toml") + " --format " + list + " -q --out " + quoted(dir / "bad"));
    EXPECT_EQ(r.exit_code, 2) << list << "\n" << r.err;
    EXPECT_NE(r.err.find("--format"), std::string::npos) << list << "\n" << r.err;
    EXPECT_FALSE(fs::exists(dir / "bad")) << list;
  }
  r = test::run_cli("run " + quoted(dir / "s.toml") + " --format long,wide -q --out " + quoted(dir / "both"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "both" / "s" / "daily.csv"));
  EXPECT_TRUE(fs::is_regular_file(dir / "both" / "s" / "daily_long.csv"));
  fs::remove_all(dir);
}

// A scenario name with a comma or a quote stays one CSV field.
TEST(LongTables, TheScenarioFieldIsQuotedWhenItMustBe) {
  ResultColumn key{"day", "", true, {1, 2}};
  ResultColumn milk{"milk_ml", "mL", false, {10.5, 20}};
  EXPECT_EQ(long_table_csv("a,\"b\"", {key, milk}),
            "scenario,day,variable,unit,value\n"
            "\"a,\"\"b\"\"\",1,milk_ml,mL,10.5\n"
            "\"a,\"\"b\"\"\",2,milk_ml,mL,20\n");
}

}  // namespace
}  // namespace lactsim
