// Virtual populations: the log-normal sampler, percentile bands and paired comparisons.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/analysis/comparison.hpp"
#include "lactsim/engine/fast_endpoints.hpp"
#include "lactsim/analysis/population.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/engine/simulation.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

std::string with_population(const std::string& scenario_file, const std::string& population_toml) {
  return test::read_file(test::scenario_path(scenario_file)) + "\n" + population_toml;
}

TEST(AnalysisPopulation, ScenarioReadsThePopulationTable) {
  const Scenario s = parse_scenario(with_population("seed_case_massage.toml",
                                                    "[population]\nsize = 50\nseed = 3\n"
                                                    "[population.variability]\nactivation_rate_per_h = 0.3\n"
                                                    "prl_feed_rise_ng_ml = 0.2\n"
                                                    "[[population.correlations]]\n"
                                                    "between = [\"activation_rate_per_h\", \"prl_feed_rise_ng_ml\"]\nrho = 0.5\n"),
                                    "pop.toml");
  ASSERT_TRUE(s.population.has_value());
  EXPECT_EQ(s.population->size, 50u);
  EXPECT_EQ(s.population->seed, 3u);
  ASSERT_EQ(s.population->variability.size(), 2u);
  EXPECT_EQ(s.population->variability[0].name, "activation_rate_per_h");
  ASSERT_EQ(s.population->correlations.size(), 1u);
}

TEST(AnalysisPopulation, BadPopulationTablesNameFileLineAndField) {
  try {
    parse_scenario(with_population("seed_case_massage.toml",
                                   "[population]\nsize = 5\n[population.variability]\nactivation_rate = 0.3\n"),
                   "pop.toml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("population.variability.activation_rate: unknown parameter"), std::string::npos)
        << e.what();
    EXPECT_GT(e.where().line, 20);
  }
  EXPECT_THROW(parse_scenario(with_population("seed_case_massage.toml", "[population]\nsize = 0\n"), "p.toml"),
               InputError);
  // Three parameters pairwise correlated at -0.9 cannot exist (the matrix is indefinite).
  EXPECT_THROW(parse_scenario(with_population("seed_case_massage.toml",
                                              "[population]\nsize = 5\n[population.variability]\n"
                                              "activation_rate_per_h = 0.3\nprl_feed_rise_ng_ml = 0.2\n"
                                              "ot_feed_rise_uU_ml = 0.2\n"
                                              "[[population.correlations]]\nbetween = [\"activation_rate_per_h\", \"prl_feed_rise_ng_ml\"]\nrho = -0.9\n"
                                              "[[population.correlations]]\nbetween = [\"activation_rate_per_h\", \"ot_feed_rise_uU_ml\"]\nrho = -0.9\n"
                                              "[[population.correlations]]\nbetween = [\"prl_feed_rise_ng_ml\", \"ot_feed_rise_uU_ml\"]\nrho = -0.9\n"),
                              "p.toml"),
               InputError);
}

TEST(AnalysisPopulation, ACorrelationGivenTwiceIsRefusedInEitherOrderEvenWithTheSameValue) {
  const std::string variability =
      "[population]\nsize = 5\n[population.variability]\nactivation_rate_per_h = 0.3\nprl_feed_rise_ng_ml = 0.2\n"
      "[[population.correlations]]\nbetween = [\"activation_rate_per_h\", \"prl_feed_rise_ng_ml\"]\nrho = 0.5\n";
  // The second entry used to overwrite the first silently.
  for (const char* second : {"between = [\"prl_feed_rise_ng_ml\", \"activation_rate_per_h\"]\nrho = -0.5\n",
                             "between = [\"activation_rate_per_h\", \"prl_feed_rise_ng_ml\"]\nrho = 0.5\n"}) {
    const std::string text =
        with_population("seed_case_massage.toml", variability + "[[population.correlations]]\n" + second);
    const int between_line = static_cast<int>(std::count(text.begin(), text.end(), '\n')) - 1;
    try {
      parse_scenario(text, "pop.toml");
      ADD_FAILURE() << "accepted: " << second;
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), "population.correlations[1].between");
      EXPECT_EQ(e.where().line, between_line) << e.what();
      EXPECT_NE(std::string(e.what()).find("given twice"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("line " + std::to_string(between_line - 3)), std::string::npos)
          << "names the first entry: " << e.what();
    }
  }
}

