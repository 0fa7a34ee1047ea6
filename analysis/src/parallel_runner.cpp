#include "lactsim/analysis/parallel_runner.hpp"

namespace lactsim {

unsigned default_thread_count() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace lactsim
