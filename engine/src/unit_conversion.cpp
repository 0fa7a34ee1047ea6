#include "lactsim/engine/unit_conversion.hpp"

#include <array>
#include <utility>

#include "lactsim/engine/infant_weight.hpp"

namespace lactsim {
namespace {

struct UnitRule {
  std::string_view quantity;
  std::string_view model_unit;
  std::string_view unit;
  double factor;  // model value per observed value
};

// Every (quantity, unit) pair the scenario loader accepts appears here exactly once.
constexpr std::array kRules = {
    UnitRule{"milk_transferred_daily", "mL/day", "mL/day", 1.0},
    UnitRule{"milk_transferred_daily", "mL/day", "g/day", 1.0 / kHumanMilkDensity_g_per_ml},
    UnitRule{"milk_expressed_daily", "mL/day", "mL/day", 1.0},
    UnitRule{"milk_expressed_daily", "mL/day", "g/day", 1.0 / kHumanMilkDensity_g_per_ml},
    UnitRule{"milk_expressed_session", "mL", "mL", 1.0},
    UnitRule{"milk_expressed_session", "mL", "g", 1.0 / kHumanMilkDensity_g_per_ml},
    UnitRule{"prolactin", "ng/mL", "ng/mL", 1.0},
    UnitRule{"oxytocin", "uU/mL", "uU/mL", 1.0},
    UnitRule{"oxytocin", "uU/mL", "pg/mL", 1.0 / kOxytocin_pg_per_uU},
    UnitRule{"pain", "NRS", "NRS", 1.0},
    UnitRule{"onset_time", "h", "h", 1.0},
    UnitRule{"infant_weight", "g", "g", 1.0},
    UnitRule{"infant_weight", "g", "kg", kGramsPerKilogram},
    UnitRule{"infant_weight_change", "%", "%", 1.0},
    UnitRule{"first_colostrum_time", "h", "h", 1.0},
    UnitRule{"perceived_onset_time", "h", "h", 1.0},
};

}  // namespace

std::optional<std::string_view> model_unit(std::string_view quantity) {
  for (const auto& rule : kRules) {
    if (rule.quantity == quantity) return rule.model_unit;
  }
  return std::nullopt;
}

std::optional<double> to_model_unit_factor(std::string_view quantity, std::string_view unit) {
  for (const auto& rule : kRules) {
    if (rule.quantity == quantity && rule.unit == unit) return rule.factor;
  }
  return std::nullopt;
}

}  // namespace lactsim
