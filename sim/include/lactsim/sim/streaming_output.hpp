#pragma once
/// @file streaming_output.hpp
/// Merging the CSV files of sharded sweeps (`lactsim merge`). Streaming output with
/// resumable partial files lives in resume.hpp.

#include <filesystem>
#include <optional>
#include <fstream>
#include <string>
#include <vector>

namespace lactsim {

/// Merges shard CSVs written by `lactsim sweep --shard I/N` into the CSV one unsharded run
/// writes: headers must match, and the first-column sample indices of all shards together
/// must run 0, 1, 2, … without gaps or overlaps (shards may be given in any order).
/// A missing *last* shard leaves no gap; give `expected_samples` (the sweep's sample count)
/// to have it reported too.
/// @throws InputError naming the file and line of a mismatch, gap or overlap, or naming
///         `--samples` when fewer than `expected_samples` rows were found
std::string merge_shard_csvs(const std::vector<std::filesystem::path>& files,
                             std::optional<std::size_t> expected_samples = std::nullopt);

}  // namespace lactsim
