#pragma once
/// @file output_files.hpp
/// Output staging: files are built in memory, then written to a temporary name in the
/// target directory and renamed into place, so a reader never sees a half-written file
/// and a failed run leaves nothing behind.

#include <filesystem>
#include <string>
#include <vector>

namespace lactsim {

/// Files waiting to be written.
class OutputStaging {
 public:
  /// Queues `content` for `path`; nothing touches the disk yet.
  void add(std::filesystem::path path, std::string content);
  /// Writes every queued file atomically (temporary file + rename), creating directories.
  /// @throws Error (exit 1) when the disk refuses; files already renamed stay complete
  void commit() const;
  /// Queued paths, in order.
  std::vector<std::filesystem::path> paths() const;

 private:
  std::vector<std::pair<std::filesystem::path, std::string>> files_;
};

/// Writes one file atomically (temporary name in the same directory, then rename).
/// @throws Error (exit 1) on failure, removing the temporary file
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace lactsim