TEST(AnalysisPopulation, SamplerHasTheRequestedMedianSpreadAndCorrelation) {
  const model::ModelParameters base = model::default_parameters({});
  PopulationSpec spec;
  spec.size = 40'000;
  spec.seed = 8;
  auto add = [&](const char* name, double cv) {
    const auto* info = model::find_parameter(name);
    spec.variability.push_back({name, cv, info->member, static_cast<std::size_t>(info - model::parameter_registry().data()), {}});
  };
  add("activation_rate_per_h", 0.3);
  add("prl_feed_rise_ng_ml", 0.5);
  spec.correlations.push_back({"activation_rate_per_h", "prl_feed_rise_ng_ml", 0.6, {}});
  const PopulationSampler sampler(spec, base);
  std::vector<double> a, b;
  for (std::size_t i = 0; i < spec.size; ++i) {
    const auto p = sampler.mother(i);
    a.push_back(std::log(p.activation_rate_per_h / base.activation_rate_per_h));
    b.push_back(std::log(p.prl_feed_rise_ng_ml / base.prl_feed_rise_ng_ml));
  }
  auto mean = [](const std::vector<double>& v) { double s = 0; for (double x : v) s += x; return s / v.size(); };
  auto cov = [&](const std::vector<double>& x, const std::vector<double>& y) {
    const double mx = mean(x), my = mean(y);
    double s = 0;
    for (std::size_t i = 0; i < x.size(); ++i) s += (x[i] - mx) * (y[i] - my);
    return s / (x.size() - 1);
  };
  // log-normal with CV c has log-sd sqrt(ln(1 + c²)); the base value is the median.
  EXPECT_NEAR(std::sqrt(cov(a, a)), std::sqrt(std::log1p(0.09)), 0.01);
  EXPECT_NEAR(std::sqrt(cov(b, b)), std::sqrt(std::log1p(0.25)), 0.01);
  EXPECT_NEAR(quantile(a, 0.5), 0.0, 0.01);
  EXPECT_NEAR(cov(a, b) / std::sqrt(cov(a, a) * cov(b, b)), 0.6, 0.02);
}

TEST(AnalysisPopulation, ZeroVariabilityBandsCollapseOntoTheDeterministicRun) {
  Scenario s = parse_scenario(with_population("seed_case_massage.toml",
                                              "[population]\nsize = 6\n[population.variability]\nactivation_rate_per_h = 0\n"),
                              "pop.toml");
  const SimulationInput input = to_simulation_input(s);
  const PopulationRun run = run_population(input, *s.population, SolverOptions{}, 2);
  FastWorkspace workspace;
  const Endpoints det = simulate_endpoints(input, SolverOptions{}, workspace);
  ASSERT_EQ(run.failed, 0u);
  for (std::size_t k = 0; k < run.endpoint_names.size(); ++k) {
    std::vector<double> values;
    for (std::size_t i = 0; i < run.mothers; ++i) values.push_back(run.at(i, k));
    const PercentileBand band = percentile_band(values);
    const double expected = endpoint_value(det, k, 7);
    if (std::isnan(expected)) {  // absent in the run (no expression session: first colostrum)
      EXPECT_EQ(band.count, 0u) << run.endpoint_names[k] << ": absent for every mother alike";
      continue;
    }
    EXPECT_LE(band.p5, expected) << run.endpoint_names[k];
    EXPECT_GE(band.p95, expected) << run.endpoint_names[k];
    EXPECT_EQ(band.p5, band.p95) << run.endpoint_names[k];
  }
}

TEST(AnalysisPopulation, PairedComparisonUsesTheSameMothersInEveryArm) {
  const std::string population =
      "[population]\nsize = 24\nseed = 5\n[population.variability]\nactivation_rate_per_h = 0.4\n"
      "pain_peak_nrs = 0.3\n";
  const Scenario control = parse_scenario(with_population("seed_case_control.toml", population), "control.toml");
  const Scenario massage = parse_scenario(with_population("seed_case_massage.toml", population), "massage.toml");
  const Comparison self = compare_scenarios({control, control}, test::compare_options(2, true));
  for (const auto& row : self.rows) {
    if (row.endpoint == "onset_after_72h_fraction") continue;
    ASSERT_TRUE(row.paired_difference.has_value());
    // Absent for every mother (no expression session: first colostrum): nothing to pair. An
    // endpoint absent for the median mother only (birth weight not regained) pairs the others.
    if (row.paired_difference->count == 0) continue;
    EXPECT_EQ(row.paired_difference->p5, 0.0) << row.endpoint;  // same mothers: no difference at all
    EXPECT_EQ(row.paired_difference->p95, 0.0) << row.endpoint;
  }
  const Comparison one = compare_scenarios({control, massage}, test::compare_options(1, true));
  const Comparison two = compare_scenarios({control, massage}, test::compare_options(2, true));
  EXPECT_EQ(comparison_csv(one), comparison_csv(two));
  for (const auto& row : two.rows) {
    if (row.endpoint != "milk_day3_ml" || row.scenario != "massage") continue;
    // Massage adds OT release and pain relief; in this model it does not reduce day-3 milk.
    EXPECT_GT(row.paired_difference->p50, 0.0);
    EXPECT_GE(row.paired_difference->p5, 0.0);
    EXPECT_GT(row.population->p95, row.population->p5);
  }
  const std::string csv = comparison_csv(two);
  EXPECT_NE(csv.find("onset_after_72h_fraction,control,"), std::string::npos);
}

