#include "lactsim/engine/infant_weight.hpp"

#include "lactsim/engine/unit_conversion.hpp"

namespace lactsim {

double infant_cumulative_loss_g(const model::ModelParameters& p, double birth_weight_g, double milk_transferred_ml,
                                double time_h) {
  return birth_weight_g / kGramsPerKilogram * p.infant_loss_g_kg_h * time_h +
         p.infant_intake_loss_fraction * kHumanMilkDensity_g_per_ml * milk_transferred_ml;
}

double infant_weight_g(const model::ModelParameters& p, double birth_weight_g, double milk_transferred_ml,
                       double time_h) {
  return birth_weight_g + kHumanMilkDensity_g_per_ml * milk_transferred_ml -
         infant_cumulative_loss_g(p, birth_weight_g, milk_transferred_ml, time_h);
}

double weight_change_percent(double weight_g, double birth_weight_g) {
  return 100.0 * (weight_g - birth_weight_g) / birth_weight_g;
}

}  // namespace lactsim
