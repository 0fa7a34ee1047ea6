#pragma once
/// @file input_limits.hpp
/// The limits on what lactsim reads, so that no input — an endless or huge file, a deeply
/// nested TOML key, an absurd count on the command line — can exhaust memory or the stack.
/// Each limit has this one definition; docs/scenario-format.md ("Limits") lists the file
/// limits and docs/outputs.md ("Ranges of counts") the command-line ranges.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lactsim {

namespace limits {

inline constexpr std::size_t kMiB = std::size_t{1} << 20;

/// Largest scenario or parameter-set TOML file. A scenario with 100,000 observed points is
/// about 5 MiB.
inline constexpr std::size_t kMaxTomlFileBytes = 16 * kMiB;
/// Largest JSON file read back: summary.json for `lactsim plot`, OUT.partial.json for --resume.
inline constexpr std::size_t kMaxJsonFileBytes = 16 * kMiB;
/// Largest CSV file read: a `--design file:` table, a shard for `lactsim merge`, a result
/// CSV for `lactsim plot`, a checkpoint for --resume (10^8 sweep rows need about 30 GiB,
/// so the largest sweeps are merged from shards).
inline constexpr std::size_t kMaxCsvFileBytes = 1024 * kMiB;
/// Longest line of any file read. A line is what lets an endless file without newlines
/// (/dev/zero) be refused after 1 MiB rather than at the file-size limit.
inline constexpr std::size_t kMaxLineBytes = kMiB;
/// Deepest nesting of a TOML value: the parts of its table header and dotted key plus the
/// arrays and inline tables around it (`a.b.c = [1]` is nested 4 deep). toml++ recurses once
/// per level and overflowed the stack at ~35,000; lactsim's own files nest at most 4 deep.
inline constexpr std::size_t kMaxTomlNesting = 64;
/// Deepest nesting of arrays and objects in a JSON file read back (summary.json,
/// OUT.partial.json). The reader recurses once per level, and "[" repeated 300,000 times
/// overflowed the stack; lactsim's own JSON nests at most 4 deep.
inline constexpr std::size_t kMaxJsonNesting = 256;

/// Most samples of a design (`sweep --samples`, grid points), base samples or trajectories
/// (`sensitivity --samples`) and mothers in a [population].
inline constexpr std::uint64_t kMaxSamples = 100'000'000;
/// Most worker threads (`--threads`; 0 = one per core).
inline constexpr std::uint64_t kMaxThreads = 1024;
/// Most bootstrap replicates (`sensitivity --bootstrap`); memory grows with replicates × endpoints × parameters.
inline constexpr std::uint64_t kMaxBootstrap = 100'000;
/// Most extra starts of a fit (`fit --multistart`).
inline constexpr std::uint64_t kMaxMultistart = 10'000;
/// Most Morris grid levels (`sensitivity --levels`).
inline constexpr std::uint64_t kMaxMorrisLevels = 1000;
/// Most samples of a sweep block (`sweep --block-size`): a block's result slots are held in memory.
inline constexpr std::uint64_t kMaxBlockSize = std::uint64_t{1} << 24;

}  // namespace limits

/// Refuses `file` when it exists but is not a regular file (after following links): a FIFO
/// would block the open until a writer comes, a device such as /dev/zero never ends. Call it
/// before opening an input that must be a file; a missing file is left to the open.
/// @throws InputError naming `file`; exit code 2
void refuse_non_regular_input_file(const std::filesystem::path& file);

/// Reads all of `in` (an input file named `file`), refusing it — before anything is parsed —
/// when it holds more than `max_bytes` bytes or a line longer than limits::kMaxLineBytes.
/// Reads at most one byte past a limit, so endless files and FIFOs are refused quickly.
/// @param field  the field named in the message ("" for a whole file)
/// @throws InputError at the file's line where the limit was passed; exit code 2
std::string read_bounded(std::istream& in, const std::filesystem::path& file, std::size_t max_bytes,
                         const std::string& field);

/// A number typed by a user (--set, --vary, --bound, a design-CSV cell, a real-valued flag):
/// plain decimal or scientific notation with an optional sign ("3", "-0.5", "+2.5e-3", ".5");
/// nothing else — no hexadecimal, no surrounding space, no inf or nan, nothing beyond the
/// range of a double. Empty when `text` is not such a number.
std::optional<double> parse_plain_number(std::string_view text);

/// A comma-separated list of formats typed by a user (--figure-format, run --format): each
/// item one of `choices`, each at most once, no space and no empty item (so no leading,
/// trailing or doubled comma). Returns the items in the order given.
/// @throws InputError at `origin` naming `field` for an empty list or an empty, unknown or
///         repeated item; the message lists `choices`
std::vector<std::string> parse_format_list(std::string_view text, const std::vector<std::string>& choices,
                                           std::string_view origin, std::string_view field);

}  // namespace lactsim
