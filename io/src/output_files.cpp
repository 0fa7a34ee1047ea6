#include "lactsim/io/output_files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>

#include "lactsim/engine/errors.hpp"

namespace lactsim {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTemporaryMarker = ".tmp-";
constexpr std::size_t kRandomCharacters = 6;  // as mkstemp/mkdtemp's XXXXXX
/// Longest part of a destination name kept in its temporary's name: with the marker, pid
/// and random part the name stays below NAME_MAX (255) whatever the destination is called.
constexpr std::size_t kMaxBaseNameBytes = 200;
constexpr int kMaxNameAttempts = 100;

bool is_ascii_alphanumeric(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// ".BASE.tmp-PID-" (BASE shortened to kMaxBaseNameBytes), before the random part.
std::string temporary_name_stem(const std::string& base_name) {
  return "." + base_name.substr(0, kMaxBaseNameBytes) + std::string(kTemporaryMarker) + std::to_string(::getpid()) + "-";
}

std::string random_characters() {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;  // the kernel's generator: names cannot be predicted from earlier ones
  std::uint64_t bits = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  std::string out;
  for (std::size_t i = 0; i < kRandomCharacters; ++i) {
    out += kAlphabet[bits % (sizeof kAlphabet - 1)];
    bits /= sizeof kAlphabet - 1;
  }
  return out;
}

std::string error_text(int error_number) { return std::strerror(error_number); }

/// fsync of a directory, so that renames into it survive a power cut. Best effort: some
/// file systems refuse to sync a directory, and the data files are already synced.
void sync_directory(const fs::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  [[maybe_unused]] const int ignored = ::fsync(fd);
  ::close(fd);
}

fs::path directory_of(const fs::path& path) { return path.has_parent_path() ? path.parent_path() : fs::path("."); }

/// `content` in a new temporary beside `path`, fsync'ed and closed; returns its name.
/// @throws Error (exit 1) after removing the temporary
fs::path write_temporary(const fs::path& path, const std::string& content) {
  check_output_file_destination(path);
  const fs::path directory = directory_of(path);
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) throw Error("cannot create directory " + directory.string() + ": " + ec.message());
  remove_stale_temporaries(directory);
  TemporaryFile file = create_temporary_file(directory, path.filename().string());
  auto fail = [&](int error_number) {
    if (file.fd >= 0) ::close(file.fd);
    ::unlink(file.path.c_str());
    throw Error("cannot write " + path.string() + ": " + error_text(error_number));
  };
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t written = ::write(file.fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail(errno);
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  if (::fsync(file.fd) != 0) fail(errno);
  const int fd = file.fd;
  file.fd = -1;
  if (::close(fd) != 0) fail(errno);  // NFS reports some write errors only here
  return file.path;
}

/// Renames `temporary` to `path`; removes the temporary when that fails.
void move_into_place(const fs::path& temporary, const fs::path& path) {
  if (::rename(temporary.c_str(), path.c_str()) == 0) return;
  const int error_number = errno;
  ::unlink(temporary.c_str());
  throw Error("cannot move " + temporary.string() + " to " + path.string() + ": " + error_text(error_number));
}

/// `destination` as a copy of the directory `source`: regular files hard-linked (copied
/// where the file system refuses the link), symbolic links recreated, folders recursed.
void copy_tree_linking(const fs::path& source, const fs::path& destination) {
  fs::create_directory(destination, source);  // with source's permissions
  for (const fs::directory_entry& entry : fs::directory_iterator(source)) {
    const fs::path from = entry.path(), to = destination / from.filename();
    if (temporary_owner(from.filename().string())) continue;  // another run's leftover, not an output
    const fs::file_status status = entry.symlink_status();
    if (fs::is_symlink(status)) {
      fs::copy_symlink(from, to);
    } else if (fs::is_directory(status)) {
      copy_tree_linking(from, to);
    } else if (fs::is_regular_file(status)) {
      if (::link(from.c_str(), to.c_str()) != 0) fs::copy_file(from, to);
    } else {
      throw Error(from.string() + " is neither a file, a link nor a folder, so it cannot be kept when lactsim replaces " +
                  source.string() + "; move it elsewhere");
    }
  }
}

}  // namespace

TemporaryFile create_temporary_file(const fs::path& directory, const std::string& base_name) {
  const std::string stem = temporary_name_stem(base_name);
  for (int attempt = 0; attempt < kMaxNameAttempts; ++attempt) {
    const fs::path path = directory / (stem + random_characters());
    // O_EXCL: never an existing file, and (with O_NOFOLLOW, said explicitly) never through a
    // link. Mode 0666 minus the umask, as for any file the user creates.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0) return {path, fd};
    if (errno != EEXIST) {
      throw Error("cannot create a temporary file in " + directory.string() + ": " + error_text(errno));
    }
  }
  throw Error("cannot create a temporary file in " + directory.string() + ": " + std::to_string(kMaxNameAttempts) +
              " random names were all taken");
}

fs::path create_temporary_directory(const fs::path& parent, const std::string& base_name) {
  std::string path = (parent / (temporary_name_stem(base_name) + std::string(kRandomCharacters, 'X'))).string();
  if (::mkdtemp(path.data()) == nullptr) {
    throw Error("cannot create a temporary directory in " + parent.string() + ": " + error_text(errno));
  }
  return path;
}

std::optional<pid_t> temporary_owner(const std::string& file_name) {
  // .BASE.tmp-PID-XXXXXX
  if (file_name.size() < 1 + kTemporaryMarker.size() + 2 + kRandomCharacters || file_name.front() != '.') {
    return std::nullopt;
  }
  const std::size_t dash = file_name.size() - kRandomCharacters - 1;
  if (file_name[dash] != '-' || !std::all_of(file_name.begin() + static_cast<std::ptrdiff_t>(dash) + 1,
                                             file_name.end(), is_ascii_alphanumeric)) {
    return std::nullopt;
  }
  const std::size_t marker = file_name.rfind(kTemporaryMarker, dash);
  if (marker == std::string::npos || marker == 0) return std::nullopt;
  const std::string digits = file_name.substr(marker + kTemporaryMarker.size(), dash - marker - kTemporaryMarker.size());
  if (digits.empty() || digits.size() > 9 || !std::all_of(digits.begin(), digits.end(), [](char c) {
        return c >= '0' && c <= '9';
      })) {
    return std::nullopt;
  }
  const long pid = std::stol(digits);
  if (pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

std::vector<fs::path> remove_stale_temporaries(const fs::path& directory) {
  std::vector<fs::path> stale;
  std::error_code ec;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path path = it->path();
    const auto owner = temporary_owner(path.filename().string());
    if (!owner || *owner == ::getpid()) continue;
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0 || status.st_uid != ::geteuid()) continue;
    // Only "no such process" proves the owner gone; EPERM means it runs as someone else.
    if (::kill(*owner, 0) == 0 || errno != ESRCH) continue;
    stale.push_back(path);
  }
  std::vector<fs::path> removed;
  for (const fs::path& path : stale) {
    std::error_code ignored;
    fs::remove_all(path, ignored);  // removes a link itself, never what it points to
    if (!ignored) removed.push_back(path);
  }
  return removed;
}

void check_output_file_destination(const fs::path& path) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0 || S_ISREG(status.st_mode)) return;
  // A link is replaced, not followed; but a link to a pipe, terminal or device (/dev/stdout)
  // names a stream the user meant to write to: replacing the link would lose the output.
  const bool is_link = S_ISLNK(status.st_mode);
  if (is_link && (::stat(path.c_str(), &status) != 0 || S_ISREG(status.st_mode))) return;
  const char* what = S_ISDIR(status.st_mode)                                ? "a folder"
                     : S_ISCHR(status.st_mode) || S_ISBLK(status.st_mode) ? "a terminal or other device"
                     : S_ISFIFO(status.st_mode)                           ? "a named pipe"
                                                                          : "a socket or other special file";
  throw InputError({kArgumentsOrigin, 0, 0}, "path",
                   "'" + path.string() + "' is " + (is_link ? "a symbolic link to " : "") + what +
                       ", not a regular file: lactsim writes a new file and renames it into place, which would "
                       "replace it; give the name of a file to write");
}

