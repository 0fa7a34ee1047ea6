// `lactsim population`: per-mother rows, the streamed summary, population files, resume.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "lactsim/analysis/comparison.hpp"
#include "lactsim/analysis/interval_estimates.hpp"
#include "lactsim/analysis/population.hpp"
#include "lactsim/analysis/population_study.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/io/population_file.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

/// A 3-day population around a slow activation: most mothers do not reach onset in 72 h.
constexpr const char* kSlowPopulation =
    "[population]\nsize = 40\nseed = 11\n[population.variability]\nactivation_rate_per_h = 0.6\npain_peak_nrs = 0.3\n";

Scenario slow_scenario() {
  return parse_scenario(test::short_vaginal_scenario_toml("slow onset") +
                            "[parameters]\nactivation_rate_per_h = 0.05\n" + kSlowPopulation,
                        "slow.toml");
}

ResumableTarget target_in(const fs::path& dir, bool resume = false) {
  RunFingerprint f;
  f.add("test", "population study");
  return {dir, f, resume, nullptr};
}

PopulationStudyOptions study_options(unsigned threads, std::size_t block = 7) {
  PopulationStudyOptions o;
  o.threads = threads;
  o.block_size = block;
  return o;
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    rows.emplace_back(1);
    for (char c : line) {
      if (c == ',') {
        rows.back().emplace_back();
      } else {
        rows.back().back().push_back(c);
      }
    }
  }
  return rows;
}

const PopulationSummaryRow& summary_row(const PopulationSummary& s, const std::string& endpoint,
                                        const std::string& statistic) {
  for (const auto& r : s.rows) {
    if (r.endpoint == endpoint && r.statistic == statistic) return r;
  }
  throw std::runtime_error("no row " + endpoint + " " + statistic);
}

TEST(PopulationStudy, SummaryFromTheFileEqualsTheInMemoryCensoredPercentiles) {
  // Independent reference: run_population in memory and censored_percentile_band over all
  // values (sorting them), against the study's passes over mothers.csv.
  const Scenario slow = slow_scenario();
  const SimulationInput input = to_simulation_input(slow);
  const PopulationRun reference = run_population(input, *slow.population, SolverOptions{}, 1);
  const fs::path dir = test::fresh_temp_dir("population_study_summary");
  const PopulationStudyResult result = run_population_study(slow, study_options(2), target_in(dir));
  ASSERT_FALSE(result.interrupted);
  const PopulationSummary& s = result.summary;
  EXPECT_EQ(s.requested, 40u);
  EXPECT_EQ(s.included + s.failed, 40u);
  std::size_t not_reached = 0, late = 0;
  for (std::size_t i = 0; i < reference.mothers; ++i) {
    if (!reference.errors[i].empty()) continue;
    const double onset = reference.at(i, 0);
    not_reached += std::isnan(onset) ? 1 : 0;
    late += std::isnan(onset) || onset > 72.0 ? 1 : 0;
  }
  ASSERT_GT(not_reached, 10u) << "the setup needs mothers without onset";
  ASSERT_LT(not_reached, 38u) << "the setup needs mothers with onset";
  for (std::size_t k = 0; k < reference.endpoint_names.size(); ++k) {
    std::vector<double> low, high;
    for (std::size_t i = 0; i < reference.mothers; ++i) {
      double v = reference.at(i, k);
      if (k == 0 && std::isnan(v) && reference.errors[i].empty()) {
        low.push_back(72.0);
        high.push_back(HUGE_VAL);
        continue;
      }
      low.push_back(v);
      high.push_back(v);
    }
    const PercentileBand band = censored_percentile_band(low, high);
    const std::string& name = reference.endpoint_names[k];
    for (const auto& [statistic, expected] : {std::pair{"p5", band.p5}, std::pair{"p50", band.p50}, std::pair{"p95", band.p95}}) {
      const PopulationSummaryRow& row = summary_row(s, name, statistic);
      if (std::isnan(expected) && k != 0) {
        // Another endpoint absent for every mother (first colostrum without an expression
        // session): left out, not censored (docs/outputs.md).
        EXPECT_TRUE(std::isnan(row.value)) << name << " " << statistic;
        EXPECT_TRUE(std::isnan(row.censored_above)) << name << " " << statistic;
      } else if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(row.value)) << name << " " << statistic;
        EXPECT_GE(row.censored_above, 0.0) << name << " " << statistic << ": a censored percentile says what it exceeds";
      } else {
        EXPECT_EQ(row.value, expected) << name << " " << statistic;
        EXPECT_TRUE(std::isnan(row.censored_above));
      }
    }
  }
  EXPECT_TRUE(std::isnan(summary_row(s, "onset_h", "p95").value)) << "p95 falls among mothers without onset";
  EXPECT_EQ(summary_row(s, "onset_h", "p95").censored_above, 72.0);
  EXPECT_EQ(summary_row(s, "onset_h", "p50").n_censored, not_reached);
  const PopulationSummaryRow& fraction = summary_row(s, "onset_h", "fraction_not_reached");
  const ProportionInterval expected = wilson_interval(not_reached, s.included);
  EXPECT_EQ(fraction.value, static_cast<double>(not_reached) / static_cast<double>(s.included));
  EXPECT_EQ(fraction.lower_95, expected.lower);
  EXPECT_EQ(fraction.upper_95, expected.upper);
  EXPECT_EQ(fraction.interval, "wilson");
  EXPECT_EQ(summary_row(s, "onset_h", "fraction_after_72h").value,
            static_cast<double>(late) / static_cast<double>(s.included));

  // summary.csv: the censored median is an empty value with its bound, labelled in its own column.
  const auto rows = csv_rows(test::read_file(dir / "summary.csv"));
  ASSERT_EQ(rows.front()[0], "endpoint");
  ASSERT_EQ(rows.front()[3], "censored_above");
  for (const auto& row : rows) {
    if (row[0] == "onset_h" && row[1] == "p95") {
      EXPECT_EQ(row[2], "");
      EXPECT_EQ(row[3], "72");
      EXPECT_EQ(row[11], std::to_string(not_reached));
    }
  }
}

