#pragma once

#include "command.hpp"

namespace lactsim::cli {

/// `lactsim params`: list every parameter with unit, defaults, bounds and source.
class ParamsCommand : public Command {
 public:
  explicit ParamsCommand(CLI::App& parent);
  int execute() override;

 private:
  std::string format_ = "table";
};

}  // namespace lactsim::cli