void check_output_file_name_length(const fs::path& path) {
  const std::size_t bytes = path.filename().string().size();
  if (bytes + kLongestAddedSuffix.size() <= NAME_MAX) return;
  throw InputError({kArgumentsOrigin, 0, 0}, "path",
                   "the file name of '" + path.string() + "' is " + std::to_string(bytes) +
                       " bytes long; lactsim also writes it with the suffix '" + std::string(kLongestAddedSuffix) +
                       "', and a file name may have at most " + std::to_string(NAME_MAX) +
                       " bytes: give a name of at most " + std::to_string(NAME_MAX - kLongestAddedSuffix.size()) +
                       " bytes");
}

void write_file_atomically(const fs::path& path, const std::string& content) {
  move_into_place(write_temporary(path, content), path);
  sync_directory(directory_of(path));
}

void OutputStaging::add(fs::path path, std::string content) { files_.emplace_back(std::move(path), std::move(content)); }

void OutputStaging::commit() const {
  std::vector<fs::path> temporaries;
  try {
    for (const auto& [path, content] : files_) temporaries.push_back(write_temporary(path, content));
  } catch (...) {
    for (const fs::path& temporary : temporaries) ::unlink(temporary.c_str());
    throw;
  }
  for (std::size_t i = 0; i < files_.size(); ++i) {
    try {
      move_into_place(temporaries[i], files_[i].first);
    } catch (...) {
      for (std::size_t j = i + 1; j < temporaries.size(); ++j) ::unlink(temporaries[j].c_str());
      throw;
    }
  }
  std::vector<fs::path> directories;
  for (const auto& file : files_) directories.push_back(directory_of(file.first));
  std::sort(directories.begin(), directories.end());
  directories.erase(std::unique(directories.begin(), directories.end()), directories.end());
  for (const fs::path& directory : directories) sync_directory(directory);
}

