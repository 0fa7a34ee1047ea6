#pragma once
/// @file streaming_output.hpp
/// Merging the CSV files of sharded sweeps (`lactsim merge`). Streaming output with
/// resumable partial files lives in resume.hpp.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace lactsim {

/// Merges shard CSVs written by `lactsim sweep --shard I/N` into the CSV one unsharded run
/// writes: headers must match, and the first-column sample indices of all shards together
/// must run 0, 1, 2, … without gaps or overlaps (shards may be given in any order).
/// @throws InputError naming the file and line of a mismatch, gap or overlap
std::string merge_shard_csvs(const std::vector<std::filesystem::path>& files);

}  // namespace lactsim