TEST(PopulationStudy, SummaryCountsInfantsLosingTenPercentOrMoreOfBirthWeight) {
  // Flaherman et al. 2015 report the fraction of newborns at >= 10% loss at 48 and 72 h; the
  // summary gives the same fraction, counted here from the in-memory endpoints of each infant.
  const Scenario spread = parse_scenario(test::short_vaginal_scenario_toml("weight loss spread") +
                                             "[population]\nsize = 40\nseed = 5\n[population.variability]\n"
                                             "infant_loss_g_kg_h = 0.6\n",
                                         "spread.toml");
  const SimulationInput input = to_simulation_input(spread);
  const PopulationRun reference = run_population(input, *spread.population, SolverOptions{}, 1);
  const fs::path dir = test::fresh_temp_dir("population_study_weight_loss");
  const PopulationSummary s = run_population_study(spread, study_options(2), target_in(dir)).summary;
  for (const char* endpoint : {"infant_weight_change_48h_percent", "infant_weight_change_72h_percent"}) {
    const std::size_t k = static_cast<std::size_t>(
        std::find(reference.endpoint_names.begin(), reference.endpoint_names.end(), endpoint) -
        reference.endpoint_names.begin());
    ASSERT_LT(k, reference.endpoint_names.size()) << endpoint;
    std::size_t excessive = 0, with_value = 0;
    for (std::size_t i = 0; i < reference.mothers; ++i) {
      const double change = reference.at(i, k);
      if (!std::isfinite(change)) continue;
      ++with_value;
      excessive += change <= -10.0 ? 1 : 0;
    }
    ASSERT_GT(excessive, 0u) << endpoint << ": the setup needs infants losing >= 10%";
    ASSERT_LT(excessive, with_value) << endpoint << ": the setup needs infants losing less";
    const PopulationSummaryRow& row = summary_row(s, endpoint, "fraction_loss_10pct_or_more");
    EXPECT_EQ(row.value, static_cast<double>(excessive) / static_cast<double>(with_value)) << endpoint;
    EXPECT_EQ(row.interval, "wilson");
    EXPECT_EQ(row.unit, "fraction");
  }
  EXPECT_THROW(summary_row(s, "infant_weight_change_24h_percent", "fraction_loss_10pct_or_more"), std::runtime_error)
      << "Flaherman report the fraction at 48 and 72 h only";
}

