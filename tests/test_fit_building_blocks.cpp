// Bound transforms, the Latin-hypercube design and parameter-set files.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/fit/bound_transform.hpp"
#include "lactsim/io/parameter_set.hpp"
#include "space_filling.hpp"

namespace lactsim {
namespace {

TEST(FitBoundTransform, RoundTripsStaysInsideAndHasTheRightDerivative) {
  for (const BoundTransform t : {BoundTransform(0.0, 10.0), BoundTransform(0.001, 2.0), BoundTransform(-5.0, 5.0)}) {
    for (double u : {-30.0, -3.0, -0.2, 0.0, 1.7, 30.0}) {
      const double theta = t.to_parameter(u);
      EXPECT_GE(theta, t.lower());
      EXPECT_LE(theta, t.upper());
      if (std::abs(u) < 10) {
        EXPECT_NEAR(t.to_internal(theta), u, 1e-9);
        const double h = 1e-6;
        const double numeric = (t.to_parameter(u + h) - t.to_parameter(u - h)) / (2 * h);
        EXPECT_NEAR(t.derivative(u), numeric, 1e-6 * std::max(1.0, std::abs(numeric)));
      }
    }
  }
  EXPECT_TRUE(BoundTransform(0.001, 2.0).log_scale());
  EXPECT_FALSE(BoundTransform(0.0, 10.0).log_scale());
  // The geometric middle of a log-scale range maps to u = 0.
  EXPECT_NEAR(BoundTransform(0.01, 1.0).to_parameter(0.0), 0.1, 1e-12);
}

TEST(FitDesign, LatinHypercubeHasOnePointPerStratumAndIsReproducible) {
  const std::size_t n = 17, d = 4;
  const auto design = latin_hypercube(n, d, 42);
  ASSERT_EQ(design.size(), n * d);
  for (std::size_t j = 0; j < d; ++j) {
    std::vector<int> count(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = design[i * d + j];
      ASSERT_GE(x, 0.0);
      ASSERT_LT(x, 1.0);
      ++count[static_cast<std::size_t>(x * n)];
    }
    EXPECT_TRUE(std::all_of(count.begin(), count.end(), [](int c) { return c == 1; })) << "dimension " << j;
  }
  EXPECT_EQ(design, latin_hypercube(n, d, 42));
  EXPECT_NE(design, latin_hypercube(n, d, 43));
}

TEST(FitParameterSet, WrittenValuesReadBackBitIdentical) {
  const std::vector<std::pair<std::string, double>> values = {
      {"activation_rate_per_h", 1.0 / 3.0}, {"milk_max_synthesis_ml_h", 53.35638371499347},
      {"milk_storage_capacity_ml", 200.0}};
  const std::string text = parameter_set_toml(values, {"a header"}, {{"command", "lactsim fit \"x\""}});
  const auto overrides = parse_parameter_set(text, "set.toml");
  ASSERT_EQ(overrides.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(overrides[i].name, values[i].first);
    EXPECT_EQ(overrides[i].value, values[i].second);  // exact: 17 significant digits
    EXPECT_EQ(overrides[i].where.file, "set.toml");
    EXPECT_GT(overrides[i].where.line, 0);
  }
}

TEST(FitParameterSet, BadFilesNameTheLineAndField) {
  try {
    parse_parameter_set("[parameters]\nactivation_rate_per_h = 0.1\nmilk_max_synthesys_ml_h = 50.0\n", "p.toml");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 3);
    EXPECT_NE(std::string(e.what()).find("did you mean 'milk_max_synthesis_ml_h'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_parameter_set("[parameters]\nactivation_rate_per_h = \"fast\"\n", "p.toml"), InputError);
  EXPECT_THROW(parse_parameter_set("activation_rate_per_h = 0.1\n", "p.toml"), InputError);  // no [parameters]
  EXPECT_THROW(parse_parameter_set("[parameters\n", "p.toml"), InputError);
}

}  // namespace
}  // namespace lactsim
