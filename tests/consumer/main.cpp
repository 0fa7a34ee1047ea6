// Loads a scenario, simulates it and prints daily.csv: the same bytes as `lactsim run`
// writes for it (tests/install_consumer.cmake compares them).
#include <exception>
#include <iostream>

#include "lactsim/io/run_outputs.hpp"
#include "lactsim/io/scenario.hpp"
#include "lactsim/engine/simulation.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer SCENARIO.toml\n";
    return 2;
  }
  try {
    const lactsim::Scenario scenario = lactsim::load_scenario(argv[1]);
    lactsim::RunOptions options;
    options.solver.method = lactsim::kDefaultSolverMethod;  // what `lactsim run` uses when no --solver is given
    const lactsim::RunResult result = lactsim::simulate(lactsim::to_simulation_input(scenario), options);
    std::cout << lactsim::daily_csv(result);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "consumer: " << error.what() << "\n";
    return 1;
  }
}