std::vector<fs::path> OutputStaging::paths() const {
  std::vector<fs::path> out;
  for (const auto& file : files_) out.push_back(file.first);
  return out;
}

// ---------------------------------------------------------------- FolderTransaction

FolderTransaction::FolderTransaction(fs::path out_dir) : out_dir_(out_dir.empty() ? fs::path(".") : std::move(out_dir)) {
  std::error_code ec;
  // The folders this creates, innermost first: removed again if nothing is committed.
  for (fs::path missing = out_dir_; !missing.empty() && !fs::exists(fs::symlink_status(missing, ec));
       missing = missing.parent_path()) {
    created_dirs_.push_back(missing);
    if (!missing.has_parent_path() || missing.parent_path() == missing) break;
  }
  fs::create_directories(out_dir_, ec);
  if (ec) throw Error("cannot create directory " + out_dir_.string() + ": " + ec.message());
  try {
    remove_stale_temporaries(out_dir_);
    root_ = create_temporary_directory(out_dir_, "lactsim-run");
    new_dir_ = root_ / "new";
    old_dir_ = root_ / "old";
    for (const fs::path& dir : {new_dir_, old_dir_}) {
      if (::mkdir(dir.c_str(), 0777) != 0) throw Error("cannot create directory " + dir.string() + ": " + error_text(errno));
    }
  } catch (...) {
    discard();
    throw;
  }
}

FolderTransaction::~FolderTransaction() { discard(); }

