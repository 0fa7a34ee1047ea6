#pragma once

#include <cstdint>
#include <string>

#include "command.hpp"

namespace lactsim::cli {

/// `lactsim calibrate-population CONFIG.toml --out DIR`: estimate between-mother spreads from
/// population-level targets (docs/calibration.md, "Between-mother variability").
class CalibratePopulationCommand : public Command {
 public:
  explicit CalibratePopulationCommand(CLI::App& parent);
  int execute() override;

 private:
  std::string command_line() const;

  std::string config_file_;
  std::string out_dir_ = "population-calibration";
  unsigned threads_ = 0;
  std::size_t multistart_ = 0;
  std::uint64_t seed_ = 1;
  std::size_t max_iterations_ = 60;
  bool quiet_ = false;
};

}  // namespace lactsim::cli
