#pragma once
/// @file resume.hpp
/// Resumable outputs: a long CSV (a sweep) streams into PATH.partial beside a fingerprint
/// sidecar PATH.partial.json, flushed after every block of rows, so an interrupted run
/// (a cancelled token, SIGKILL, power cut after the OS wrote the data) can be continued
/// (`lactsim sweep --resume`) and gives the same bytes as an uninterrupted run. Only commit() renames the
/// partial file to PATH, so PATH is never seen half-written.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lactsim {

/// Everything that determines an output's bytes, as ordered (key, value) text pairs
/// (scenario SHA-256, overrides, design, seed, shard, tolerances, lactsim version, …).
/// Two runs with equal fingerprints write identical rows, so one may continue the other.
class RunFingerprint {
 public:
  /// Appends an entry; keys should be unique.
  void add(std::string key, std::string value);
  /// The entries, in the order added.
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }
  /// A JSON object with one string member per entry (one member per line).
  std::string to_json() const;
  /// Parses what to_json() wrote; std::nullopt when `text` is not such an object.
  static std::optional<RunFingerprint> from_json(std::string_view text);
  /// One line per key whose value differs between `earlier` and this fingerprint (or that
  /// only one of them has): "KEY: was 'A', now 'B'". Empty when they match.
  std::vector<std::string> differences_from(const RunFingerprint& earlier) const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

/// Lower-case hexadecimal SHA-256 of a file's bytes.
/// @throws InputError naming the file when it cannot be read
std::string file_sha256(const std::filesystem::path& file);

/// A CSV written as PATH.partial (+ PATH.partial.json holding the run's fingerprint) and
/// renamed to PATH by commit(). Rows must carry their sample index in the first column,
/// starting at `first_index`, so a resumed file can be checked row by row.
class ResumableOutputFile {
 public:
  /// Opens the partial file. With `resume` and an existing PATH.partial whose sidecar
  /// fingerprint equals `fingerprint`, keeps its complete rows (a last row cut short, without
  /// its newline or with fewer fields than the header, is dropped and recomputed) and appends
  /// after them; without a partial file starts afresh (noted on `log`).
  /// Without `resume` an existing partial file is overwritten (noted on `log`).
  /// @param header      the CSV header line including its newline
  /// @param first_index sample index of the first row
  /// @param total_rows  rows the finished file holds
  /// @throws InputError (exit 2) when resuming a partial file whose fingerprint differs
  ///         (listing what differs), has no readable sidecar, or whose rows are not the
  ///         expected samples or, followed by further rows, not the header's number of
  ///         fields (naming PATH.partial:LINE); Error (exit 1) when files cannot be created or another
  ///         process is writing the same partial file
  ResumableOutputFile(std::filesystem::path path, const RunFingerprint& fingerprint, const std::string& header,
                      std::size_t first_index, std::size_t total_rows, bool resume, std::ostream& log);
  /// Closes the file, keeping PATH.partial unless committed: it holds every flushed row.
  ~ResumableOutputFile();
  ResumableOutputFile(const ResumableOutputFile&) = delete;
  ResumableOutputFile& operator=(const ResumableOutputFile&) = delete;

  /// The stream to append rows to.
  std::ostream& stream() { return out_; }
  /// Rows kept from an earlier, interrupted run (0 on a fresh start).
  std::size_t completed_rows() const { return completed_rows_; }
  /// The partial file's path (PATH.partial).
  const std::filesystem::path& partial_path() const { return partial_; }
  /// Hands written rows to the OS, so they survive a SIGKILL of this process.
  /// @throws Error (exit 1) on a write failure
  void checkpoint();
  /// Flushes, renames PATH.partial to PATH, then removes the sidecar and a PATH.provenance.json
  /// of an earlier run. The caller writes the manifest (manifest.hpp, with this fingerprint in
  /// it) before calling this: should the process die in between, PATH.partial is complete and
  /// --resume finishes.
  /// @throws Error (exit 1) on a write or rename failure (the partial file is kept)
  void commit();
  /// Closes and removes the partial file and its sidecar (their content went into
  /// another output, e.g. the table of `lactsim compare`).
  void discard();

 private:
  /// Scans an existing partial file; returns the byte length of its complete, valid prefix.
  std::uintmax_t scan_partial(const std::string& header, std::size_t first_index, std::size_t total_rows);

  std::filesystem::path path_, partial_, sidecar_;
  std::ofstream out_;
  std::size_t completed_rows_ = 0;
  int lock_fd_ = -1;  ///< holds an exclusive flock on the partial file
};

}  // namespace lactsim
