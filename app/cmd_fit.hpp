#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "command.hpp"
#include "figure_flags.hpp"

namespace lactsim::cli {

/// `lactsim fit`: estimate parameters from the observed data of scenarios.
class FitCommand : public Command {
 public:
  explicit FitCommand(CLI::App& parent);
  int execute() override;

 private:
  std::string command_line() const;

  std::vector<std::string> scenario_files_;
  std::vector<std::string> free_names_;
  std::vector<std::string> bound_assignments_;
  std::vector<std::string> set_assignments_;
  std::string params_file_;
  std::string out_dir_ = "fit";
  std::size_t multistart_ = 0;
  std::uint64_t seed_ = 1;
  bool profile_ = false;
  std::size_t profile_points_ = 13;
  std::size_t max_iterations_ = 60;
  double default_cv_ = 0.25;
  bool quiet_ = false;
  bool progress_ = false;  ///< --progress: progress lines even when stderr is not a terminal
  bool plot_ = false;
  FigureFlags figure_flags_;
};

}  // namespace lactsim::cli
