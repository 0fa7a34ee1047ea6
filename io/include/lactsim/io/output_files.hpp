#pragma once
/// @file output_files.hpp
/// Writing outputs so that a reader never sees a half-written file, a failed command leaves
/// the old outputs as they were, and a symbolic link planted in an output directory is never
/// followed. Every temporary is created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW, or mkdtemp)
/// in the destination directory under the name `.NAME.tmp-PID-XXXXXX` (XXXXXX random, so
/// it cannot be guessed in advance); files are written, fsync'ed and renamed into place.
/// Temporaries left behind by a killed process are removed by the next write into the same
/// directory (docs/outputs.md, "How outputs are written").

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lactsim {

/// The folder of a result directory that figures are rendered into (reserved: no scenario
/// result folder may take its name).
inline constexpr const char* kFiguresFolderName = "figures";

/// A temporary file just created (and still open for writing as `fd`).
struct TemporaryFile {
  std::filesystem::path path;
  int fd = -1;
};

/// Creates the new, empty regular file `directory`/.`base_name`.tmp-<pid>-<6 random
/// characters> with mode 0666 minus the umask (what the user gets for any other file).
/// It never opens an existing file and never follows a symbolic link: a planted file or
/// link of the same name only makes it draw another name.
/// @throws Error (exit 1) when the directory refuses
TemporaryFile create_temporary_file(const std::filesystem::path& directory, const std::string& base_name);

/// Creates the new directory `parent`/.`base_name`.tmp-<pid>-<6 random characters>, mode
/// 0700 (mkdtemp). `parent` must exist.
/// @throws Error (exit 1) when the directory refuses
std::filesystem::path create_temporary_directory(const std::filesystem::path& parent, const std::string& base_name);

/// The pid encoded in `file_name` when it is a name create_temporary_file() or
/// create_temporary_directory() gives; std::nullopt for any other name.
std::optional<pid_t> temporary_owner(const std::string& file_name);

/// Removes from `directory` (not descending into it) every temporary, file or directory,
/// owned by this user, whose creating process no longer runs (kill(pid, 0) fails with
/// ESRCH): the leftovers of a SIGKILL, a crash or a power cut. Temporaries of running
/// processes, and names lactsim does not give its temporaries, are left alone. Failures to
/// remove are ignored (the next run tries again). Returns what was removed.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& directory);

/// Refuses an output destination that exists but is not a regular file (a device such as
/// /dev/full, a pipe, a socket or a folder), or a symbolic link to one (/dev/stdout, a link
/// to a FIFO or a terminal): renaming a new file onto it would replace the device node, pipe
/// or link itself (as root, /dev/null or /dev/full) and the output would never reach the
/// stream. A missing destination, a file, a link to a file and a dangling link are accepted.
/// @throws InputError (exit 2) naming `path` as the argument "path"
void check_output_file_destination(const std::filesystem::path& path);

/// The longest suffix lactsim appends to an output file's name for a file beside it
/// (FILE.partial, FILE.partial.json, FILE.manifest.json).
inline constexpr std::string_view kLongestAddedSuffix = ".manifest.json";

/// Refuses an output file whose name (last component) plus kLongestAddedSuffix would exceed
/// NAME_MAX (255 bytes): the files beside it could not be created, which a long run would
/// otherwise find out only at its end. Call it before any work.
/// @throws InputError (exit 2) naming `path` as the argument "path"
void check_output_file_name_length(const std::filesystem::path& path);

/// Writes one file atomically: stale temporaries beside it are removed, then `content` goes
/// to a new temporary in the same directory (created as create_temporary_file() does), is
/// fsync'ed and renamed over `path`; the directory is fsync'ed. Missing directories are
/// created. A symbolic link at `path` is replaced, never followed; anything else that is not a
/// regular file (device, pipe, socket, folder) is refused before anything is written.
/// @throws InputError (exit 2) when `path` is such a non-file (check_output_file_destination)
/// @throws Error (exit 1) on failure, after removing the temporary
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

/// Files waiting to be written together.
class OutputStaging {
 public:
  /// Queues `content` for `path`; nothing touches the disk yet.
  void add(std::filesystem::path path, std::string content);
  /// Writes every queued file to a temporary beside its destination (as
  /// write_file_atomically() does) and, only once all of them are written and fsync'ed,
  /// renames them into place. A failure while writing (e.g. a full disk) therefore
  /// changes no destination file.
  /// @throws Error (exit 1) when the disk refuses; temporaries are removed
  void commit() const;
  /// Queued paths, in order.
  std::vector<std::filesystem::path> paths() const;

 private:
  std::vector<std::pair<std::filesystem::path, std::string>> files_;
};

/// Replaces whole folders of an output directory together (`lactsim run --out DIR`): the
/// new folders are built in a private staging directory inside `DIR` (on the same file
/// system, so moving them is a rename), and commit() swaps each into place. If any swap
/// fails, those already made are undone, so a failed command leaves every folder under
/// `DIR` as it was. Destroying an uncommitted transaction discards what was staged.
class FolderTransaction {
 public:
  /// Creates `out_dir` when missing, removes stale temporaries from it and creates the
  /// staging directory `out_dir`/.lactsim-run.tmp-<pid>-XXXXXX.
  /// @throws Error (exit 1) when `out_dir` cannot be created or written
  explicit FolderTransaction(std::filesystem::path out_dir);
  /// Removes the staging directory (with the replaced folders after a commit, or what was
  /// staged when there was none) and an `out_dir` this transaction created but never filled.
  ~FolderTransaction();
  FolderTransaction(const FolderTransaction&) = delete;
  FolderTransaction& operator=(const FolderTransaction&) = delete;

  /// Where to build the new folders: each entry of it replaces the entry of the same name
  /// in `out_dir` at commit().
  const std::filesystem::path& staging_dir() const { return new_dir_; }

  /// Starts staging_dir()/`name` as a copy of `out_dir`/`name` (regular files hard-linked,
  /// or copied where linking is refused; links recreated; folders recursed), so that files
  /// the command does not rewrite survive the replacement. Nothing happens when
  /// `out_dir`/`name` is not a directory.
  /// @throws Error (exit 1) for an entry that is neither a file, a link nor a folder
  void carry_over(const std::string& name);

  /// Puts every entry of staging_dir() into `out_dir`, in name order: an existing folder of
  /// the same name is exchanged with the new one in one renameat2(RENAME_EXCHANGE) (moved
  /// aside, then replaced, on file systems without it); anything else in the way (a file,
  /// a link) is not replaced and fails the commit. On failure every swap already made is
  /// undone and nothing under `out_dir` has changed.
  /// @throws Error (exit 1) naming the folder that could not be put in place
  void commit();

 private:
  /// Removes root_ (unless keep_root_) and, when nothing was committed, the folders the
  /// constructor created.
  void discard() noexcept;

  std::filesystem::path out_dir_, root_, new_dir_, old_dir_;
  std::vector<std::filesystem::path> created_dirs_;  ///< innermost first
  bool committed_ = false;
  bool keep_root_ = false;  ///< an undo failed: old folders may still be in root_
};

}  // namespace lactsim
