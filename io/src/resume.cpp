#include "lactsim/io/resume.hpp"

#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/json_reader.hpp"
#include "lactsim/io/json_writer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "lactsim/engine/errors.hpp"
#include "lactsim/io/output_files.hpp"
#include "sha256.hpp"
#include "lactsim/io/streaming_output.hpp"

namespace lactsim {

// ---------------------------------------------------------------- fingerprint

void RunFingerprint::add(std::string key, std::string value) { entries_.emplace_back(std::move(key), std::move(value)); }

namespace {


std::string quoted_or_absent(const std::string* value) { return value ? "'" + *value + "'" : std::string("(absent)"); }

}  // namespace

std::string RunFingerprint::to_json() const {
  std::string out = "{\n";
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    out += "  " + json_quote(entries_[i].first) + ": " + json_quote(entries_[i].second);
    out += i + 1 < entries_.size() ? ",\n" : "\n";
  }
  return out + "}\n";
}

std::optional<RunFingerprint> RunFingerprint::from_json(std::string_view text) {
  std::unique_ptr<JsonNode> document;
  try {
    document = parse_json(text, {});
  } catch (const InputError&) {
    return std::nullopt;
  }
  if (document->kind != JsonNode::Kind::object) return std::nullopt;
  RunFingerprint fingerprint;
  for (const auto& [key, value] : document->members) {
    if (value->kind != JsonNode::Kind::string) return std::nullopt;
    fingerprint.add(key, value->text);
  }
  return fingerprint;
}

std::vector<std::string> RunFingerprint::differences_from(const RunFingerprint& earlier) const {
  auto find = [](const RunFingerprint& f, const std::string& key) -> const std::string* {
    for (const auto& [k, v] : f.entries_) {
      if (k == key) return &v;
    }
    return nullptr;
  };
  std::vector<std::string> out;
  for (const auto& [key, value] : entries_) {
    const std::string* before = find(earlier, key);
    if (!before || *before != value) out.push_back(key + ": was " + quoted_or_absent(before) + ", now '" + value + "'");
  }
  for (const auto& [key, value] : earlier.entries_) {
    if (!find(*this, key)) out.push_back(key + ": was '" + value + "', now (absent)");
  }
  return out;
}

std::string file_sha256(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0, 0}, "", "cannot read the file");
  // Fingerprinted files are inputs read under their own limits; the largest one bounds all.
  return sha256_hex(read_bounded(in, file, limits::kMaxCsvFileBytes, ""));
}

// ---------------------------------------------------------------- partial file

ResumableOutputFile::ResumableOutputFile(std::filesystem::path path, const RunFingerprint& fingerprint,
                                         const std::string& header, std::size_t first_index, std::size_t total_rows,
                                         bool resume, std::ostream& log)
    : path_(std::move(path)) {
  partial_ = path_;
  partial_ += ".partial";
  sidecar_ = path_;
  sidecar_ += ".partial.json";
  std::error_code ec;
  // The finished file is renamed onto `path`: a folder there would only fail that rename,
  // after the whole run. Said before any sample is computed.
  if (std::filesystem::is_directory(std::filesystem::symlink_status(path_, ec))) {
    throw InputError({kArgumentsOrigin, 0, 0}, "path",
                     "'" + path_.string() + "' is a folder; give the name of the output file to write");
  }
  // A device or pipe there would be replaced by that rename: refused before any work, too.
  check_output_file_destination(path_);
  // PATH.partial.json and PATH.manifest.json must fit NAME_MAX too: checked before any work.
  check_output_file_name_length(path_);
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);

  // Two runs appending to one partial file would interleave rows: hold an exclusive lock.
  // The name is predictable by design (it is how --resume finds it), so it is opened
  // without following a link and must be a plain file of its own.
  struct stat status {};
  const bool existed = ::lstat(partial_.c_str(), &status) == 0;
  lock_fd_ = ::open(partial_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (lock_fd_ < 0) {
    const int error_number = errno;
    throw Error("cannot create " + partial_.string() + " (for " + path_.string() + "): " +
                (error_number == ELOOP ? std::string("it is a symbolic link, which lactsim does not write through; "
                                                     "remove it")
                                       : std::strerror(error_number)));
  }
  if (::fstat(lock_fd_, &status) != 0 || !S_ISREG(status.st_mode) || status.st_nlink != 1) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw Error("cannot use " + partial_.string() + " (for " + path_.string() +
                "): it is not a plain file of its own (a device, pipe or hard link to another file); remove it");
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    lock_fd_ = -1;
    throw Error("another lactsim process is writing " + partial_.string() + "; wait for it or stop it first");
  }

  std::uintmax_t keep_bytes = 0;
  if (resume && existed) {
    std::ifstream sidecar_in(sidecar_, std::ios::binary);
    const auto earlier =
        sidecar_in ? RunFingerprint::from_json(read_bounded(sidecar_in, sidecar_, limits::kMaxJsonFileBytes, ""))
                   : std::nullopt;
    if (!earlier) {
      throw InputError({sidecar_.string(), 0, 0}, "",
                       "missing or unreadable, so " + partial_.string() +
                           " cannot be checked against this run; delete both files or start over without resuming");
    }
    const auto differences = fingerprint.differences_from(*earlier);
    if (!differences.empty()) {
      std::string message = partial_.string() + " was written by a different run, so it cannot be continued (";
      for (std::size_t i = 0; i < differences.size(); ++i) message += (i ? "; " : "") + differences[i];
      throw InputError({sidecar_.string(), 0, 0}, "",
                       message + "); resume it with the original run's settings, or start over without resuming");
    }
    keep_bytes = scan_partial(header, first_index, total_rows);
    log << "lactsim: resuming " << partial_.string() << ": " << completed_rows_ << " of " << total_rows
        << " rows already done\n";
  } else {
    if (resume) log << "lactsim: no partial output " << partial_.string() << " to resume; starting from the beginning\n";
    if (!resume && existed) {
      log << "lactsim: overwriting the earlier partial output " << partial_.string()
          << " (resuming would continue it instead)\n";
    }
    // The sidecar first: a partial file is never left without its fingerprint.
    write_file_atomically(sidecar_, fingerprint.to_json());
  }

  if (::ftruncate(lock_fd_, static_cast<off_t>(keep_bytes)) != 0) {
    throw Error("cannot truncate " + partial_.string());
  }
  // Append through the descriptor already checked, not by name again: the name could have
  // been swapped for a link since.
  out_.open("/proc/self/fd/" + std::to_string(lock_fd_), std::ios::binary | std::ios::app);
  if (!out_) {  // no /proc: by name, once it still leads to the file checked above
    struct stat now {};
    if (::lstat(partial_.c_str(), &now) == 0 && S_ISREG(now.st_mode) && now.st_dev == status.st_dev &&
        now.st_ino == status.st_ino) {
      out_.clear();
      out_.open(partial_, std::ios::binary | std::ios::app);
    }
  }
  if (!out_) throw Error("cannot open " + partial_.string() + " (for " + path_.string() + ")");
  if (keep_bytes == 0) out_ << header;
  checkpoint();
}

