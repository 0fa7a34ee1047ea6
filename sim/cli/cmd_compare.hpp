#pragma once

#include "command.hpp"

namespace lactsim::cli {

/// `lactsim compare`: endpoints of scenarios side by side, paired over a population.
class CompareCommand : public Command {
 public:
  explicit CompareCommand(CLI::App& parent);
  int execute() override;

 private:
  std::vector<std::string> scenario_files_;
  std::vector<std::string> set_assignments_;
  std::string out_;
  unsigned threads_ = 0;
  bool no_population_ = false;
  double relative_tolerance_ = 1e-6;
  double absolute_tolerance_ = 1e-8;
  bool quiet_ = false;
  bool plot_ = false;
};

}  // namespace lactsim::cli
