#pragma once

#include "command.hpp"

namespace lactsim::cli {

/// `lactsim merge`: join the shard CSVs of `lactsim sweep --shard I/N` into one.
class MergeCommand : public Command {
 public:
  explicit MergeCommand(CLI::App& parent);
  int execute() override;

 private:
  std::vector<std::string> files_;
  std::string out_;
  std::size_t samples_ = 0;  ///< 0 = not given
};

}  // namespace lactsim::cli
