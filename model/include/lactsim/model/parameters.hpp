#pragma once
/// @file parameters.hpp
/// The model's parameters as plain numbers. Names, units, defaults, bounds and sources
/// are in parameter_registry.hpp; docs/model.md explains each one.
/// Build a value with `default_parameters()` rather than by hand.

namespace lactsim::model {

/// All model parameters. Times are in the unit named by the suffix (_h, _min).
struct ModelParameters {
  // Pain profile (NRS 0–10), used when the scenario gives no observed pain points.
  double pain_initial_nrs;             ///< pain from birth until anaesthesia wears off
  double pain_anaesthesia_h;           ///< duration of neuraxial analgesia after birth
  double pain_peak_nrs;                ///< worst pain, reached at pain_peak_h
  double pain_peak_h;                  ///< time of worst pain after birth
  double pain_resolved_h;              ///< time at which the log-decline reaches 0
  double pain_hill_coefficient;        ///< steepness of pain inhibition curves
  double delivery_stress_nrs;          ///< pain-equivalent stress of labour + unscheduled surgery at birth
  double delivery_stress_decay_h;      ///< time constant of that stress's exponential decay

  // Oxytocin.
  double ot_basal_uU_ml;               ///< plasma OT without stimulus
  double ot_half_life_min;             ///< plasma elimination half-life
  double ot_feed_rise_uU_ml;           ///< steady-state rise above basal while suckling
  double ot_conditioned_fraction;      ///< conditioned pre-feed release, fraction of suckling
  double ot_conditioned_lead_min;      ///< how long before a feed the conditioned rise starts
  double ot_pain_half_inhibition_nrs;  ///< pain at which evoked OT release is halved
  double pump_stimulus_fraction;       ///< pump-evoked hormone release relative to suckling

  // Milk ejection and removal.
  double ejection_ot_threshold_uU_ml;  ///< OT at which the ejection gate is half open
  double ejection_hill_coefficient;    ///< steepness of the ejection gate
  double milk_removal_rate_per_h;      ///< first-order removal by the infant, gate fully open
  double pump_removal_rate_per_h;      ///< first-order removal by a pump, gate fully open

  // Prolactin.
  double prl_half_life_min;            ///< plasma elimination half-life
  double prl_basal_birth_ng_ml;        ///< basal PRL at birth
  double prl_basal_floor_ng_ml;        ///< level the basal PRL declines towards
  double prl_basal_decline_h;          ///< time constant of the basal decline
  double prl_feed_rise_ng_ml;          ///< steady-state evoked rise, full drive and response
  double prl_release_time_constant_min;///< time constant of the suckling release drive
  double prl_response_initial_fraction;///< evoked response at birth relative to its maximum
  double prl_response_maturation_h;    ///< time constant of the response's growth (Howie 1980)
  double prl_pain_half_inhibition_nrs; ///< pain at which evoked PRL release is halved

  // Secretory activation (lactogenesis II).
  double activation_rate_per_h;        ///< logistic rate at reference PRL, no pain, multiparous
  double activation_initial_fraction;  ///< activation present at birth (lactogenesis I)
  double progesterone_withdrawal_h;    ///< time constant of the withdrawal gate after birth
  double prl_activation_ref_ng_ml;     ///< PRL at which the activation drive is 1
  double pain_activation_sensitivity_per_nrs; ///< exp(-s * pain) slowing of activation
  double primiparity_activation_factor;///< activation-rate multiplier for primiparas

  // Milk synthesis and storage.
  double milk_colostrum_synthesis_ml_h;///< synthesis before activation (colostrum)
  double milk_max_synthesis_ml_h;      ///< extra synthesis at full activation, empty breast
  double prl_synthesis_half_ng_ml;     ///< PRL at which synthesis is half its PRL-saturated rate
  double milk_storage_capacity_ml;     ///< stored volume at which synthesis stops (both breasts)
  double milk_initial_stored_ml;       ///< colostrum stored at birth

  // Oxytocin massage: two separate mechanisms, each switched off by setting it to 0.
  double massage_ot_rise_uU_ml;        ///< direct OT release: steady-state rise during a session
  double massage_pain_relief_fraction; ///< pain/stress relief at full relief state
  double massage_relief_onset_min;     ///< time constant of the relief build-up in a session
  double massage_relief_half_life_h;   ///< half-life of the relief after a session

  // Infant mass balance (docs/model.md §Infant weight).
  double infant_loss_g_kg_h;           ///< intake-independent loss per kg of birth weight (insensible water, meconium)
  double infant_intake_loss_fraction;  ///< fraction of the milk taken in that leaves again (urine, stool, metabolism)

  // Observation models (docs/model.md §Observation models): how what people see maps to states.
  double colostrum_visible_threshold_ml; ///< volume one expression session must yield to count as "colostrum seen"
  double perceived_onset_stored_ml;      ///< stored milk at which the mother first feels her milk "come in"
};

}  // namespace lactsim::model