void FolderTransaction::discard() noexcept {
  std::error_code ignored;
  if (!root_.empty() && !keep_root_) fs::remove_all(root_, ignored);
  if (!committed_) {
    for (const fs::path& dir : created_dirs_) {
      if (::rmdir(dir.c_str()) != 0) break;  // not empty (or not ours any more): keep it and its parents
    }
  }
  root_.clear();
}

void FolderTransaction::carry_over(const std::string& name) {
  const fs::path source = out_dir_ / name;
  struct stat status {};
  if (::lstat(source.c_str(), &status) != 0 || !S_ISDIR(status.st_mode)) return;
  try {
    copy_tree_linking(source, new_dir_ / name);
  } catch (const fs::filesystem_error& error) {
    throw Error("cannot keep the files of " + source.string() + ": " + error.what());
  }
}

void FolderTransaction::commit() {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(new_dir_)) {
    const std::string name = entry.path().filename().string();
    if (!temporary_owner(name)) names.push_back(name);  // e.g. a figure renderer's scratch folder
  }
  std::sort(names.begin(), names.end());

  enum class Step { exchanged, moved_aside, placed };
  std::vector<std::pair<std::string, Step>> done;
  // Puts back what `done` replaced, newest first; returns the folders that could not be.
  auto undo = [&] {
    std::string failures;
    for (auto it = done.rbegin(); it != done.rend(); ++it) {
      const fs::path target = out_dir_ / it->first, staged = new_dir_ / it->first, aside = old_dir_ / it->first;
      bool ok = true;
      switch (it->second) {
        case Step::exchanged:
          ok = ::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0;
          break;
        case Step::moved_aside:
          ok = ::rename(target.c_str(), staged.c_str()) == 0 && ::rename(aside.c_str(), target.c_str()) == 0;
          break;
        case Step::placed: ok = ::rename(target.c_str(), staged.c_str()) == 0; break;
      }
      if (!ok) failures += " " + target.string() + " (" + error_text(errno) + ")";
    }
    return failures;
  };
  auto fail = [&](const fs::path& target, const std::string& reason, const std::string& not_restored) {
    std::string failures = not_restored + undo();
    std::string outcome = "; nothing under " + out_dir_.string() + " was changed";
    if (!failures.empty()) {
      keep_root_ = true;  // earlier folders may be in root_ only: never delete them
      outcome = "; these folders could not be put back:" + failures + "; their earlier content is in " + root_.string();
    }
    throw Error("cannot put the new " + target.string() + " in place: " + reason + outcome);
  };

  for (const std::string& name : names) {
    const fs::path target = out_dir_ / name, staged = new_dir_ / name, aside = old_dir_ / name;
    struct stat status {};
    const bool target_exists = ::lstat(target.c_str(), &status) == 0;
    if (target_exists && S_ISDIR(status.st_mode)) {
      // One system call swaps old and new, so a reader sees one or the other, never neither.
      if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
        done.emplace_back(name, Step::exchanged);
        continue;
      }
      if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) fail(target, error_text(errno), "");
      // This file system cannot exchange: move the old folder aside, then the new one in.
      if (::rename(target.c_str(), aside.c_str()) != 0) fail(target, error_text(errno), "");
      if (::rename(staged.c_str(), target.c_str()) != 0) {
        const std::string reason = error_text(errno);
        const bool restored = ::rename(aside.c_str(), target.c_str()) == 0;
        fail(target, reason, restored ? "" : " " + target.string() + " (" + error_text(errno) + ")");
      }
      done.emplace_back(name, Step::moved_aside);
    } else if (::rename(staged.c_str(), target.c_str()) == 0) {
      done.emplace_back(name, Step::placed);
    } else {
      // ENOTDIR when a file or link has the folder's name: only folders are replaced.
      fail(target,
           error_text(errno) + (target_exists ? " (a file or link has this name; lactsim replaces only folders)" : ""),
           "");
    }
  }
  committed_ = true;
  sync_directory(out_dir_);
}

}  // namespace lactsim
