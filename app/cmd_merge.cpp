#include "cmd_merge.hpp"
#include "number_flags.hpp"

#include <iostream>

#include "lactsim/io/input_limits.hpp"
#include "lactsim/engine/errors.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/output_files.hpp"
#include "lactsim/io/streaming_output.hpp"

namespace lactsim::cli {

MergeCommand::MergeCommand(CLI::App& parent) {
  app_ = parent.add_subcommand("merge", "Join shard CSVs of `lactsim sweep --shard I/N` into the unsharded CSV");
  app_->add_option("shards", files_, "shard CSV files, in any order")->required();
  app_->add_option("--out,-o", out_, "merged CSV (default: standard output)");
  app_->add_option("--samples,-n", samples_,
                   "the sweep's sample count: also reports missing samples at the end (a missing last shard "
                   "leaves no gap; without this option the count recorded in the shards' provenance is used)")
      ->transform(count_in_range(0, limits::kMaxSamples));
}

namespace {

/// Refuses an --out that is one of the inputs or their provenance files. Compared as files
/// (device and inode), so another spelling (./, ..) or a symlink to an input is caught too.
void refuse_output_among_inputs(const std::filesystem::path& out, const std::vector<std::filesystem::path>& files) {
  std::error_code ec;
  if (!std::filesystem::exists(out, ec)) return;  // a file that does not exist yet is no input
  for (const auto& file : files) {
    for (const auto& input : {file, provenance_path(file), manifest_path_beside(file)}) {
      if (std::filesystem::equivalent(out, input, ec)) {
        throw InputError({"<command line>", 0, 0}, "--out",
                         "'" + out.string() + "' is the input " + input.string() +
                             ": merging into it would overwrite it; choose another output file");
      }
    }
  }
}

}  // namespace

int MergeCommand::execute() {
  const std::vector<std::filesystem::path> files(files_.begin(), files_.end());
  RunManifest manifest = begin_manifest("merge", command_line_);
  const bool to_stdout = out_.empty() || out_ == "-";
  if (!to_stdout) refuse_output_among_inputs(out_, files);
  std::optional<std::size_t> expected;
  if (samples_ > 0) expected = samples_;
  const std::string merged = merge_shard_csvs(files, expected, &std::cerr);
  if (to_stdout) {
    std::cout << merged;
  } else {
    record_merge_manifest(manifest, files, merged);
    write_file_with_manifest(out_, merged, manifest);
  }
  return 0;
}

}  // namespace lactsim::cli
