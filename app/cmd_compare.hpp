#pragma once

#include <string>
#include <vector>

#include "command.hpp"
#include "figure_flags.hpp"
#include "solver_flags.hpp"

namespace lactsim::cli {

/// `lactsim compare`: endpoints of scenarios side by side, paired over a population.
class CompareCommand : public Command {
 public:
  explicit CompareCommand(CLI::App& parent);
  int execute() override;

 private:
  std::vector<std::string> scenario_files_;
  std::string params_file_;
  std::string population_file_;
  std::vector<std::string> set_assignments_;
  std::string out_;
  unsigned threads_ = 0;
  bool no_population_ = false;
  SolverFlags solver_flags_;
  std::size_t block_size_ = 256;
  bool resume_ = false;
  bool quiet_ = false;
  bool progress_ = false;  ///< --progress: progress lines even when stderr is not a terminal
  bool plot_ = false;
  FigureFlags figure_flags_;
};

}  // namespace lactsim::cli
