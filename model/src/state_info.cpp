#include "lactsim/model/state_info.hpp"

namespace lactsim::model {

const std::array<StateInfo, kStateCount>& state_info() {
  static const std::array<StateInfo, kStateCount> info{{
      {"oxytocin", "uU/mL", "plasma oxytocin"},
      {"prolactin_evoked", "ng/mL", "feed-evoked prolactin above the basal level"},
      {"prolactin_release_drive", "1", "suckling-driven prolactin release signal (0-1)"},
      {"activation", "1", "secretory activation (lactogenesis II) fraction (0-1)"},
      {"milk_stored", "mL", "milk stored in the alveoli, both breasts"},
      {"milk_transferred", "mL", "cumulative milk transferred to the infant"},
      {"milk_expressed", "mL", "cumulative milk removed by pumping"},
      {"milk_synthesised", "mL", "cumulative milk synthesised"},
      {"massage_relief", "1", "pain/stress relief left by oxytocin massage (0-1)"},
  }};
  return info;
}

}  // namespace lactsim::model
