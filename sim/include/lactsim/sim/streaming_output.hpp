#pragma once
/// @file streaming_output.hpp
/// A file written as results arrive, yet never seen half-written: rows stream into a
/// temporary file beside the target, renamed into place by commit(); without commit()
/// (an error, an interrupted run) the temporary file is removed.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace lactsim {

/// Streams to PATH.tmp-PID and renames to PATH on commit().
class StreamingOutputFile {
 public:
  /// Opens the temporary file, creating parent directories.
  /// @throws Error (exit 1) when it cannot be created
  explicit StreamingOutputFile(std::filesystem::path path);
  ~StreamingOutputFile();
  StreamingOutputFile(const StreamingOutputFile&) = delete;
  StreamingOutputFile& operator=(const StreamingOutputFile&) = delete;

  /// The stream to write to.
  std::ostream& stream() { return out_; }
  /// Flushes, checks for write errors and renames into place.
  /// @throws Error (exit 1) on a write or rename failure (the temporary file is removed)
  void commit();

 private:
  std::filesystem::path path_, temporary_;
  std::ofstream out_;
  bool committed_ = false;
};

/// Merges shard CSVs written by `lactsim sweep --shard I/N` into the CSV one unsharded run
/// writes: headers must match, and the first-column sample indices of all shards together
/// must run 0, 1, 2, … without gaps or overlaps (shards may be given in any order).
/// @throws InputError naming the file and line of a mismatch, gap or overlap
std::string merge_shard_csvs(const std::vector<std::filesystem::path>& files);

}  // namespace lactsim