TEST(PopulationStudy, SummaryCountsMothersWithoutAnOptionalEventBesideItsPercentiles) {
  // Percentiles of an optional event (birth weight regained, first colostrum, perceived onset)
  // are over the mothers who had it; without the fraction who did not, a median over the few
  // would read as the population's (a researcher found p50 "day 6" with 54% not regaining).
  const Scenario slow = slow_scenario();
  const SimulationInput input = to_simulation_input(slow);
  const PopulationRun reference = run_population(input, *slow.population, SolverOptions{}, 1);
  const fs::path dir = test::fresh_temp_dir("population_study_optional_events");
  const PopulationSummary s = run_population_study(slow, study_options(2), target_in(dir)).summary;
  for (const char* endpoint : kOptionalEventEndpoints) {
    const std::size_t k = static_cast<std::size_t>(
        std::find(reference.endpoint_names.begin(), reference.endpoint_names.end(), endpoint) -
        reference.endpoint_names.begin());
    ASSERT_LT(k, reference.endpoint_names.size()) << endpoint;
    std::size_t without = 0, included = 0;
    for (std::size_t i = 0; i < reference.mothers; ++i) {
      if (!reference.errors[i].empty()) continue;
      ++included;
      without += std::isnan(reference.at(i, k)) ? 1 : 0;
    }
    const PopulationSummaryRow& row = summary_row(s, endpoint, "fraction_not_reached");
    EXPECT_EQ(row.value, static_cast<double>(without) / static_cast<double>(included)) << endpoint;
    const ProportionInterval expected = wilson_interval(without, included);
    EXPECT_EQ(row.lower_95, expected.lower) << endpoint;
    EXPECT_EQ(row.upper_95, expected.upper) << endpoint;
    EXPECT_EQ(row.unit, "fraction");
  }
  EXPECT_EQ(summary_row(s, "first_colostrum_time_h", "fraction_not_reached").value, 1.0)
      << "no expression session: no mother sees colostrum";
  EXPECT_THROW(summary_row(s, "infant_weight_nadir_h", "fraction_not_reached"), std::runtime_error)
      << "every infant has a nadir";
}

TEST(PopulationStudy, MothersCsvHasOneRowPerRequestedMotherWithDrawsEndpointsAndStatus) {
  const Scenario slow = slow_scenario();
  const fs::path dir = test::fresh_temp_dir("population_study_rows");
  run_population_study(slow, study_options(2), target_in(dir));
  const auto rows = csv_rows(test::read_file(dir / "mothers.csv"));
  ASSERT_EQ(rows.size(), 41u);
  const auto& header = rows.front();
  EXPECT_EQ(header[0], "mother_id");
  EXPECT_EQ(header[1], "activation_rate_per_h");
  EXPECT_EQ(header[2], "pain_peak_nrs");
  EXPECT_EQ(header[3], "onset_h");
  EXPECT_EQ(header[header.size() - 3], "onset_reached");
  EXPECT_EQ(header.back(), "error");
  // Mother i's drawn values are the sampler's, read back exactly.
  const PopulationSampler sampler(*slow.population, slow.parameters);
  for (std::size_t i = 0; i < 40; ++i) {
    const auto& row = rows[i + 1];
    ASSERT_EQ(row.size(), header.size());
    EXPECT_EQ(row[0], std::to_string(i));
    EXPECT_EQ(std::stod(row[1]), sampler.mother(i).activation_rate_per_h);
    EXPECT_EQ(row[header.size() - 2], "ok");
    EXPECT_EQ(row[header.size() - 3], row[3].empty() ? "false" : "true") << "onset not reached: empty onset_h, onset_reached false";
  }
  EXPECT_TRUE(fs::exists(dir / "manifest.json"));
  EXPECT_FALSE(fs::exists(dir / "mothers.csv.partial"));

  // Every mother failing (a step budget of 1) is a simulation failure, not a study of nobody:
  // nothing is committed, and the partial file keeps one row each, status failed, reason given.
  PopulationStudyOptions failing = study_options(1);
  failing.solver.max_steps = 1;
  const fs::path failed_dir = test::fresh_temp_dir("population_study_failed");
  EXPECT_THROW(run_population_study(slow, failing, target_in(failed_dir)), SimulationError);
  EXPECT_FALSE(fs::exists(failed_dir / "mothers.csv"));
  EXPECT_FALSE(fs::exists(failed_dir / "summary.csv"));
  const fs::path partial = failed_dir / "mothers.csv.partial";
  const auto failed_rows = csv_rows(test::read_file(partial));
  ASSERT_EQ(failed_rows.size(), 41u);
  for (std::size_t i = 1; i < failed_rows.size(); ++i) {
    EXPECT_EQ(failed_rows[i][header.size() - 2], "failed");
    EXPECT_FALSE(failed_rows[i].back().empty());
  }
  const SimulationInput slow_input = to_simulation_input(slow);
  const PopulationSummary failed = summarize_mothers_csv(partial, *slow.population, slow.duration_days, slow_input.horizon_h);
  EXPECT_EQ(failed.requested, 40u);
  EXPECT_EQ(failed.failed, 40u);
  EXPECT_EQ(failed.included, 0u);
  EXPECT_NE(population_counts_line(failed).find("40 requested, 0 included, 40 failed; first reason: "),
            std::string::npos);
  // No mother included: a fraction of nobody has no value and no interval (no "wilson" label
  // over empty bounds, in the CSV or the table).
  for (const char* statistic : {"fraction_after_72h", "fraction_not_reached"}) {
    const PopulationSummaryRow& row = summary_row(failed, "onset_h", statistic);
    EXPECT_TRUE(std::isnan(row.value)) << statistic;
    EXPECT_EQ(row.interval, "") << statistic;
  }
  EXPECT_EQ(population_summary_table(failed).find("wilson"), std::string::npos);
  EXPECT_EQ(population_summary_csv(failed).find("wilson"), std::string::npos);
}

