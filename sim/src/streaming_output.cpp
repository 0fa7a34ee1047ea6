#include "lactsim/sim/streaming_output.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "lactsim/sim/errors.hpp"
#include "lactsim/sim/input_limits.hpp"

namespace lactsim {

std::string merge_shard_csvs(const std::vector<std::filesystem::path>& files,
                             std::optional<std::size_t> expected_samples) {
  struct Part {
    std::filesystem::path file;
    std::string header;
    std::vector<std::string> rows;
    std::size_t first_index = 0;
  };
  std::vector<Part> parts;
  for (const auto& file : files) {
    std::ifstream file_in(file, std::ios::binary);
    if (!file_in) throw InputError({file.string(), 0, 0}, "", "cannot open shard CSV");
    std::istringstream in(read_bounded(file_in, file, limits::kMaxCsvFileBytes, ""));
    Part part{file, {}, {}, 0};
    if (!std::getline(in, part.header) || !part.header.starts_with("sample,")) {
      throw InputError({file.string(), 1, 1}, "header", "not a lactsim sweep CSV (the header must start with 'sample,')");
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) part.rows.push_back(line);
    }
    if (!parts.empty() && part.header != parts.front().header) {
      throw InputError({file.string(), 1, 1}, "header",
                       "differs from the header of " + parts.front().file.string() + " (shards of different sweeps?)");
    }
    if (!part.rows.empty()) {
      try {
        part.first_index = std::stoull(part.rows.front());
      } catch (const std::exception&) {
        throw InputError({file.string(), 2, 1}, "sample", "not a sample index");
      }
    }
    parts.push_back(std::move(part));
  }
  if (parts.empty()) throw InputError({"<command line>", 0, 0}, "files", "give at least one shard CSV");
  std::stable_sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) {
    if (a.rows.empty() != b.rows.empty()) return b.rows.empty();
    return a.first_index < b.first_index;
  });
  std::ostringstream out;
  out << parts.front().header << "\n";
  std::size_t expected = 0;
  for (const Part& part : parts) {
    int line = 2;
    for (const std::string& row : part.rows) {
      std::size_t index = 0;
      try {
        index = std::stoull(row);
      } catch (const std::exception&) {
        throw InputError({part.file.string(), line, 1}, "sample", "not a sample index");
      }
      if (index != expected) {
        throw InputError({part.file.string(), line, 1}, "sample",
                         index < expected ? "sample " + std::to_string(index) + " appears twice (overlapping shards)"
                                          : "samples " + std::to_string(expected) + "-" + std::to_string(index - 1) +
                                                " are missing (a shard not given?)");
      }
      out << row << "\n";
      ++expected;
      ++line;
    }
  }
  if (expected_samples && expected != *expected_samples) {
    throw InputError({"<command line>", 0, 0}, "--samples",
                     expected < *expected_samples
                         ? "the shards hold " + std::to_string(expected) + " of " +
                               std::to_string(*expected_samples) + " samples: samples " + std::to_string(expected) + "-" +
                               std::to_string(*expected_samples - 1) + " are missing (the last shard not given?)"
                         : "the shards hold " + std::to_string(expected) + " samples, more than the " +
                               std::to_string(*expected_samples) + " expected");
  }
  return out.str();
}

}  // namespace lactsim
