#pragma once
/// @file covariates.hpp
/// Patient covariates that shift documented parameters (see docs/model.md §Covariates).

#include <optional>
#include <string_view>

namespace lactsim::model {

/// Mode of delivery. Acts on the pain profile's defaults (see parameter registry).
enum class DeliveryMode { vaginal, caesarean_planned, caesarean_emergency };

/// Parity. Primiparity slows secretory activation (Dewey et al. 2003).
enum class Parity { primiparous, multiparous };

/// The covariates of one mother.
struct Covariates {
  DeliveryMode delivery_mode = DeliveryMode::vaginal;
  Parity parity = Parity::primiparous;
};

/// Canonical spelling used in scenario files and outputs.
std::string_view to_string(DeliveryMode mode);
/// Canonical spelling used in scenario files and outputs.
std::string_view to_string(Parity parity);
/// Parses the canonical spelling; empty optional when unknown.
std::optional<DeliveryMode> parse_delivery_mode(std::string_view text);
/// Parses the canonical spelling; empty optional when unknown.
std::optional<Parity> parse_parity(std::string_view text);

}  // namespace lactsim::model