/// Cell `column` of the first CSV line of `csv` that starts with `row_prefix` (no quoted cells).
std::string csv_cell(const std::string& csv, const std::string& row_prefix, const std::string& column) {
  std::istringstream in(csv);
  std::string header, line;
  std::getline(in, header);
  auto split = [](const std::string& text) {
    std::vector<std::string> cells(1);
    for (char c : text) {
      if (c == ',') {
        cells.emplace_back();
      } else {
        cells.back().push_back(c);
      }
    }
    return cells;
  };
  const auto names = split(header);
  const auto at = std::find(names.begin(), names.end(), column);
  if (at == names.end()) return "<no column " + column + ">";
  while (std::getline(in, line)) {
    if (line.starts_with(row_prefix)) return split(line)[static_cast<std::size_t>(at - names.begin())];
  }
  return "<no row " + row_prefix + ">";
}

TEST(AnalysisPopulation, OnsetPercentilesCountMothersWithoutOnsetAsLaterThanTheHorizon) {
  // A 3-day population around a slow activation: two thirds of the mothers do not reach onset in 72 h.
  const Scenario slow = parse_scenario(test::short_vaginal_scenario_toml("slow onset") +
                                           "[parameters]\nactivation_rate_per_h = 0.04\n"
                                           "[population]\nsize = 30\nseed = 11\n"
                                           "[population.variability]\nactivation_rate_per_h = 0.6\n",
                                       "slow.toml");
  // Which mothers reach onset, mother by mother on the timeseries (reference) path.
  const SimulationInput input = to_simulation_input(slow);
  const PopulationSampler sampler(*slow.population, input.parameters);
  const std::size_t n = slow.population->size;
  std::vector<double> reached;
  for (std::size_t i = 0; i < n; ++i) {
    SimulationInput mother = input;
    mother.parameters = sampler.mother(i);
    RunOptions options;
    options.output_step_h = 0;
    const RunResult run = simulate(mother, options);
    if (run.endpoints.onset_h) reached.push_back(*run.endpoints.onset_h);
  }
  std::sort(reached.begin(), reached.end());
  ASSERT_GE(reached.size(), 4u) << "the setup needs some mothers with onset";
  ASSERT_LE(reached.size() * 10, n * 4) << "the setup needs most mothers without onset";

  const Comparison c = compare_scenarios({slow}, test::compare_options(2, true));
  const auto row = std::find_if(c.rows.begin(), c.rows.end(), [](const ComparisonRow& r) { return r.endpoint == "onset_h"; });
  ASSERT_NE(row, c.rows.end());
  ASSERT_TRUE(row->population.has_value());
  const PercentileBand& band = *row->population;
  EXPECT_EQ(band.count, n) << "mothers without onset are counted, not left out";
  // With the mothers without onset sorted last, percentile q sits at position q (n - 1)
  // (type 7): reported where it falls among the reached onsets, censored (NaN) beyond them.
  for (const auto& [q, value] : {std::pair{0.05, band.p5}, std::pair{0.5, band.p50}, std::pair{0.95, band.p95}}) {
    const double position = q * static_cast<double>(n - 1);
    if (position <= static_cast<double>(reached.size() - 1)) {
      const auto lower = static_cast<std::size_t>(position);
      const std::size_t upper = std::min(lower + 1, reached.size() - 1);
      const double expected = reached[lower] + (position - static_cast<double>(lower)) * (reached[upper] - reached[lower]);
      EXPECT_NEAR(value, expected, 0.05) << "percentile " << q;
    } else {
      EXPECT_TRUE(std::isnan(value)) << "percentile " << q << " falls among mothers without onset, yet " << value;
    }
  }
  // A mother's difference to herself (the reference arm) is 0, whether she reached onset or not.
  ASSERT_TRUE(row->paired_difference.has_value());
  EXPECT_EQ(row->paired_difference->p5, 0.0);
  EXPECT_EQ(row->paired_difference->p95, 0.0);
  const std::string csv = comparison_csv(c);
  EXPECT_EQ(csv_cell(csv, "onset_h,slow,", "population_p50"), "") << csv;
  EXPECT_EQ(csv_cell(csv, "onset_h,slow,", "censored_above_h"), "72") << csv;
  const std::string fraction = csv_cell(csv, "onset_h,slow,", "not_reached_fraction");
  ASSERT_TRUE(!fraction.empty() && fraction.front() != '<') << csv;
  EXPECT_NEAR(std::stod(fraction), static_cast<double>(n - reached.size()) / static_cast<double>(n), 1e-9) << csv;
  EXPECT_EQ(csv_cell(csv, "milk_day3_ml,slow,", "censored_above_h"), "") << csv;
  EXPECT_NE(comparison_table(c).find(">72"), std::string::npos) << comparison_table(c);
}

