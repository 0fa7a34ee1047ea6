// Designs and counter-based random numbers: the properties sweeps rely on.

#include <gtest/gtest.h>

#include <boost/random/sobol.hpp>
#include <cmath>
#include <set>

#include "lactsim/io/counter_rng.hpp"
#include "lactsim/analysis/design.hpp"

namespace lactsim {
namespace {

std::vector<ParameterRange> two_ranges() {
  return {parse_parameter_range("massage_ot_rise_uU_ml=0:10", {}),
          parse_parameter_range("activation_rate_per_h=0.05:0.2:log", {})};
}

TEST(AnalysisDesigns, KeyedPermutationIsABijection) {
  for (std::uint64_t n : {1u, 2u, 7u, 64u, 1000u}) {
    std::set<std::uint64_t> seen;
    for (std::uint64_t i = 0; i < n; ++i) seen.insert(keyed_permutation(i, n, 12345));
    EXPECT_EQ(seen.size(), n);
    EXPECT_LT(*seen.rbegin(), n);
  }
}

TEST(AnalysisDesigns, LatinHypercubeHitsEveryStratumOncePerParameter) {
  constexpr std::size_t n = 200;
  const auto design = Design::generated(DesignKind::lhs, two_ranges(), n, 7);
  Design::Cursor cursor(design);
  std::vector<std::set<std::size_t>> strata(2);
  std::vector<double> v(2);
  for (std::size_t i = 0; i < n; ++i) {
    cursor.values(i, v);
    strata[0].insert(static_cast<std::size_t>(v[0] / 10.0 * n));  // linear range [0, 10]
    const double u = std::log(v[1] / 0.05) / std::log(0.2 / 0.05);  // log range
    strata[1].insert(static_cast<std::size_t>(u * n));
  }
  EXPECT_EQ(strata[0].size(), n);
  EXPECT_EQ(strata[1].size(), n);
}

TEST(AnalysisDesigns, SobolCursorMatchesBoostSequenceInAnyOrder) {
  const auto design = Design::generated(DesignKind::sobol, two_ranges(), 64, 1);
  boost::random::sobol reference(2);
  std::vector<std::vector<double>> sequential;
  for (int i = 0; i < 64; ++i) {
    const double u0 = static_cast<double>(reference()) * 0x1.0p-64;
    const double u1 = static_cast<double>(reference()) * 0x1.0p-64;
    sequential.push_back({10.0 * u0, 0.05 * std::pow(4.0, u1)});
  }
  Design::Cursor cursor(design);
  std::vector<double> v(2);
  for (std::size_t i : {37u, 5u, 6u, 63u, 0u}) {  // jumps and steps
    cursor.values(i, v);
    EXPECT_DOUBLE_EQ(v[0], sequential[i][0]) << i;
    EXPECT_NEAR(v[1], sequential[i][1], 1e-15) << i;
  }
  EXPECT_DOUBLE_EQ(sequential[0][0], 5.0);  // Sobol's first point is the centre
}

TEST(AnalysisDesigns, GridIncludesTheCornersAndHasLevelsToTheD) {
  const auto design = Design::generated(DesignKind::grid, two_ranges(), 9, 1);
  ASSERT_EQ(design.size(), 9u);
  Design::Cursor cursor(design);
  std::vector<double> first(2), last(2);
  cursor.values(0, first);
  cursor.values(8, last);
  EXPECT_DOUBLE_EQ(first[0], 0.0);
  EXPECT_NEAR(first[1], 0.05, 1e-15);
  EXPECT_DOUBLE_EQ(last[0], 10.0);
  EXPECT_NEAR(last[1], 0.2, 1e-15);
}

TEST(AnalysisDesigns, BadRangesAreInputErrorsNamingTheField) {
  for (const char* text : {"massage_ot_rise=0:10", "massage_ot_rise_uU_ml=10:0", "massage_ot_rise_uU_ml=0:10:log",
                           "massage_ot_rise_uU_ml=a:b", "massage_ot_rise_uU_ml"}) {
    try {
      parse_parameter_range(text, {"<command line>", 0, 0});
      FAIL() << text;
    } catch (const InputError& e) {
      EXPECT_EQ(e.field().rfind("ranges ", 0), 0u) << e.what();  // the library argument, not the CLI flag
    }
  }
}

TEST(AnalysisDesigns, ARangeLeavingTheParametersBoundsIsRefusedBeforeAnySample) {
  // Every sample outside the bounds would fail: a sweep lost them silently and a sensitivity
  // analysis computed its indices from the biased remainder, both exiting 0.
  for (const char* text : {"massage_ot_rise_uU_ml=0:20", "massage_pain_relief_fraction=-0.5:1",
                           "massage_relief_half_life_h=0.01:12:log"}) {
    try {
      parse_parameter_range(text, {kArgumentsOrigin, 0, 0});
      ADD_FAILURE() << text << " was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), "ranges " + std::string(text)) << e.what();
      EXPECT_NE(std::string(e.what()).find("plausible bounds"), std::string::npos) << e.what();
    }
  }
  // The bounds themselves are inside.
  const ParameterRange whole = parse_parameter_range("massage_ot_rise_uU_ml=0:10", {kArgumentsOrigin, 0, 0});
  EXPECT_EQ(whole.low, 0.0);
  EXPECT_EQ(whole.high, 10.0);
}

TEST(AnalysisDesigns, CounterUniformAndNormalHaveTheRightMoments) {
  constexpr int n = 200'000;
  double sum_u = 0, sum_z = 0, sum_zz = 0;
  for (int i = 0; i < n; ++i) {
    sum_u += counter_uniform(3, static_cast<std::uint64_t>(i), 0);
    const double z = counter_normal(3, static_cast<std::uint64_t>(i), 1);
    sum_z += z;
    sum_zz += z * z;
  }
  // Four standard errors: 0.2887/sqrt(n) for the uniform mean, 1/sqrt(n) and sqrt(2/n) for z.
  EXPECT_NEAR(sum_u / n, 0.5, 4 * 0.2887 / std::sqrt(n));
  EXPECT_NEAR(sum_z / n, 0.0, 4 / std::sqrt(n));
  EXPECT_NEAR(sum_zz / n, 1.0, 4 * std::sqrt(2.0 / n));
  // Keyed, not sequential: the same key gives the same number.
  EXPECT_EQ(counter_bits(1, 2, 3), counter_bits(1, 2, 3));
  EXPECT_NE(counter_bits(1, 2, 3), counter_bits(1, 3, 2));
}

TEST(AnalysisDesigns, PoissonWeightsHaveMeanAndVarianceOne) {
  constexpr int n = 200'000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double k = counter_poisson1(9, static_cast<std::uint64_t>(i), 4);
    sum += k;
    sum_sq += k * k;
  }
  EXPECT_NEAR(sum / n, 1.0, 4 / std::sqrt(n));
  EXPECT_NEAR(sum_sq / n - (sum / n) * (sum / n), 1.0, 0.02);
}

}  // namespace
}  // namespace lactsim
