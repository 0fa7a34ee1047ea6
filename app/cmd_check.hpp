#pragma once

#include "command.hpp"

namespace lactsim::cli {

/// `lactsim check`: validate scenarios and print the expanded session timeline.
class CheckCommand : public Command {
 public:
  explicit CheckCommand(CLI::App& parent);
  int execute() override;

 private:
  std::vector<std::string> scenario_files_;
};

}  // namespace lactsim::cli
