// libFuzzer target: scenario files, parameter-set files and the command-line parsers
// (--set NAME=VALUE, --vary NAME=LO:HI[:log], --shard I/N, --design).
// Contract under test: any byte string either loads, or fails with InputError (exit 2);
// a loaded scenario either simulates to finite endpoints, or fails with SimulationError
// (exit 3). Anything else — a crash, another exception, a sanitizer report, a hang — is a bug.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "lactsim/sim/design.hpp"
#include "lactsim/sim/endpoints.hpp"
#include "lactsim/sim/parameter_set.hpp"
#include "lactsim/sim/scenario.hpp"
#include "lactsim/sim/simulation.hpp"
#include "lactsim/sim/sweep.hpp"

namespace {

// Keep each execution short; long horizons are exercised by the test suite.
constexpr double kMaxSimulatedHours = 72.0;

void check_finite(double value) {
  if (!std::isfinite(value)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // The first line doubles as each command-line argument; the whole text as a parameter set.
  const std::string_view first_line = text.substr(0, text.find('\n'));
  const lactsim::SourceLocation where{"<fuzz>", 0, 0};
  try {
    lactsim::parse_parameter_assignment(first_line, where);
  } catch (const lactsim::InputError&) {
  }
  try {
    lactsim::parse_parameter_range(first_line, where);
  } catch (const lactsim::InputError&) {
  }
  try {
    lactsim::parse_shard(first_line);
  } catch (const lactsim::InputError&) {
  }
  try {
    std::filesystem::path design_file;
    lactsim::parse_design_kind(first_line, &design_file);
  } catch (const lactsim::InputError&) {
  }
  try {
    lactsim::parse_parameter_set(text, "fuzz-params.toml");
  } catch (const lactsim::InputError&) {
  }

  lactsim::Scenario scenario;
  try {
    scenario = lactsim::parse_scenario(text, "fuzz.toml");
  } catch (const lactsim::InputError&) {
    return 0;
  }
  if (scenario.horizon_h() > kMaxSimulatedHours) return 0;
  try {
    lactsim::RunOptions options;
    options.output_step_h = 0;
    options.solver.max_steps = 200'000;
    const auto result = lactsim::simulate(lactsim::to_simulation_input(scenario), options);
    const auto endpoints = lactsim::compute_endpoints(result);
    for (double ml : endpoints.milk_transferred_ml_by_day) check_finite(ml);
    check_finite(endpoints.milk_synthesised_total_ml);
  } catch (const lactsim::SimulationError&) {
  }
  return 0;
}
