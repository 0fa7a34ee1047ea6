#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "command.hpp"
#include "figure_flags.hpp"
#include "solver_flags.hpp"

namespace lactsim::cli {

/// `lactsim sweep`: one simulation per design point, streamed to CSV.
class SweepCommand : public Command {
 public:
  explicit SweepCommand(CLI::App& parent);
  int execute() override;

 private:
  std::string scenario_file_;
  std::vector<std::string> vary_;
  std::string params_file_;
  std::vector<std::string> set_assignments_;
  std::string design_ = "lhs";
  std::size_t samples_ = 100;
  unsigned threads_ = 0;
  std::uint64_t seed_ = 1;
  std::string out_;
  std::string shard_;
  SolverFlags solver_flags_;
  std::size_t block_size_ = 1024;
  bool resume_ = false;
  bool quiet_ = false;
  bool progress_ = false;  ///< --progress: progress lines even when stderr is not a terminal
  bool plot_ = false;
  FigureFlags figure_flags_;
};

}  // namespace lactsim::cli
