// Building blocks: parameter registry, SHA-256, number and JSON formatting.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/engine/sample_evaluation.hpp"
#include "lactsim/io/json_writer.hpp"
#include "sha256.hpp"
#include "lactsim/engine/text_format.hpp"

namespace lactsim {
namespace {

TEST(ParameterRegistry, EveryFieldHasOneEntryWithUnitSourceAndDefaultsInsideBounds) {
  std::set<std::string_view> names;
  std::set<std::ptrdiff_t> members;  // field offsets: member pointers have no order
  const model::ModelParameters probe{};
  for (const auto& info : model::parameter_registry()) {
    EXPECT_TRUE(names.insert(info.name).second) << "duplicate name " << info.name;
    const auto offset = reinterpret_cast<const char*>(&(probe.*(info.member))) - reinterpret_cast<const char*>(&probe);
    EXPECT_TRUE(members.insert(offset).second) << "two entries write one field: " << info.name;
    EXPECT_FALSE(info.unit.empty()) << info.name;
    EXPECT_FALSE(info.source.empty()) << info.name;
    EXPECT_FALSE(info.description.empty()) << info.name;
    EXPECT_LT(info.lower_bound, info.upper_bound) << info.name;
    for (auto mode : {model::DeliveryMode::vaginal, model::DeliveryMode::caesarean_planned,
                      model::DeliveryMode::caesarean_emergency}) {
      EXPECT_GE(info.default_for(mode), info.lower_bound) << info.name;
      EXPECT_LE(info.default_for(mode), info.upper_bound) << info.name;
    }
  }
  EXPECT_EQ(members.size() * sizeof(double), sizeof(model::ModelParameters));
  for (auto mode : {model::DeliveryMode::vaginal, model::DeliveryMode::caesarean_planned,
                    model::DeliveryMode::caesarean_emergency}) {
    EXPECT_TRUE(model::validate_parameters(model::default_parameters({mode, model::Parity::primiparous})).empty());
  }
}

TEST(ParameterRegistry, EveryParameterHasADistinctDisplayNameForPeople) {
  // Figures label axes with "<display name> (<unit>)"; a missing or raw name printed
  // identifiers such as massage_relief_half_life_h on journal figures.
  std::set<std::string_view> display_names;
  for (const auto& info : model::parameter_registry()) {
    const std::string_view name = info.display_name;
    ASSERT_FALSE(name.empty()) << info.name;
    EXPECT_TRUE(display_names.insert(name).second) << "two parameters are called '" << name << "'";
    EXPECT_TRUE(name.front() >= 'A' && name.front() <= 'Z') << info.name << ": sentence case, '" << name << "'";
    EXPECT_EQ(name.find('_'), std::string_view::npos) << info.name << ": an identifier, not a name: '" << name << "'";
    EXPECT_EQ(name.find('('), std::string_view::npos) << info.name << ": the unit is added by the label, not part of the name";
    EXPECT_EQ(name.find(','), std::string_view::npos) << info.name << ": a comma would need quoting in figure data files";
    EXPECT_LE(name.size(), 40u) << info.name << ": too long for an axis label: '" << name << "'";
  }
  EXPECT_EQ(model::find_parameter("massage_relief_half_life_h")->display_name, "Massage relief half-life");
}

TEST(EndpointLabels, NameEveryEndpointWithItsUnit) {
  for (const std::string& name : endpoint_names(14)) {
    const auto label = endpoint_label(name);
    ASSERT_TRUE(label.has_value()) << name;
    EXPECT_FALSE(label->display_name.empty()) << name;
    EXPECT_FALSE(label->unit.empty()) << name;
  }
  EXPECT_EQ(endpoint_label("milk_day3_ml")->display_name, "Milk transferred on day 3");
  EXPECT_EQ(endpoint_label("milk_day3_ml")->unit, "mL/day");
  EXPECT_EQ(endpoint_label("milk_day12_ml")->display_name, "Milk transferred on day 12");
  EXPECT_EQ(endpoint_label("onset_h")->unit, "h");
  EXPECT_EQ(endpoint_label("ot_peak_per_feed_uU_ml")->unit, "uU/mL");
  for (const char* other : {"milk_day_ml", "milk_day03_ml", "milk_dayx_ml", "onset", "pain_peak_nrs", ""}) {
    EXPECT_FALSE(endpoint_label(other).has_value()) << other;
  }
}

TEST(ParameterRegistry, SuggestsTheClosestNameForTypos) {
  EXPECT_EQ(model::closest_parameter_name("ot_half_life"), "ot_half_life_min");
  EXPECT_EQ(model::closest_parameter_name("prl_halflife_min"), "prl_half_life_min");
  // Words in another order: the name with the same words, not a short unrelated one.
  EXPECT_EQ(model::closest_parameter_name("half_life_ot_min"), "ot_half_life_min");
  EXPECT_EQ(model::closest_parameter_name("half_life_prl_min"), "prl_half_life_min");
  EXPECT_EQ(model::find_parameter("no_such"), nullptr);
}

TEST(Sha256, MatchesTheFips180_4TestVectors) {
  // NIST FIPS 180-4 examples (SHA256.pdf, csrc.nist.gov).
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(NumberFormat, IsShortAndLocaleFree) {
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(-0.0), "0");
  EXPECT_EQ(format_number(1.5), "1.5");
  EXPECT_EQ(format_number(1.0 / 3.0), "0.3333333333");
  EXPECT_EQ(format_number(1e-300), "1e-300");
  EXPECT_EQ(format_number(std::nan("")), "nan");
}

TEST(JsonWriter, EscapesAndNestsCorrectly) {
  JsonWriter json;
  json.begin_object().key("a\"b").value("line\nbreak\x01").key("list").begin_array().value(1).value(2.5).null();
  json.end_array().key("nan").value(std::nan("")).key("empty").begin_object().end_object().end_object();
  EXPECT_EQ(json.str(),
            "{\n  \"a\\\"b\": \"line\\nbreak\\u0001\",\n  \"list\": [\n    1,\n    2.5,\n    null\n  ],\n"
            "  \"nan\": null,\n  \"empty\": {}\n}\n");
}

}  // namespace
}  // namespace lactsim
