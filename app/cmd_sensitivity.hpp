#pragma once

#include <cstdint>

#include "command.hpp"
#include "figure_flags.hpp"
#include "solver_flags.hpp"

namespace lactsim::cli {

/// `lactsim sensitivity`: Sobol indices or Morris screening of scenario endpoints.
class SensitivityCommand : public Command {
 public:
  explicit SensitivityCommand(CLI::App& parent);
  int execute() override;

 private:
  std::string scenario_file_;
  std::string method_ = "sobol";
  std::vector<std::string> vary_;
  std::vector<std::string> endpoints_;
  std::string params_file_;
  std::vector<std::string> set_assignments_;
  std::size_t samples_ = 256;
  unsigned threads_ = 0;
  std::uint64_t seed_ = 1;
  std::size_t bootstrap_ = 200;
  int levels_ = 4;
  std::string out_;
  SolverFlags solver_flags_;
  bool quiet_ = false;
  bool progress_ = false;  ///< --progress: progress lines even when stderr is not a terminal
  bool plot_ = false;
  FigureFlags figure_flags_;
};

}  // namespace lactsim::cli
