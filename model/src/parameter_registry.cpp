#include "lactsim/model/parameter_registry.hpp"

#include "lactsim/model/edit_distance.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace lactsim::model {
namespace {

using P = ModelParameters;

// Sources are abbreviated here; docs/model.md gives the full references.
const ParameterInfo kRegistry[] = {
    // --- Pain -------------------------------------------------------------------------
    {"pain_initial_nrs", "NRS", 3.0, 0.0, 10.0,
     "Intrathecal-morphine RCT arm 2020: NRS at rest 2.7/2.2/2.5 at 4/8/12 h after caesarean; vaginal: assumption",
     "pain from birth until neuraxial analgesia wears off", &P::pain_initial_nrs,
     DeliveryModeDefaults{3.0, 2.5, 3.0},
     "Initial pain"},
    {"pain_anaesthesia_h", "h", 0.0, 0.0, 48.0,
     "Intrathecal morphine analgesia lasts ~12-24 h (RCT arm 2020); shorter after emergency top-ups: assumption",
     "duration of neuraxial analgesia after birth (0 = none)", &P::pain_anaesthesia_h,
     DeliveryModeDefaults{0.0, 12.0, 8.0},
     "Neuraxial analgesia duration"},
    {"pain_peak_nrs", "NRS", 4.0, 0.0, 10.0,
     "Caesarean: median maximal pain d1 7.0 (Emrich 2023); emergency 7.3 (PAIN-OUT, Noll 2021); vaginal: assumption (lower, Komatsu 2017)",
     "worst pain, reached at pain_peak_h", &P::pain_peak_nrs, DeliveryModeDefaults{4.0, 7.0, 7.3},
     "Peak pain"},
    {"pain_peak_h", "h", 4.0, 0.1, 72.0,
     "Worst pain on day 1 after caesarean (Emrich 2023; Karlstrom 2007); vaginal: assumption",
     "time of worst pain after birth", &P::pain_peak_h, DeliveryModeDefaults{4.0, 20.0, 16.0},
     "Time of peak pain"},
    {"pain_resolved_h", "h", 336.0, 24.0, 2160.0,
     "Pain resolves at median 14 d after vaginal birth, 21 d after caesarean (Komatsu 2017)",
     "time at which the log-time decline of pain reaches 0", &P::pain_resolved_h,
     DeliveryModeDefaults{336.0, 504.0, 504.0},
     "Time pain resolves"},
    {"pain_hill_coefficient", "1", 2.0, 0.5, 6.0,
     "Assumption: a graded (not switch-like) inhibition; Ueda 1994 shows ~50% fewer OT pulses under moderate stress",
     "steepness of the pain inhibition curves", &P::pain_hill_coefficient, std::nullopt,
     "Pain inhibition steepness"},
    {"delivery_stress_nrs", "NRS", 0.0, 0.0, 10.0,
     "Nissen 1996: no PRL rise and fewer OT pulses on d2 after emergency (not planned) caesarean; Chapman & Perez-Escamilla 1999, Dewey 2003: unscheduled caesarean is the risk factor; size derived in docs/model.md section 5",
     "pain-equivalent stress of labour and unscheduled surgery at birth, added to pain (0 = none)",
     &P::delivery_stress_nrs, DeliveryModeDefaults{0.0, 0.0, 4.5},
     "Delivery stress"},
    {"delivery_stress_decay_h", "h", 48.0, 1.0, 500.0,
     "Assumption: the stress still acts on d2, when Nissen 1996 measured the blunted responses, and fades over the first days",
     "time constant of the exponential decay of delivery stress", &P::delivery_stress_decay_h, std::nullopt,
     "Delivery stress decay time"},
    // --- Oxytocin ---------------------------------------------------------------------
    {"ot_basal_uU_ml", "uU/mL", 1.1, 0.1, 10.0, "Weitzman et al. 1980: 1.1 +/- 0.2 uU/mL before a feed, d2-3",
     "plasma oxytocin without stimulus", &P::ot_basal_uU_ml, std::nullopt,
     "Basal oxytocin"},
    {"ot_half_life_min", "min", 3.0, 1.0, 20.0, "de Groot et al. 1995: distribution ~3 min; commonly quoted 1-6 min",
     "plasma oxytocin half-life", &P::ot_half_life_min, std::nullopt,
     "Oxytocin half-life"},
    {"ot_feed_rise_uU_ml", "uU/mL", 5.5, 0.0, 50.0,
     "Weitzman et al. 1980: 1.1 -> peak 6.4 +/- 1.5 uU/mL at 6 min of a feed, d2-3 (rise ~5.3)",
     "steady-state OT rise above basal while suckling, no pain", &P::ot_feed_rise_uU_ml, std::nullopt,
     "Feed-evoked oxytocin rise"},
    {"ot_conditioned_fraction", "1", 0.3, 0.0, 1.0,
     "McNeilly et al. 1983: OT rises before suckling; size relative to suckling: assumption",
     "conditioned pre-feed OT release as a fraction of suckling-evoked release", &P::ot_conditioned_fraction,
     std::nullopt,
     "Conditioned oxytocin release"},
    {"ot_conditioned_lead_min", "min", 5.0, 0.0, 15.0, "McNeilly et al. 1983: OT rises 3-10 min before suckling",
     "how long before a feed the conditioned OT release starts", &P::ot_conditioned_lead_min, std::nullopt,
     "Conditioned oxytocin lead time"},
    {"ot_pain_half_inhibition_nrs", "NRS", 5.0, 0.5, 20.0,
     "Assumption matched to Ueda 1994 (stress halves OT pulses) and Nissen 1996 (fewer pulses after caesarean)",
     "effective pain at which feed-evoked OT release is halved", &P::ot_pain_half_inhibition_nrs, std::nullopt,
     "Pain halving oxytocin release"},
    {"pump_stimulus_fraction", "1", 0.8, 0.0, 1.5,
     "Assumption: a pump evokes somewhat less hormone release than an infant",
     "pump-evoked OT and PRL release relative to suckling", &P::pump_stimulus_fraction, std::nullopt,
     "Pump stimulus relative to suckling"},
    // --- Milk ejection and removal -----------------------------------------------------
    {"ejection_ot_threshold_uU_ml", "uU/mL", 3.0, 0.5, 20.0,
     "Weitzman 1980: OT 3.6 uU/mL at 3 min of a feed, when ejection is under way (Ramsay 2004: first ejection within ~1-2 min)",
     "OT at which the milk-ejection gate is half open", &P::ejection_ot_threshold_uU_ml, std::nullopt,
     "Milk-ejection oxytocin threshold"},
    {"ejection_hill_coefficient", "1", 4.0, 1.0, 10.0,
     "Assumption: ejection is switch-like (an all-or-none reflex, Ramsay 2004)", "steepness of the ejection gate",
     &P::ejection_hill_coefficient, std::nullopt,
     "Milk-ejection steepness"},
    {"milk_removal_rate_per_h", "1/h", 5.5, 0.1, 50.0,
     "Derived: removes ~67% of available milk in a 15-min feed (Kent et al. 2006: 67 +/- 8%)",
     "first-order removal by the infant with the ejection gate fully open", &P::milk_removal_rate_per_h,
     std::nullopt,
     "Milk removal rate by infant"},
    {"pump_removal_rate_per_h", "1/h", 4.5, 0.1, 50.0, "Assumption: a pump empties somewhat less well than an infant",
     "first-order removal by a pump with the ejection gate fully open", &P::pump_removal_rate_per_h, std::nullopt,
     "Milk removal rate by pump"},
    // --- Prolactin --------------------------------------------------------------------
    {"prl_half_life_min", "min", 37.0, 20.0, 60.0, "Sievertsen et al. 1980: 37 +/- 10 min",
     "plasma prolactin half-life", &P::prl_half_life_min, std::nullopt,
     "Prolactin half-life"},
    {"prl_basal_birth_ng_ml", "ng/mL", 200.0, 20.0, 500.0, "Riordan 2005 / Walker 2006: ~200 ng/mL at term",
     "basal prolactin at birth", &P::prl_basal_birth_ng_ml, std::nullopt,
     "Basal prolactin at birth"},
    {"prl_basal_floor_ng_ml", "ng/mL", 50.0, 5.0, 300.0,
     "Assumption: basal PRL of established lactation; with prl_basal_decline_h gives ~100 ng/mL at d7 (Riordan 2005)",
     "level basal prolactin declines towards", &P::prl_basal_floor_ng_ml, std::nullopt,
     "Basal prolactin floor"},
    {"prl_basal_decline_h", "h", 153.0, 10.0, 2000.0,
     "Derived: 200 -> 100 ng/mL by d7 (Riordan 2005 / Walker 2006) with a 50 ng/mL floor",
     "time constant of the basal prolactin decline", &P::prl_basal_decline_h, std::nullopt,
     "Basal prolactin decline time"},
    {"prl_feed_rise_ng_ml", "ng/mL", 1000.0, 0.0, 3000.0,
     "Chosen so a 15-min feed gives +35% on d2-3 (Weitzman 1980: 268 -> 362) and several-fold by d4 (Noel 1974: up to 8.5x)",
     "steady-state evoked PRL at full release drive and responsiveness, no pain", &P::prl_feed_rise_ng_ml,
     std::nullopt,
     "Feed-evoked prolactin rise"},
    {"prl_release_time_constant_min", "min", 20.0, 1.0, 120.0,
     "Chosen so PRL peaks ~30-45 min after a feed starts (Noel 1974; Johnston & Amico 1986)",
     "time constant of the suckling-driven PRL release signal", &P::prl_release_time_constant_min, std::nullopt,
     "Prolactin release time constant"},
    {"prl_response_initial_fraction", "1", 0.25, 0.0, 1.0,
     "Howie et al. 1980: suckling PRL response rises progressively to a maximum on d4",
     "evoked PRL response at birth relative to its maximum", &P::prl_response_initial_fraction, std::nullopt,
     "Prolactin response at birth"},
    {"prl_response_maturation_h", "h", 36.0, 1.0, 200.0, "Howie et al. 1980: maximum response reached by d4",
     "time constant of the growth of the evoked PRL response", &P::prl_response_maturation_h, std::nullopt,
     "Prolactin response maturation time"},
    {"prl_pain_half_inhibition_nrs", "NRS", 5.0, 0.5, 20.0,
     "Assumption matched to Nissen et al. 1996: no significant PRL rise at d2 after emergency caesarean",
     "effective pain at which feed-evoked PRL release is halved", &P::prl_pain_half_inhibition_nrs, std::nullopt,
     "Pain halving prolactin release"},
    // --- Secretory activation -----------------------------------------------------------
    {"activation_rate_per_h", "1/h", 0.0914, 0.001, 2.0,
     "Calibrated (docs/calibration.md) to Nommsen-Rivers 2010 (median onset 68.9 h), Saint 1984 and Evans 2003: 0.0914 (95% CI 0.076-0.111)",
     "logistic activation rate at reference PRL, no pain, multiparous", &P::activation_rate_per_h, std::nullopt,
     "Secretory activation rate"},
    {"activation_initial_fraction", "1", 0.02, 1e-4, 0.5,
     "Assumption: secretory differentiation (lactogenesis I) is complete at birth but activation is not",
     "secretory activation present at birth", &P::activation_initial_fraction, std::nullopt,
     "Secretory activation at birth"},
    {"progesterone_withdrawal_h", "h", 20.0, 1.0, 100.0,
     "Textbook: milk volume rises from ~30-40 h after delivery of the placenta",
     "time constant of the progesterone-withdrawal gate on activation and colostrum secretion", &P::progesterone_withdrawal_h,
     std::nullopt,
     "Progesterone withdrawal time"},
    {"prl_activation_ref_ng_ml", "ng/mL", 200.0, 10.0, 1000.0,
     "Normalisation: the basal PRL at term (Riordan 2005) gives drive 1",
     "prolactin at which the activation drive is 1", &P::prl_activation_ref_ng_ml, std::nullopt,
     "Prolactin giving activation drive 1"},
    {"pain_activation_sensitivity_per_nrs", "1/NRS", 0.0, 0.0, 1.0,
     "Calibrated at the population level (docs/calibration.md, joint step) to Scott 2007's caesarean odds ratio with Nommsen-Rivers 2010, Dewey 2003 and Saint 1984: 0, its lower bound (95% CI 0-0.004); pain acts on activation through PRL",
     "slowing of activation by effective pain: factor exp(-s * pain)", &P::pain_activation_sensitivity_per_nrs,
     std::nullopt,
     "Pain slowing of activation"},
    {"primiparity_activation_factor", "1", 0.8, 0.1, 1.5,
     "Dewey et al. 2003 and Nommsen-Rivers et al. 2010: primiparity delays onset; size: assumption",
     "activation-rate multiplier for primiparous mothers", &P::primiparity_activation_factor, std::nullopt,
     "Primiparity activation factor"},
    // --- Milk synthesis and storage -----------------------------------------------------
    {"milk_colostrum_synthesis_ml_h", "mL/h", 1.5, 0.0, 20.0,
     "Literature value held fixed in the calibration (docs/calibration.md): with the progesterone gate it gives d1 intake ~42 mL (Saint 1984: 37 g, range 7-122); freed, the encoded Evans 2003 d2 target pulls it to 6.6", "colostrum synthesis once progesterone has cleared (gated by W(t)), before secretory activation",
     &P::milk_colostrum_synthesis_ml_h, std::nullopt,
     "Colostrum synthesis rate"},
    {"milk_max_synthesis_ml_h", "mL/h", 52.6, 5.0, 200.0,
     "Calibrated (docs/calibration.md) to Saint 1984 (d3, d5 intake) and Evans 2003: 52.6 (95% CI 43.7-64.2); cf. Cox 1996 up to 90 mL/h",
     "additional synthesis at full activation with an empty breast", &P::milk_max_synthesis_ml_h, std::nullopt,
     "Maximal milk synthesis rate"},
    {"prl_synthesis_half_ng_ml", "ng/mL", 20.0, 0.0, 500.0,
     "Cox et al. 1996: PRL does not set synthesis in established lactation (permissive, near-saturated)",
     "prolactin at which synthesis is half its PRL-saturated rate", &P::prl_synthesis_half_ng_ml, std::nullopt,
     "Prolactin halving synthesis"},
    {"milk_storage_capacity_ml", "mL", 200.0, 50.0, 600.0, "Kent et al. 2006: storage capacity 74-382 mL",
     "stored volume at which synthesis stops (both breasts)", &P::milk_storage_capacity_ml, std::nullopt,
     "Breast storage capacity"},
    {"milk_initial_stored_ml", "mL", 5.0, 0.0, 100.0, "Assumption: a few mL of colostrum present at birth",
     "milk stored at birth", &P::milk_initial_stored_ml, std::nullopt,
     "Milk stored at birth"},
    // --- Oxytocin massage -------------------------------------------------------------
    {"massage_ot_rise_uU_ml", "uU/mL", 1.0, 0.0, 10.0,
     "Morhenn et al. 2012 and Astuti et al. 2024 (OT +19%): massage raises OT modestly; size: assumption",
     "direct OT release during a massage session (0 switches the mechanism off)", &P::massage_ot_rise_uU_ml,
     std::nullopt,
     "Massage oxytocin rise"},
    {"massage_pain_relief_fraction", "1", 0.5, 0.0, 1.0, "Hayati & Hasian 2022: NRS 5.50 -> 2.71 after massage",
     "pain/stress relief at full relief state (0 switches the mechanism off)", &P::massage_pain_relief_fraction,
     std::nullopt,
     "Massage pain relief"},
    {"massage_relief_onset_min", "min", 5.0, 0.5, 60.0, "Assumption: relief builds within a 15-min session",
     "time constant of the relief build-up during a session", &P::massage_relief_onset_min, std::nullopt,
     "Massage relief onset time"},
    {"massage_relief_half_life_h", "h", 3.0, 0.1, 48.0, "Assumption: no study measured how long relief lasts",
     "half-life of the relief after a session", &P::massage_relief_half_life_h, std::nullopt,
     "Massage relief half-life"},
    // --- Infant mass balance (docs/model.md §Infant weight) ----------------------------
    // Calibrated together: `lactsim fit scenarios/calibration/flaherman2015_vaginal.toml
    // --free infant_loss_g_kg_h,infant_intake_loss_fraction` (docs/calibration.md §Infant weight).
    {"infant_loss_g_kg_h", "g/kg/h", 1.649, 0.0, 10.0,
     "Calibrated (docs/calibration.md) to Flaherman et al. 2015 vaginal medians 4.2/7.1/6.4% at 24/48/72 h and Evans et al. 2003 (40% back at birth weight by day 6); form: assumption",
     "infant's loss per kg of birth weight that does not depend on intake (insensible water, meconium, basal urine)",
     &P::infant_loss_g_kg_h, std::nullopt,
     "Infant intake-independent loss"},
    {"infant_intake_loss_fraction", "1", 0.6839, 0.0, 1.0,
     "Calibrated (docs/calibration.md) to Flaherman et al. 2015 vaginal medians 4.2/7.1/6.4% at 24/48/72 h and Evans et al. 2003 (40% back at birth weight by day 6); form: assumption",
     "fraction of the milk mass taken in that leaves the infant again (urine, stool, metabolic losses)",
     &P::infant_intake_loss_fraction, std::nullopt,
     "Infant intake lost fraction"},
    // --- Observation models (docs/model.md §Observation models) -------------------------
    // Not in the ODE: they turn the states into what a nurse or the mother reports.
    {"colostrum_visible_threshold_ml", "mL", 0.2, 0.0, 50.0,
     "Our choice: a few drops of colostrum (a drop ~0.05 mL; 0.1-0.5 mL is what a hand-expression attempt shows), not measured",
     "volume one expression or pumping session must yield for colostrum to count as seen (first_colostrum_time)",
     &P::colostrum_visible_threshold_ml, std::nullopt,
     "Visible colostrum volume"},
    {"perceived_onset_stored_ml", "mL", 70.0, 1.0, 600.0,
     "Set so that the reference vaginal mother feels fullness when activation reaches 0.5 (68 h), the onset calibrated to perception-defined data (Nommsen-Rivers 2010); form: assumption",
     "milk stored in both breasts at which the mother first perceives her milk coming in (fullness)",
     &P::perceived_onset_stored_ml, std::nullopt,
     "Stored milk felt as milk coming in"},
};

// Every field of ModelParameters is a double with exactly one registry entry
// (uniqueness of names and fields is checked in tests/test_foundations.cpp).
static_assert(sizeof(ModelParameters) == std::size(kRegistry) * sizeof(double),
              "every ModelParameters field needs a registry entry");

// The physiology's orderings: the pain profile's phases follow each other, basal prolactin
// declines (never rises) towards its floor, and the breast cannot start fuller than its capacity.
const ParameterOrder kOrders[] = {
    {"pain_peak_h", OrderRelation::at_least, "pain_anaesthesia_h", "must not be earlier than"},
    {"pain_resolved_h", OrderRelation::greater_than, "pain_peak_h", "must be later than"},
    {"prl_basal_floor_ng_ml", OrderRelation::at_most, "prl_basal_birth_ng_ml", "must not exceed"},
    {"milk_initial_stored_ml", OrderRelation::at_most, "milk_storage_capacity_ml", "must not exceed"},
};

/// `value` as in messages ("%g": 6 significant digits), in the C locale whatever the
/// process's locale (std::ostream would use the global locale's decimal point).
std::string format_number(double value) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 6);
  return error == std::errc{} ? std::string(buffer, end) : std::string("nan");
}

}  // namespace