TEST(PopulationStudy, InterruptedThenResumedGivesTheSameFilesForAnyThreadCount) {
  const Scenario slow = slow_scenario();
  const fs::path whole = test::fresh_temp_dir("population_study_whole");
  run_population_study(slow, study_options(1), target_in(whole));

  const fs::path dir = test::fresh_temp_dir("population_study_resume");
  CancellationToken cancel;
  PopulationStudyOptions first = study_options(2);
  first.cancel = &cancel;
  first.progress = [&](std::size_t done, std::size_t) {
    if (done >= 14) cancel.cancel();
  };
  const PopulationStudyResult stopped = run_population_study(slow, first, target_in(dir));
  ASSERT_TRUE(stopped.interrupted);
  EXPECT_FALSE(fs::exists(dir / "mothers.csv"));
  EXPECT_FALSE(fs::exists(dir / "summary.csv"));
  EXPECT_EQ(csv_rows(test::read_file(dir / "mothers.csv.partial")).size(), 15u);

  const PopulationStudyResult resumed = run_population_study(slow, study_options(2, 5), target_in(dir, true));
  ASSERT_FALSE(resumed.interrupted);
  EXPECT_EQ(resumed.resumed_mothers, 14u);
  EXPECT_EQ(test::read_file(dir / "mothers.csv"), test::read_file(whole / "mothers.csv"));
  EXPECT_EQ(test::read_file(dir / "summary.csv"), test::read_file(whole / "summary.csv"));
  EXPECT_FALSE(fs::exists(dir / "mothers.csv.partial"));
}

TEST(PopulationStudy, PopulationFileHoldsAPopulationTableAndRefusesBareKeys) {
  const PopulationSpec spec = parse_population_file(kSlowPopulation, "pop.toml");
  EXPECT_EQ(spec.size, 40u);
  EXPECT_EQ(spec.seed, 11u);
  ASSERT_EQ(spec.variability.size(), 2u);
  EXPECT_EQ(spec.where.file, "pop.toml");
  try {
    parse_population_file("size = 40\n[variability]\npain_peak_nrs = 0.3\n", "bare.toml");
    FAIL() << "bare keys accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "bare.toml");
    EXPECT_EQ(e.where().line, 1);
    EXPECT_NE(std::string(e.what()).find("under a [population] header"), std::string::npos) << e.what();
  }
  try {
    parse_population_file("[population]\nsize = 4\n[population.variability]\npain_peak = 0.3\n", "typo.toml");
    FAIL() << "unknown parameter accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 4);
    EXPECT_NE(std::string(e.what()).find("population.variability.pain_peak: unknown parameter"), std::string::npos);
  }
  // A table read on its own is checked against the mother it is used with, at its own line.
  Scenario scenario = slow_scenario();
  const PopulationSpec fixed_at_bound =
      parse_population_file("[population]\nsize = 4\n[population.variability]\nmassage_pain_relief_fraction = 0.3\n",
                            "bound.toml");
  scenario.parameters.massage_pain_relief_fraction = 0.0;
  try {
    use_population(scenario, fixed_at_bound);
    FAIL() << "a median on a bound accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "bound.toml");
    EXPECT_EQ(e.where().line, 4);
  }
}

