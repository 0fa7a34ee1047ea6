#include "cmd_merge.hpp"

#include <iostream>

#include "lactsim/sim/output_files.hpp"
#include "lactsim/sim/streaming_output.hpp"

namespace lactsim::cli {

MergeCommand::MergeCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("merge", "Join shard CSVs of `lactsim sweep --shard I/N` into the unsharded CSV");
  app_->add_option("shards", files_, "shard CSV files, in any order")->required();
  app_->add_option("--out,-o", out_, "merged CSV (default: standard output)");
}

int MergeCommand::execute() {
  const std::vector<std::filesystem::path> files(files_.begin(), files_.end());
  const std::string merged = merge_shard_csvs(files);
  if (out_.empty() || out_ == "-") {
    std::cout << merged;
  } else {
    write_file_atomically(out_, merged);
  }
  return 0;
}

}  // namespace lactsim::cli
