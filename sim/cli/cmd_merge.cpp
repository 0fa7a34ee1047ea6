#include "cmd_merge.hpp"
#include "number_flags.hpp"

#include <iostream>

#include "lactsim/sim/input_limits.hpp"
#include "lactsim/sim/output_files.hpp"
#include "lactsim/sim/streaming_output.hpp"

namespace lactsim::cli {

MergeCommand::MergeCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("merge", "Join shard CSVs of `lactsim sweep --shard I/N` into the unsharded CSV");
  app_->add_option("shards", files_, "shard CSV files, in any order")->required();
  app_->add_option("--out,-o", out_, "merged CSV (default: standard output)");
  app_->add_option("--samples,-n", samples_,
                   "the sweep's sample count: also reports missing samples at the end (a missing last shard "
                   "leaves no gap and is otherwise undetectable)")
      ->transform(count_in_range(0, limits::kMaxSamples));
}

int MergeCommand::execute() {
  const std::vector<std::filesystem::path> files(files_.begin(), files_.end());
  std::optional<std::size_t> expected;
  if (samples_ > 0) expected = samples_;
  const std::string merged = merge_shard_csvs(files, expected);
  if (!expected) {
    std::cerr << "lactsim merge: without --samples N a missing last shard cannot be detected\n";
  }
  if (out_.empty() || out_ == "-") {
    std::cout << merged;
  } else {
    write_file_atomically(out_, merged);
  }
  return 0;
}

}  // namespace lactsim::cli