std::uintmax_t ResumableOutputFile::scan_partial(const std::string& header, std::size_t first_index,
                                                 std::size_t total_rows) {
  std::ifstream in(partial_, std::ios::binary);
  if (!in) throw Error("cannot read " + partial_.string());
  // A record ends at a newline outside quotes (csv_escape quotes fields holding newlines);
  // bytes after the last complete record are a row cut short by the interruption.
  std::uintmax_t offset = 0, keep = 0;
  std::size_t record = 0;  // 0 = the header
  bool in_quotes = false, first_field_done = false;
  std::string first_field, header_seen;
  // A row with the wrong number of fields was cut short: dropped when it is the last record
  // (recomputed), refused when complete rows follow it (the file was damaged or edited).
  std::size_t fields = 1, header_fields = 0;
  int cut_short_line = 0;
  std::array<char, 1 << 16> buffer;
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    const auto n = static_cast<std::size_t>(in.gcount());
    for (std::size_t b = 0; b < n; ++b, ++offset) {
      const char c = buffer[b];
      if (record == 0 && header_seen.size() <= header.size()) header_seen += c;
      if (!first_field_done) {
        if (c == ',' || c == '\n') first_field_done = true;
        else if (first_field.size() < 24) first_field += c;
      }
      if (c == ',' && !in_quotes) ++fields;
      if (c == '"') in_quotes = !in_quotes;
      if (c != '\n' || in_quotes) continue;
      const int line = static_cast<int>(record) + 1;
      if (cut_short_line > 0) {
        throw InputError({partial_.string(), cut_short_line, 1}, "row",
                         "has fewer or more fields than the header, yet rows follow it (the file was edited or "
                         "damaged); delete it or start over without resuming");
      }
      if (record > 0 && fields != header_fields) {
        cut_short_line = line;
        first_field.clear();
        first_field_done = false;
        fields = 1;
        continue;
      }
      if (record == 0) {
        header_fields = fields;
        if (header_seen != header) {
          throw InputError({partial_.string(), 1, 1}, "header",
                           "differs from this run's header; delete the file or run without --resume");
        }
      } else {
        const std::string expected = std::to_string(first_index + record - 1);
        if (first_field != expected || record > total_rows) {
          throw InputError({partial_.string(), line, 1}, "sample",
                           "expected sample " + expected + ", found '" + first_field +
                               "' (the file was edited?); delete it or run without --resume");
        }
      }
      keep = offset + 1;
      ++record;
      first_field.clear();
      first_field_done = false;
      fields = 1;
    }
  }
  completed_rows_ = record > 0 ? record - 1 : 0;
  return keep;
}

ResumableOutputFile::~ResumableOutputFile() {
  if (out_.is_open()) out_.close();  // flushes whole rows: the file stays resumable
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void ResumableOutputFile::checkpoint() {
  out_.flush();
  if (!out_) throw Error("cannot write " + partial_.string() + " (disk full?); it can be resumed once fixed");
}

void ResumableOutputFile::commit() {
  checkpoint();
  out_.close();
  std::error_code ec;
  std::filesystem::rename(partial_, path_, ec);
  if (ec) throw Error("cannot rename " + partial_.string() + " to " + path_.string() + ": " + ec.message());
  // The fingerprint lives on in the manifest the caller wrote (its "fingerprint"); a
  // FILE.provenance.json of an earlier lactsim describes an earlier run of PATH.
  std::filesystem::remove(sidecar_, ec);
  std::filesystem::remove(provenance_path(path_), ec);
}

void ResumableOutputFile::discard() {
  out_.close();
  std::error_code ec;
  std::filesystem::remove(partial_, ec);
  std::filesystem::remove(sidecar_, ec);
}

}  // namespace lactsim