double ParameterInfo::default_for(DeliveryMode mode) const {
  if (!by_delivery_mode) return default_value;
  switch (mode) {
    case DeliveryMode::vaginal: return by_delivery_mode->vaginal;
    case DeliveryMode::caesarean_planned: return by_delivery_mode->caesarean_planned;
    case DeliveryMode::caesarean_emergency: return by_delivery_mode->caesarean_emergency;
  }
  return default_value;
}

std::span<const ParameterInfo> parameter_registry() { return kRegistry; }

std::span<const ParameterOrder> parameter_orders() { return kOrders; }

const ParameterInfo* find_parameter(std::string_view name) {
  for (const auto& info : kRegistry) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

std::string closest_parameter_name(std::string_view name) {
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& info : kRegistry) {
    const std::size_t d = suggestion_distance(name, info.name);
    if (d < best_distance) {
      best_distance = d;
      best = info.name;
    }
  }
  return std::string(best);
}

ModelParameters default_parameters(const Covariates& covariates) {
  ModelParameters parameters{};
  for (const auto& info : kRegistry) parameters.*(info.member) = info.default_for(covariates.delivery_mode);
  return parameters;
}

std::vector<ParameterViolation> validate_parameters(const ModelParameters& p) {
  std::vector<ParameterViolation> violations;
  for (const auto& info : kRegistry) {
    const double value = p.*(info.member);
    if (!std::isfinite(value) || value < info.lower_bound || value > info.upper_bound) {
      violations.push_back({std::string(info.name),
                            std::string(info.name) + " = " + format_number(value) + " " + std::string(info.unit) +
                                " is outside its plausible bounds [" + format_number(info.lower_bound) + ", " +
                                format_number(info.upper_bound) + "]"});
    }
  }
  if (!violations.empty()) return violations;
  for (const auto& order : kOrders) {
    const ParameterInfo& info = *find_parameter(order.parameter);
    const ParameterInfo& other = *find_parameter(order.other);
    const double value = p.*(info.member), bound = p.*(other.member);
    const bool holds = order.relation == OrderRelation::at_least      ? value >= bound
                       : order.relation == OrderRelation::greater_than ? value > bound
                                                                       : value <= bound;
    if (!holds) {
      violations.push_back({std::string(info.name), std::string(info.name) + " = " + format_number(value) + " " +
                                                        std::string(info.unit) + " " + std::string(order.wording) + " " +
                                                        std::string(other.name) + " = " + format_number(bound) + " " +
                                                        std::string(other.unit)});
    }
  }
  return violations;
}

}  // namespace lactsim::model
