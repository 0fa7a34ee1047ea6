#pragma once
/// @file rhs_parts.hpp
/// Definitions of LactationModel's right-hand-side parts (declared and documented in
/// lactation_model.hpp). Inline because the cascade solver evaluates them at every
/// quadrature point; out of line they cost a call across the library boundary each
/// (~20% of a simulation, docs/performance.md). Include lactation_model.hpp, not this.

#include <algorithm>
#include <cmath>

#include "lactsim/model/detail/hill.hpp"

namespace lactsim::model {

inline double LactationModel::effective_pain(double pain_nrs, double relief) const {
  return pain_nrs * (1.0 - p_.massage_pain_relief_fraction * std::clamp(relief, 0.0, 1.0));
}

inline double LactationModel::ejection_gate(double oxytocin) const {
  const double ot = std::max(oxytocin, 0.0);
  const double a = detail::hill_power(ot, p_.ejection_hill_coefficient);
  return a / (a + ejection_threshold_power_);
}

inline double LactationModel::release_drive_target(const Stimulus& stimulus) const {
  // Suckling intensity: 1 at the breast, a fraction with a pump.
  double suckling = 0.0;
  if (stimulus.pumping) suckling = p_.pump_stimulus_fraction;
  if (stimulus.feeding) suckling = std::max(suckling, 1.0);
  return suckling;
}

inline double LactationModel::oxytocin_target(double effective_pain_nrs, const Stimulus& stimulus) const {
  // First-order clearance towards a stimulus-dependent target; evoked release is inhibited
  // by pain, massage releases OT directly (mechanism 1).
  const double conditioned = (stimulus.pre_feed && !stimulus.feeding) ? p_.ot_conditioned_fraction : 0.0;
  const double evoked = release_drive_target(stimulus) + conditioned;
  const double ot_left =
      evoked > 0.0 ? detail::pain_inhibition(effective_pain_nrs * inverse_ot_pain_half_nrs_, p_.pain_hill_coefficient)
                   : 0.0;
  return p_.ot_basal_uU_ml + p_.ot_feed_rise_uU_ml * evoked * ot_left +
         (stimulus.massage ? p_.massage_ot_rise_uU_ml : 0.0);
}

inline double LactationModel::prolactin_evoked_gain(const TimeFactors& factors, double effective_pain_nrs) const {
  // Responsiveness grows over the first days (Howie et al. 1980); pain inhibits release.
  const double prl_left = detail::pain_inhibition(effective_pain_nrs * inverse_prl_pain_half_nrs_, p_.pain_hill_coefficient);
  return p_.prl_feed_rise_ng_ml * responsiveness(factors) * prl_left;
}

inline double LactationModel::basal_prolactin(const TimeFactors& factors) const {
  return p_.prl_basal_floor_ng_ml + (p_.prl_basal_birth_ng_ml - p_.prl_basal_floor_ng_ml) * factors.basal_decay;
}

inline double LactationModel::responsiveness(const TimeFactors& factors) const {
  return 1.0 - (1.0 - p_.prl_response_initial_fraction) * factors.maturation_decay;
}

inline double LactationModel::activation_stress_exponent(double effective_pain_nrs) const {
  return -p_.pain_activation_sensitivity_per_nrs * effective_pain_nrs;
}

inline double LactationModel::activation_growth_rate_given_stress(const TimeFactors& factors, double stress_factor,
                                                                  double prolactin_total_ng_ml) const {
  // Logistic growth gated by progesterone withdrawal, driven by PRL, slowed by pain/stress
  // (stress_factor = e^{activation_stress_exponent}) and primiparity.
  const double withdrawal = 1.0 - factors.withdrawal_decay;
  return activation_rate_per_ng_ml_ * withdrawal * std::max(prolactin_total_ng_ml, 0.0) * stress_factor;
}

inline double LactationModel::activation_growth_rate(const TimeFactors& factors, double effective_pain_nrs,
                                                     double prolactin_total_ng_ml) const {
  return activation_growth_rate_given_stress(factors, std::exp(activation_stress_exponent(effective_pain_nrs)),
                                             prolactin_total_ng_ml);
}

inline double LactationModel::synthesis_empty_store_ml_h(double withdrawal_decay, double activation,
                                                        double prolactin_total_ng_ml) const {
  // PRL is permissive and near-saturating in established lactation (Cox et al. 1996).
  const double prl = std::max(prolactin_total_ng_ml, 0.0);
  const double prolactin_factor = prl / (prl + p_.prl_synthesis_half_ng_ml);
  // Colostrum secretion is held back by placental progesterone as activation is, so it
  // follows the same withdrawal gate W(t) = 1 − e^{−t/τ_W} (docs/model.md §4).
  const double withdrawal = 1.0 - withdrawal_decay;
  return (p_.milk_colostrum_synthesis_ml_h * withdrawal + p_.milk_max_synthesis_ml_h * std::clamp(activation, 0.0, 1.0)) *
         prolactin_factor;
}

inline double LactationModel::infant_removal_rate_per_h(double oxytocin, const Stimulus& stimulus) const {
  return stimulus.feeding ? p_.milk_removal_rate_per_h * ejection_gate(oxytocin) : 0.0;
}

inline double LactationModel::pump_removal_rate_per_h(double oxytocin, const Stimulus& stimulus) const {
  return stimulus.pumping ? p_.pump_removal_rate_per_h * ejection_gate(oxytocin) : 0.0;
}

}  // namespace lactsim::model
