#pragma once
/// @file streaming_output.hpp
/// Merging the CSV files of sharded sweeps (`lactsim merge`), and reading CSV records back. Streaming output with
/// resumable partial files lives in resume.hpp.

#include <filesystem>
#include <optional>
#include <fstream>
#include <ostream>
#include <string_view>
#include <string>
#include <vector>

namespace lactsim {

/// Where a committed output's run fingerprint is kept (ResumableOutputFile::commit, resume.hpp):
/// PATH.provenance.json.
std::filesystem::path provenance_path(const std::filesystem::path& output);

/// Fields of one CSV record as csv_escape writes them (quoted when needed, quotes doubled);
/// `record` is one record without its line end (it may hold quoted newlines).
std::vector<std::string> split_csv_record(std::string_view record);

/// Merges shard CSVs written by `lactsim sweep --shard I/N` into the CSV one unsharded run
/// writes. Refused (nothing returned) unless: headers match; every row has the header's
/// fields, an integer sample index, status ok/failed, finite numbers as parameter values and
/// finite numbers or nothing as endpoint values, and ends in a newline; the sample indices of
/// all shards together run 0, 1, 2, … without gaps or overlaps (shards may be given in any
/// order); and, when the shards have their FILE.provenance.json, the fingerprints are equal
/// except for the shard index (same N). The sample count recorded there, or else
/// `expected_samples`, also reveals a missing *last* shard, which leaves no gap. Notes (no
/// provenance to check, a missing last shard undetectable) go to `log` when given.
/// @throws InputError naming the file and line (or provenance file, or the argument "expected_samples") of the
///         first problem
std::string merge_shard_csvs(const std::vector<std::filesystem::path>& files,
                             std::optional<std::size_t> expected_samples = std::nullopt, std::ostream* log = nullptr);

}  // namespace lactsim