TEST(AnalysisPopulation, OnsetAfter72hFractionIsUnknownWhenTheHorizonEndsEarlierAndOnsetIsNotReached) {
  // A 2-day population: a mother without onset at 48 h may still reach it before 72 h.
  std::string toml = test::short_vaginal_scenario_toml("two days") +
                     "[population]\nsize = 12\nseed = 3\n[population.variability]\nactivation_rate_per_h = 0.5\n";
  toml.replace(toml.find("duration_days = 3"), 17, "duration_days = 2");
  const Scenario two_days = parse_scenario(toml, "two_days.toml");
  const Comparison c = compare_scenarios({two_days}, test::compare_options(1, true));
  const auto onset = std::find_if(c.rows.begin(), c.rows.end(), [](const ComparisonRow& r) { return r.endpoint == "onset_h"; });
  const auto late = std::find_if(c.rows.begin(), c.rows.end(),
                                 [](const ComparisonRow& r) { return r.endpoint == "onset_after_72h_fraction"; });
  ASSERT_NE(onset, c.rows.end());
  ASSERT_NE(late, c.rows.end());
  ASSERT_GT(onset->not_reached_fraction, 0.0) << "the setup needs mothers without onset at 48 h";
  ASSERT_TRUE(late->fraction.has_value());
  EXPECT_TRUE(std::isnan(late->fraction->estimate)) << "counted as later than 72 h: " << late->fraction->estimate;
  EXPECT_TRUE(std::isnan(late->paired_mean->mean)) << late->paired_mean->mean;
  EXPECT_TRUE(std::isnan(late->value)) << late->value;
}

TEST(AnalysisPopulation, TerminalTableNeverCutsANumberShort) {
  // The band columns are narrow; a number cut to fit (-2.265210e-13 shown as -2.265210) would
  // be a wrong value on the screen, and a paired band could look like p5 > p95.
  Comparison c;
  c.scenarios = {"control", "massage"};
  PopulationSpec spec;
  spec.size = 10;
  c.population = spec;
  c.failed_mothers = {0, 0};
  c.first_failure = {"", ""};
  ComparisonRow row;
  row.endpoint = "milk_day7_ml";
  row.scenario = "massage";
  row.population = PercentileBand{123.456789, 234.5, 345.25, 10};
  row.paired_difference = PercentileBand{-2.265210e-13, 0.5, 1.5e-12, 10};
  c.rows = {row};
  const std::string table = comparison_table(c);
  EXPECT_NE(table.find("-2.265e-13"), std::string::npos) << table;
  EXPECT_NE(table.find("1.5e-12"), std::string::npos) << table;
  EXPECT_NE(table.find("123.5"), std::string::npos) << table;
}

TEST(AnalysisPopulation, APopulationTableCompareWouldIgnoreIsRefusedNotDropped) {
  // compare runs the first scenario's population on every arm (so mothers are paired). A
  // different table in a later arm, or one when the first has none, used to be ignored
  // silently: the user's population was not the one simulated.
  const std::string first = "[population]\nsize = 6\nseed = 5\n[population.variability]\npain_peak_nrs = 0.3\n";
  const std::string other = "[population]\nsize = 9\nseed = 99\n[population.variability]\npain_peak_nrs = 0.3\n";
  const Scenario control = parse_scenario(with_population("seed_case_control.toml", first), "control.toml");
  const Scenario same = parse_scenario(with_population("seed_case_massage.toml", first), "same.toml");
  const Scenario differs = parse_scenario(with_population("seed_case_massage.toml", other), "differs.toml");
  const Scenario without = parse_scenario(test::read_file(test::scenario_path("seed_case_control.toml")), "without.toml");
  EXPECT_NO_THROW(compare_scenarios({control, same}, test::compare_options(1, true)));
  for (const auto& arms : {std::vector<Scenario>{control, differs}, std::vector<Scenario>{without, differs}}) {
    try {
      compare_scenarios(arms, test::compare_options(1, true));
      ADD_FAILURE() << "a population table of " << arms[1].file << " was ignored";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("differs.toml"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("--no-population"), std::string::npos) << e.what();
    }
  }
  // --no-population ignores every table, so nothing is ignored behind the user's back.
  EXPECT_NO_THROW(compare_scenarios({without, differs}, test::compare_options(1, false)));
}

}  // namespace
}  // namespace lactsim
