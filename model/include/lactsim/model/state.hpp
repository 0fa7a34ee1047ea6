#pragma once
/// @file state.hpp
/// The model's state vector: a fixed-size array (no heap allocation per step) and the
/// index of each component. Names and units live apart, in state_info.hpp.

#include <array>
#include <cstddef>

namespace lactsim::model {

/// Index of each state component in `State`.
namespace state {
inline constexpr std::size_t oxytocin = 0;               ///< plasma oxytocin, µU/mL
inline constexpr std::size_t prolactin_evoked = 1;       ///< feed-evoked prolactin above basal, ng/mL
inline constexpr std::size_t prolactin_release_drive = 2;///< suckling-driven PRL release signal, 0–1
inline constexpr std::size_t activation = 3;             ///< secretory activation fraction, 0–1
inline constexpr std::size_t milk_stored = 4;            ///< milk stored in the alveoli, mL
inline constexpr std::size_t milk_transferred = 5;       ///< cumulative milk to the infant, mL
inline constexpr std::size_t milk_expressed = 6;         ///< cumulative milk pumped, mL
inline constexpr std::size_t milk_synthesised = 7;       ///< cumulative milk synthesised, mL
inline constexpr std::size_t massage_relief = 8;         ///< pain/stress relief left by massage, 0–1
inline constexpr std::size_t count = 9;
}  // namespace state

inline constexpr std::size_t kStateCount = state::count;

/// The state vector integrated by the engine.
using State = std::array<double, kStateCount>;

}  // namespace lactsim::model
