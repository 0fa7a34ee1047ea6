#include "lactsim/model/covariates.hpp"

namespace lactsim::model {

std::string_view to_string(DeliveryMode mode) {
  switch (mode) {
    case DeliveryMode::vaginal: return "vaginal";
    case DeliveryMode::caesarean_planned: return "caesarean_planned";
    case DeliveryMode::caesarean_emergency: return "caesarean_emergency";
  }
  return "unknown";
}

std::string_view to_string(Parity parity) {
  return parity == Parity::primiparous ? "primiparous" : "multiparous";
}

std::optional<DeliveryMode> parse_delivery_mode(std::string_view text) {
  for (auto mode : {DeliveryMode::vaginal, DeliveryMode::caesarean_planned,
                    DeliveryMode::caesarean_emergency}) {
    if (text == to_string(mode)) return mode;
  }
  return std::nullopt;
}

std::optional<Parity> parse_parity(std::string_view text) {
  for (auto parity : {Parity::primiparous, Parity::multiparous}) {
    if (text == to_string(parity)) return parity;
  }
  return std::nullopt;
}

}  // namespace lactsim::model
