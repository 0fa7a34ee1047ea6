// The structural terms added for issue #14 against their documented formulas (docs/model.md §2, §3).
#include <gtest/gtest.h>

#include <cmath>

#include "lactsim/model/lactation_model.hpp"
#include "lactsim/model/parameter_registry.hpp"

namespace lactsim {
namespace {

model::LactationModel model_for(model::DeliveryMode mode) {
  const model::Covariates covariates{mode, model::Parity::primiparous};
  const model::ModelParameters p = model::default_parameters(covariates);
  return model::LactationModel(p, covariates, model::PainInput::parametric(p));
}

TEST(DeliveryStress, AddsToPainInTheInhibitingInputButNotInThePainMotherScores) {
  // docs/model.md §2: N_eff = (N + D0 e^{-t/tau_D}) (1 - f r); pain_nrs and the "pain"
  // observable stay N (after relief), without the stress.
  const model::LactationModel emergency = model_for(model::DeliveryMode::caesarean_emergency);
  const model::ModelParameters& p = emergency.parameters();
  ASSERT_GT(p.delivery_stress_nrs, 0.0);
  model::State x = emergency.initial_state();
  x[model::state::massage_relief] = 0.4;
  const double t = 36.0, relief_left = 1.0 - p.massage_pain_relief_fraction * 0.4;
  const double pain = model::PainInput::parametric(p).nrs_at(t);
  const double stress = p.delivery_stress_nrs * std::exp(-t / p.delivery_stress_decay_h);
  const model::DerivedQuantities d = emergency.derived(x, t);
  EXPECT_NEAR(d.pain_nrs, pain, 1e-12);
  EXPECT_NEAR(d.effective_pain_nrs, (pain + stress) * relief_left, 1e-12);
  EXPECT_NEAR(d.felt_pain_nrs, pain * relief_left, 1e-12);
}

TEST(DeliveryStress, IsZeroAfterVaginalBirthAndPlannedCaesareanByDefault) {
  for (auto mode : {model::DeliveryMode::vaginal, model::DeliveryMode::caesarean_planned}) {
    const model::LactationModel m = model_for(mode);
    EXPECT_EQ(m.parameters().delivery_stress_nrs, 0.0) << model::to_string(mode);
    const model::DerivedQuantities d = m.derived(m.initial_state(), 30.0);
    EXPECT_DOUBLE_EQ(d.effective_pain_nrs, d.pain_nrs) << model::to_string(mode);
  }
}

TEST(ColostrumSecretion, IsGatedByProgesteroneWithdrawal) {
  // docs/model.md §3: S = (S_col W(t) + S_max A) PRL/(PRL + K_PRL) max(0, 1 - V/V_cap),
  // W(t) = 1 - e^{-t/tau_W}. With A = 0 only the colostrum term is left.
  const model::LactationModel m = model_for(model::DeliveryMode::vaginal);
  const model::ModelParameters& p = m.parameters();
  model::State x = m.initial_state();
  x[model::state::activation] = 0.0;
  EXPECT_EQ(m.derived(x, 0.0).synthesis_ml_h, 0.0);
  for (double t : {5.0, 20.0, 60.0}) {
    const model::DerivedQuantities d = m.derived(x, t);
    const double prl = d.prolactin_total_ng_ml;
    const double expected = p.milk_colostrum_synthesis_ml_h * (1.0 - std::exp(-t / p.progesterone_withdrawal_h)) *
                            prl / (prl + p.prl_synthesis_half_ng_ml) *
                            (1.0 - p.milk_initial_stored_ml / p.milk_storage_capacity_ml);
    EXPECT_NEAR(d.synthesis_ml_h, expected, 1e-12 * expected) << "t = " << t;
  }
}

}  // namespace
}  // namespace lactsim
