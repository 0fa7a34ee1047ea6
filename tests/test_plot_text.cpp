// Figure machinery that needs no gnuplot: template filling, the compiled-in templates,
// gnuplot string quoting and the located CSV reader.

#include <gtest/gtest.h>

#include <filesystem>

#include "lactsim/sim/errors.hpp"
#include "lactsim/sim/plot_csv.hpp"
#include "lactsim/sim/plot_render.hpp"
#include "lactsim/sim/plot_templates.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

TEST(PlotTemplates, FillReplacesEveryPlaceholderAndRejectsUnknownOnes) {
  EXPECT_EQ(fill_plot_template("a {{X}} b {{Y}} {{X}}", {{"X", "1"}, {"Y", "two"}}), "a 1 b two 1");
  EXPECT_EQ(fill_plot_template("no placeholders { } }}", {}), "no placeholders { } }}");
  EXPECT_THROW(fill_plot_template("a {{MISSING}}", {{"X", "1"}}), std::invalid_argument);
}

TEST(PlotTemplates, CompiledInTemplatesAreTheFilesInPlots) {
  // The library must render with exactly the scripts kept in plots/, so users can read
  // and edit what the binary uses.
  std::vector<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(LACTSIM_SOURCE_DIR) / "plots")) {
    if (entry.path().extension() != ".gp") continue;
    on_disk.push_back(entry.path().stem().string());
    EXPECT_EQ(std::string(plot_template(entry.path().stem().string())), test::read_file(entry.path()))
        << entry.path();
  }
  std::sort(on_disk.begin(), on_disk.end());
  EXPECT_EQ(plot_template_names(), on_disk);
  for (const char* name : {"daily_milk", "traces", "comparison", "population_bands", "sensitivity", "sweep_heatmap",
                           "fit_observed_predicted", "profile_likelihood"}) {
    EXPECT_NO_THROW(plot_template(name)) << name;
  }
  EXPECT_THROW(plot_template("no_such_figure"), std::invalid_argument);
}

TEST(PlotTemplates, GnuplotQuoteDoublesSingleQuotesOnly) {
  EXPECT_EQ(gnuplot_quote("it's \"x\" \\n"), "'it''s \"x\" \\n'");
  EXPECT_EQ(gnuplot_quote(""), "''");
}

TEST(PlotTemplates, PlotElementsJoinWithContinuations) {
  EXPECT_EQ(plot_element_lines({"a", "b"}), "    a, \\\n    b\n");
  EXPECT_THROW(plot_element_lines({}), std::invalid_argument);
  EXPECT_THROW(figure_terminal(0, 100, 10), std::invalid_argument);
}

TEST(PlotCsv, ReadsQuotedFieldsSkipsCommentsAndTrimsBlanks) {
  const CsvTable table("# provenance line\nname,value\n\"a, b\", 1.5\n\"say \"\"hi\"\"\",-2e3\n", "t.csv");
  ASSERT_EQ(table.rows(), 2u);
  EXPECT_EQ(table.text(0, 0), "a, b");
  EXPECT_EQ(table.text(1, 0), "say \"hi\"");
  EXPECT_DOUBLE_EQ(table.number(0, 1), 1.5);
  EXPECT_DOUBLE_EQ(table.number(1, 1), -2000.0);
  EXPECT_EQ(table.line_of(1), 4);
}

TEST(PlotCsv, BadNumberNamesFileLineColumnAndField) {
  const CsvTable table("day,milk_ml\n1,10\n2,lots\n", "daily.csv");
  try {
    table.number(1, 1);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where().file, "daily.csv");
    EXPECT_EQ(error.where().line, 3);
    EXPECT_EQ(error.where().column, 3);
    EXPECT_EQ(error.field(), "milk_ml");
  }
  EXPECT_FALSE(table.optional_number(0, 0) == std::nullopt);
}

TEST(PlotCsv, RaggedRowsMissingColumnsAndEmptyFilesAreInputErrors) {
  EXPECT_THROW(CsvTable("a,b\n1,2,3\n", "r.csv"), InputError);
  EXPECT_THROW(CsvTable("# only a comment\n", "e.csv"), InputError);
  EXPECT_THROW(CsvTable("a\n\"open\n", "q.csv"), InputError);
  const CsvTable table("a,b\n1,2\n", "m.csv");
  try {
    table.require_column("milk_ml_p05");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.field(), "milk_ml_p05");
    EXPECT_NE(std::string(error.what()).find("columns present: a, b"), std::string::npos) << error.what();
  }
  EXPECT_THROW(read_csv_table("/nonexistent/lactsim/file.csv"), InputError);
}

}  // namespace
}  // namespace lactsim
