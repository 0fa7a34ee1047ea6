#pragma once
/// @file streaming_output.hpp
/// Merging the CSV files of sharded sweeps (`lactsim merge`), and reading CSV records back. Streaming output with
/// resumable partial files lives in resume.hpp.

#include <filesystem>
#include <optional>
#include <fstream>
#include <ostream>
#include <istream>
#include <string_view>
#include <utility>
#include <string>
#include <vector>

#include "lactsim/io/manifest.hpp"

namespace lactsim {

/// Where lactsim before manifests kept a committed output's run fingerprint: PATH.provenance.json
/// (now the "fingerprint" of PATH.manifest.json, manifest.hpp; still read by `merge`).
std::filesystem::path provenance_path(const std::filesystem::path& output);

/// Fields of one CSV record as csv_escape writes them (quoted when needed, quotes doubled);
/// `record` is one record without its line end (it may hold quoted newlines).
std::vector<std::string> split_csv_record(std::string_view record);

/// Samples of a sweep CSV (or its .partial) with status ok and failed: the rows of the text
/// `csv`, the header excluded; a row cut short at the end is not counted.
/// @returns {ok, failed}
std::pair<std::size_t, std::size_t> count_sweep_statuses(std::istream& csv);

/// Adds to `manifest` what `lactsim merge` joined: each shard file as an input, the samples of
/// `merged` (merge_shard_csvs's result) ok and failed, and the shards' recorded fingerprint
/// with shard "1/1" (that of the unsharded sweep, whose bytes the merged file has), when they
/// have one.
/// @throws InputError when a shard cannot be read
void record_merge_manifest(RunManifest& manifest, const std::vector<std::filesystem::path>& shard_files,
                           const std::string& merged);

/// Merges shard CSVs written by `lactsim sweep --shard I/N` into the CSV one unsharded run
/// writes. Refused (nothing returned) unless: headers match; every row has the header's
/// fields, an integer sample index, status ok/failed, finite numbers as parameter values and
/// finite numbers or nothing as endpoint values, and ends in a newline; the sample indices of
/// all shards together run 0, 1, 2, … without gaps or overlaps (shards may be given in any
/// order); and, when the shards have their FILE.manifest.json (or, written by an older
/// lactsim, FILE.provenance.json), the fingerprints recorded there are equal
/// except for the shard index (same N). The sample count recorded there, or else
/// `expected_samples`, also reveals a missing *last* shard, which leaves no gap. Notes (no
/// provenance to check, a missing last shard undetectable) go to `log` when given.
/// @throws InputError naming the file and line (or provenance file, or the argument "expected_samples") of the
///         first problem
std::string merge_shard_csvs(const std::vector<std::filesystem::path>& files,
                             std::optional<std::size_t> expected_samples = std::nullopt, std::ostream* log = nullptr);

}  // namespace lactsim
