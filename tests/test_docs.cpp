// Documentation that must agree with the code.
#include <gtest/gtest.h>

#include <sstream>

#include "lactsim/model/parameter_registry.hpp"
#include "lactsim/engine/text_format.hpp"
#include "test_support.hpp"

namespace lactsim {
namespace {

TEST(ModelDoc, ParameterTableListsEveryParameterWithItsCurrentDefaults) {
  const std::string doc = test::read_file(std::filesystem::path(LACTSIM_SOURCE_DIR) / "docs" / "model.md");
  for (const auto& info : model::parameter_registry()) {
    const std::string row_start = "| `" + std::string(info.name) + "` | " + std::string(info.unit) + " | ";
    const auto at = doc.find(row_start);
    ASSERT_NE(at, std::string::npos) << info.name << " is missing from docs/model.md; run scripts/update-model-doc.sh";
    std::istringstream cells(doc.substr(at + row_start.size(), doc.find('\n', at) - at - row_start.size()));
    std::string vaginal, planned, emergency;
    std::getline(cells, vaginal, '|');
    std::getline(cells, planned, '|');
    std::getline(cells, emergency, '|');
    auto trim = [](std::string s) { return s.substr(s.find_first_not_of(' '), s.find_last_not_of(' ') - s.find_first_not_of(' ') + 1); };
    EXPECT_EQ(trim(vaginal), format_number(info.default_for(model::DeliveryMode::vaginal)))
        << info.name << ": docs/model.md is stale; run scripts/update-model-doc.sh";
    EXPECT_EQ(trim(planned), format_number(info.default_for(model::DeliveryMode::caesarean_planned))) << info.name;
    EXPECT_EQ(trim(emergency), format_number(info.default_for(model::DeliveryMode::caesarean_emergency))) << info.name;
  }
}

}  // namespace
}  // namespace lactsim