TEST(PopulationStudy, CommandExitCodes) {
  const fs::path dir = test::fresh_temp_dir("population_cli");
  const fs::path scenario = dir / "slow.toml", plain = dir / "plain.toml", pop = dir / "pop.toml",
                 bad = dir / "bad.toml";
  test::write_text(scenario, test::short_vaginal_scenario_toml("slow onset") + "[parameters]\nactivation_rate_per_h = 0.05\n" +
                                 kSlowPopulation);
  test::write_text(plain, test::short_vaginal_scenario_toml("plain"));
  test::write_text(pop, kSlowPopulation);
  test::write_text(bad, "[population]\nsize = 5\n[population.variability]\npain_peak_nrs = -1\n");

  // No table anywhere: the calibrated default population, said so on stderr.
  const auto fallback = test::run_cli("population " + test::quoted(plain) + " --out " + test::quoted(dir / "a"));
  EXPECT_EQ(fallback.exit_code, 0) << fallback.err;
  EXPECT_NE(fallback.err.find("using the calibrated default, scenarios/populations/first_week.toml"), std::string::npos)
      << fallback.err;
  EXPECT_NE(fallback.err.find(std::to_string(default_population_spec().size) + " requested"), std::string::npos)
      << fallback.err;

  const auto located = test::run_cli("population " + test::quoted(plain) + " --population " + test::quoted(bad) +
                                     " --out " + test::quoted(dir / "b"));
  EXPECT_EQ(located.exit_code, 2);
  EXPECT_NE(located.err.find(bad.string() + ":4:"), std::string::npos) << located.err;

  const auto from_file = test::run_cli("population " + test::quoted(plain) + " --population " + test::quoted(pop) +
                                       " --out " + test::quoted(dir / "c") + " -q");
  EXPECT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(from_file.out, "");
  const auto own = test::run_cli("population " + test::quoted(scenario) + " --out " + test::quoted(dir / "d"));
  EXPECT_EQ(own.exit_code, 0) << own.err;
  EXPECT_NE(own.err.find("40 requested, 40 included, 0 failed"), std::string::npos) << own.err;
  EXPECT_NE(own.out.find("fraction_after_72h"), std::string::npos) << own.out;
  EXPECT_TRUE(fs::exists(dir / "d" / "summary.csv"));
  const auto help = test::run_cli("population --help");
  EXPECT_NE(help.out.find("130 interrupted"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("3 simulation failure"), std::string::npos) << help.out;

  // Every mother fails (an unattainable tolerance): no summary of zero mothers passes as a
  // success. Exit 3, the first mother's reason on stderr, nothing committed; the rows stay in
  // the partial file for diagnosis.
  const auto all_failed = test::run_cli("population " + test::quoted(plain) + " --population " + test::quoted(pop) +
                                        " --rtol 1e-300 --atol 1e-300 --out " + test::quoted(dir / "e"));
  EXPECT_EQ(all_failed.exit_code, 3) << all_failed.err;
  EXPECT_NE(all_failed.err.find("all 40 mothers failed"), std::string::npos) << all_failed.err;
  EXPECT_NE(all_failed.err.find("simulation failed at t = "), std::string::npos) << all_failed.err;
  EXPECT_FALSE(fs::exists(dir / "e" / "summary.csv"));
  EXPECT_FALSE(fs::exists(dir / "e" / "mothers.csv"));
  EXPECT_TRUE(fs::exists(dir / "e" / "mothers.csv.partial"));
}

TEST(PopulationStudy, ComparePopulationFileEqualsTheTableInTheFirstScenario) {
  // The arms carry no table (or, for the second, a different one that the file replaces);
  // the reference puts the file's table in the first scenario, as compare did before.
  const fs::path dir = test::fresh_temp_dir("compare_population_file");
  const std::string control = test::short_vaginal_scenario_toml("control");
  std::string frequent = test::short_vaginal_scenario_toml("frequent");
  frequent.replace(frequent.find("every_h = 3.0"), 13, "every_h = 2.0");
  test::write_text(dir / "pop.toml", kSlowPopulation);
  test::write_text(dir / "plain" / "control.toml", control);
  test::write_text(dir / "plain" / "frequent.toml",
                   frequent + "[population]\nsize = 3\n[population.variability]\nactivation_rate_per_h = 0.1\n");
  test::write_text(dir / "table" / "control.toml", control + kSlowPopulation);
  test::write_text(dir / "table" / "frequent.toml", frequent);
  const auto with_file = test::run_cli("compare " + test::quoted(dir / "plain" / "control.toml") + " " +
                                       test::quoted(dir / "plain" / "frequent.toml") + " --population " +
                                       test::quoted(dir / "pop.toml") + " -q --out " + test::quoted(dir / "file.csv"));
  ASSERT_EQ(with_file.exit_code, 0) << with_file.err;
  const auto with_table = test::run_cli("compare " + test::quoted(dir / "table" / "control.toml") + " " +
                                        test::quoted(dir / "table" / "frequent.toml") + " -q --out " +
                                        test::quoted(dir / "table.csv"));
  ASSERT_EQ(with_table.exit_code, 0) << with_table.err;
  const std::string table = test::read_file(dir / "table.csv");
  EXPECT_NE(table.find("n_requested"), std::string::npos) << table;
  EXPECT_EQ(test::read_file(dir / "file.csv"), table);
  const auto both = test::run_cli("compare " + test::quoted(dir / "plain" / "control.toml") + " --population " +
                                  test::quoted(dir / "pop.toml") + " --no-population");
  EXPECT_EQ(both.exit_code, 2) << both.err;
}

TEST(PopulationStudy, CompareReportsMeanPairedDifferencesWithBootstrapAndFractionsWithWilsonIntervals) {
  // Independent reference: each arm's population run in memory, differences taken mother by mother.
  const std::string population =
      "[population]\nsize = 60\nseed = 5\n[population.variability]\nactivation_rate_per_h = 0.4\npain_peak_nrs = 0.3\n";
  const Scenario control =
      parse_scenario(test::read_file(test::scenario_path("seed_case_control.toml")) + "\n" + population, "control.toml");
  const Scenario massage =
      parse_scenario(test::read_file(test::scenario_path("seed_case_massage.toml")) + "\n" + population, "massage.toml");
  const PopulationRun a = run_population(to_simulation_input(control), *control.population, SolverOptions{}, 1);
  const PopulationRun b = run_population(to_simulation_input(massage), *massage.population, SolverOptions{}, 1);
  const Comparison c = compare_scenarios({control, massage}, test::compare_options(2, true));
  const std::size_t day3 = find_endpoint("milk_day3_ml", 7, "test");
  double sum = 0;
  std::size_t late_a = 0, late_b = 0;
  for (std::size_t i = 0; i < 60; ++i) {
    ASSERT_TRUE(a.errors[i].empty() && b.errors[i].empty());
    sum += b.at(i, day3) - a.at(i, day3);
    late_a += std::isnan(a.at(i, 0)) || a.at(i, 0) > 72.0 ? 1 : 0;
    late_b += std::isnan(b.at(i, 0)) || b.at(i, 0) > 72.0 ? 1 : 0;
  }
  for (const auto& row : c.rows) {
    ASSERT_TRUE(row.paired_mean.has_value()) << row.endpoint;
    if (row.endpoint == "milk_day3_ml" && row.scenario == "massage") {
      EXPECT_NEAR(row.paired_mean->mean, sum / 60, 1e-9);
      EXPECT_EQ(row.paired_mean->pairs, 60u);
      EXPECT_LT(row.paired_mean->lower, row.paired_mean->mean);
      EXPECT_GT(row.paired_mean->upper, row.paired_mean->mean);
      // The interval of a mean of 60 differences is narrower than the differences' own 5–95% spread.
      EXPECT_LT(row.paired_mean->upper - row.paired_mean->lower,
                row.paired_difference->p95 - row.paired_difference->p5);
    }
    if (row.endpoint == "onset_after_72h_fraction") {
      const std::size_t late = row.scenario == "control" ? late_a : late_b;
      const ProportionInterval expected = wilson_interval(late, 60);
      ASSERT_TRUE(row.fraction.has_value());
      EXPECT_EQ(row.fraction->estimate, expected.estimate);
      EXPECT_EQ(row.fraction->lower, expected.lower);
      EXPECT_EQ(row.fraction->upper, expected.upper);
      EXPECT_TRUE(std::isnan(row.value)) << "a single mother's 0/1 is not a fraction";
      EXPECT_FALSE(row.population.has_value());
      if (row.scenario == "massage") {
        EXPECT_NEAR(row.paired_mean->mean, (static_cast<double>(late_b) - static_cast<double>(late_a)) / 60, 1e-12);
        EXPECT_LE(row.paired_mean->lower, row.paired_mean->mean);
        EXPECT_GE(row.paired_mean->upper, row.paired_mean->mean);
      }
    }
  }
  const std::string csv = comparison_csv(c);
  EXPECT_NE(csv.find("paired_mean_difference_lower_95"), std::string::npos);
  EXPECT_NE(csv.find("onset_after_72h_fraction,control,,,,"), std::string::npos) << csv;
}

TEST(PopulationStudy, CompareStreamedFromItsCheckpointFileEqualsTheInMemoryComparison) {
  // With --out the statistics come from passes over the per-mother file (memory independent
  // of the number of mothers); without it, from every mother held in memory. Censored onsets
  // (most mothers of this population) and a second arm make every column count.
  const Scenario slow = slow_scenario();
  Scenario faster = parse_scenario(test::short_vaginal_scenario_toml("faster") +
                                       "[parameters]\nactivation_rate_per_h = 0.08\n" + kSlowPopulation,
                                   "faster.toml");
  const fs::path dir = test::fresh_temp_dir("compare_streamed");
  RunFingerprint f;
  f.add("test", "streamed compare");
  CompareOptions options = test::compare_options(2, true);
  options.block_size = 9;
  const FileComparisonResult streamed = compare_scenarios_to_file({slow, faster}, options, {dir / "c.csv", f, false, nullptr});
  const std::string in_memory = comparison_csv(compare_scenarios({slow, faster}, test::compare_options(1, true)));
  EXPECT_EQ(test::read_file(dir / "c.csv"), in_memory);
  // The setup needs censored onsets: most of the slow arm's mothers without onset.
  const std::size_t slow_row = in_memory.find("\nonset_h,slow,");
  ASSERT_NE(slow_row, std::string::npos) << in_memory;
  const auto cells = csv_rows(in_memory.substr(slow_row + 1, in_memory.find('\n', slow_row + 1) - slow_row)).front();
  const auto header_cells = csv_rows(in_memory).front();
  const auto not_reached = std::find(header_cells.begin(), header_cells.end(), "not_reached_fraction") - header_cells.begin();
  EXPECT_GT(std::stod(cells.at(static_cast<std::size_t>(not_reached))), 0.5) << "the setup needs censored onsets: " << in_memory;
}

TEST(PopulationStudy, ChoosePopulationTakesTheFileThenTheScenarioTableThenTheCalibratedDefault) {
  const fs::path dir = test::fresh_temp_dir("choose_population");
  const fs::path pop = dir / "pop.toml";
  test::write_text(pop, "[population]\nsize = 7\nseed = 3\n[population.variability]\nactivation_rate_per_h = 0.2\n");
  Scenario bare = parse_scenario(test::short_vaginal_scenario_toml("bare"), "bare.toml");
  ASSERT_FALSE(bare.population);

  Scenario from_file = bare;
  EXPECT_EQ(choose_population(from_file, pop), PopulationChoice::population_file);
  EXPECT_EQ(from_file.population->size, 7u);

  Scenario own = parse_scenario(test::short_vaginal_scenario_toml("own") +
                                    "[population]\nsize = 5\n[population.variability]\npain_peak_nrs = 0.1\n",
                                "own.toml");
  EXPECT_EQ(choose_population(own, {}), PopulationChoice::scenario_table);
  EXPECT_EQ(own.population->size, 5u);

  Scenario fallback = bare;
  EXPECT_EQ(choose_population(fallback, {}), PopulationChoice::shipped_default);
  // The shipped file's own numbers, read independently of the embedded copy.
  const PopulationSpec shipped = load_population_file(test::scenario_path("populations/first_week.toml"));
  ASSERT_EQ(fallback.population->variability.size(), shipped.variability.size());
  EXPECT_EQ(fallback.population->size, shipped.size);
  for (std::size_t i = 0; i < shipped.variability.size(); ++i) {
    EXPECT_EQ(fallback.population->variability[i].name, shipped.variability[i].name);
    EXPECT_EQ(fallback.population->variability[i].cv, shipped.variability[i].cv);
  }
}

}  // namespace
}  // namespace lactsim
