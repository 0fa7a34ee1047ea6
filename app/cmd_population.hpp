#pragma once

#include <string>
#include <vector>

#include "command.hpp"
#include "solver_flags.hpp"

namespace lactsim::cli {

/// `lactsim population`: one row per mother of a population around a scenario, and its summary.
class PopulationCommand : public Command {
 public:
  explicit PopulationCommand(CLI::App& parent);
  int execute() override;

 private:
  std::string scenario_file_;
  std::string population_file_;
  std::string params_file_;
  std::vector<std::string> set_assignments_;
  std::string out_;
  unsigned threads_ = 0;
  SolverFlags solver_flags_;
  std::size_t block_size_ = 256;
  bool resume_ = false;
  bool quiet_ = false;
  bool progress_ = false;  ///< --progress: progress lines even when stderr is not a terminal
};

}  // namespace lactsim::cli
