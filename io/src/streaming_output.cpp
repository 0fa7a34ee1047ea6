#include "lactsim/io/streaming_output.hpp"
#include "lactsim/io/schedule_variables.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "lactsim/engine/errors.hpp"
#include "lactsim/io/input_limits.hpp"
#include "lactsim/io/manifest.hpp"
#include "lactsim/io/resume.hpp"
#include "lactsim/engine/sample_evaluation.hpp"

namespace lactsim {

std::filesystem::path provenance_path(const std::filesystem::path& output) {
  std::filesystem::path provenance = output;
  provenance += ".provenance.json";
  return provenance;
}

std::vector<std::string> split_csv_record(std::string_view record) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < record.size(); ++i) {
    const char c = record[i];
    if (quoted) {
      if (c == '"' && i + 1 < record.size() && record[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::pair<std::size_t, std::size_t> count_sweep_statuses(std::istream& csv) {
  // sample,status,...: the status is the second field; a quoted field may hold newlines.
  std::size_t ok = 0, failed = 0, field = 0;
  bool header = true, quoted = false;
  std::string status;
  for (char c; csv.get(c);) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') {
      if (!header && status == "ok") ++ok;
      if (!header && status == "failed") ++failed;
      header = false;
      field = 0;
      status.clear();
    } else if (c == ',') {
      ++field;
    } else if (field == 1 && !header) {
      status += c;
    }
  }
  return {ok, failed};
}

void record_merge_manifest(RunManifest& manifest, const std::vector<std::filesystem::path>& shard_files,
                           const std::string& merged) {
  for (const auto& file : shard_files) manifest.add_input("shard", file);
  std::istringstream rows(merged);
  const auto [ok, failed] = count_sweep_statuses(rows);
  manifest.counts = ManifestCounts{"samples", ok + failed, ok, failed};
  for (const auto& file : shard_files) {
    const std::optional<RunFingerprint> recorded = read_recorded_fingerprint(file);
    if (!recorded) continue;
    RunFingerprint unsharded;
    for (const auto& [key, value] : recorded->entries()) unsharded.add(key, key == "shard" ? std::string("1/1") : value);
    manifest.fingerprint = unsharded;
    break;
  }
}

namespace {

/// One shard: its header and its rows as written (one CSV record each, without the newline).
struct Shard {
  std::filesystem::path file;
  std::string header;
  std::vector<std::string> rows;
  std::vector<int> lines;  ///< 1-based line of each row
  std::size_t first_index = 0;
  std::optional<RunFingerprint> provenance;
};

/// Checks every cell of one row against the sweep header: sample index, status, parameter
/// values (numbers), endpoint values (numbers or empty), error (any text).
void check_row(const Shard& shard, const std::vector<std::string>& columns, std::size_t first_endpoint,
               const std::string& row, int line) {
  const std::vector<std::string> cells = split_csv_record(row);
  auto bad = [&](std::size_t column, const std::string& what) {
    return InputError({shard.file.string(), line, 1}, column < columns.size() ? columns[column] : "row", what);
  };
  if (cells.size() != columns.size()) {
    throw bad(columns.size(), "has " + std::to_string(cells.size()) + " fields, the header " +
                                  std::to_string(columns.size()) + " (a row cut short?)");
  }
  std::size_t index = 0;
  const std::string& sample = cells[0];
  const auto [end, error] = std::from_chars(sample.data(), sample.data() + sample.size(), index);
  if (sample.empty() || error != std::errc{} || end != sample.data() + sample.size()) {
    throw bad(0, "'" + sample + "' is not a sample index");
  }
  if (cells[1] != "ok" && cells[1] != "failed") throw bad(1, "'" + cells[1] + "' is neither 'ok' nor 'failed'");
  for (std::size_t c = 2; c + 1 < cells.size(); ++c) {
    const bool may_be_empty = c >= first_endpoint;  // an endpoint can be undefined (failed, onset not reached)
    if (cells[c].empty() && may_be_empty) continue;
    if (const CovariateVariableInfo* covariate = c < first_endpoint ? find_covariate_variable(columns[c]) : nullptr) {
      // A covariate column of a grid design (delivery, parity) holds one of its levels' text.
      if (std::find(covariate->levels.begin(), covariate->levels.end(), cells[c]) == covariate->levels.end()) {
        throw bad(c, "'" + cells[c] + "' is not a " + std::string(covariate->name) + " level");
      }
      continue;
    }
    if (!parse_plain_number(cells[c])) throw bad(c, "'" + cells[c] + "' is not a finite number");
  }
}

/// Reads one shard: header, then records (a newline inside quotes belongs to the record).
Shard read_shard(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError({file.string(), 0, 0}, "", "cannot open shard CSV");
  const std::string text = read_bounded(in, file, limits::kMaxCsvFileBytes, "");
  Shard shard{file, {}, {}, {}, 0, std::nullopt};
  std::size_t start = 0;
  int line = 1, record_line = 1;
  bool quoted = false, have_header = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (text[i] != '\n') continue;
    ++line;
    if (quoted) continue;
    std::string record = text.substr(start, i - start);
    start = i + 1;
    if (!have_header) {
      shard.header = std::move(record);
      have_header = true;
    } else if (!record.empty()) {
      shard.rows.push_back(std::move(record));
      shard.lines.push_back(record_line);
    }
    record_line = line;
  }
  if (!shard.header.starts_with("sample,")) {
    throw InputError({file.string(), 1, 1}, "header", "not a lactsim sweep CSV (the header must start with 'sample,')");
  }
  if (start < text.size()) {
    throw InputError({file.string(), record_line, 1}, "row",
                     "the last row has no line end: the file was cut short (a sweep still running or killed?)");
  }
  shard.provenance = read_recorded_fingerprint(file);  // FILE.manifest.json, or an older FILE.provenance.json
  return shard;
}

/// The value of `key` in a fingerprint, or empty.
std::string entry(const RunFingerprint& fingerprint, const std::string& key) {
  for (const auto& [k, v] : fingerprint.entries()) {
    if (k == key) return v;
  }
  return {};
}

/// Shards must come from one sweep: equal fingerprints except the shard index, and one shard
/// count. Returns the sweep's sample count when the fingerprints record it.
std::optional<std::size_t> check_provenance(const std::vector<Shard>& shards, std::ostream* log) {
  const auto with = std::count_if(shards.begin(), shards.end(), [](const Shard& s) { return s.provenance.has_value(); });
  if (with == 0) {
    if (log) {
      *log << "lactsim merge: no FILE.manifest.json (or FILE.provenance.json) beside the shards: cannot check that "
              "they come from one sweep\n";
    }
    return std::nullopt;
  }
  const Shard& reference = *std::find_if(shards.begin(), shards.end(), [](const Shard& s) { return s.provenance.has_value(); });
  // "I/N" as given to --shard: all shards must split the samples into the same N parts.
  auto shard_count = [](const RunFingerprint& f) {
    const std::string shard = entry(f, "shard");
    return shard.substr(shard.find('/') + 1);
  };
  const std::string reference_count = shard_count(*reference.provenance);
  for (const Shard& shard : shards) {
    if (!shard.provenance) {
      throw InputError({manifest_path_beside(shard.file).string(), 0, 0}, "fingerprint",
                       "missing, while " + recorded_fingerprint_path(reference.file).string() +
                           " exists: cannot check that the shards come from one sweep");
    }
    std::string differences;
    for (const std::string& d : shard.provenance->differences_from(*reference.provenance)) {
      if (!d.starts_with("shard: ")) differences += (differences.empty() ? "" : "; ") + d;
    }
    const std::string count = shard_count(*shard.provenance);
    if (count != reference_count) {
      differences += (differences.empty() ? "" : "; ") + std::string("shard count: ") + reference_count + " in " +
                     reference.file.string() + ", " + count + " here";
    }
    if (!differences.empty()) {
      throw InputError({recorded_fingerprint_path(shard.file).string(), 0, 0}, "fingerprint",
                       shard.file.string() + " is a shard of a different sweep than " + reference.file.string() + " (" +
                           differences + ")");
    }
  }
  std::size_t samples = 0;
  const std::string text = entry(*reference.provenance, "samples");
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), samples);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return samples;
}

}  // namespace

std::string merge_shard_csvs(const std::vector<std::filesystem::path>& files,
                             std::optional<std::size_t> expected_samples, std::ostream* log) {
  std::vector<Shard> parts;
  std::vector<std::string> columns;
  std::size_t first_endpoint = 0;
  for (const auto& file : files) {
    Shard part = read_shard(file);
    if (parts.empty()) {
      columns = split_csv_record(part.header);
      // Columns: sample, status, the varied parameters, the endpoints (onset_h first), error.
      const auto onset = std::find(columns.begin(), columns.end(), endpoint_names(0).front());
      first_endpoint = static_cast<std::size_t>(onset - columns.begin());
      if (onset == columns.end() || columns.back() != "error") {
        throw InputError({file.string(), 1, 1}, "header", "not a lactsim sweep CSV (no onset_h or error column)");
      }
    } else if (part.header != parts.front().header) {
      throw InputError({file.string(), 1, 1}, "header",
                       "differs from the header of " + parts.front().file.string() + " (shards of different sweeps?)");
    }
    for (std::size_t r = 0; r < part.rows.size(); ++r) check_row(part, columns, first_endpoint, part.rows[r], part.lines[r]);
    if (!part.rows.empty()) part.first_index = std::stoull(part.rows.front());
    parts.push_back(std::move(part));
  }
  if (parts.empty()) throw InputError({kArgumentsOrigin, 0, 0}, "files", "give at least one shard CSV");
  const std::optional<std::size_t> recorded_samples = check_provenance(parts, log);
  if (recorded_samples && expected_samples && *recorded_samples != *expected_samples) {
    throw InputError({kArgumentsOrigin, 0, 0}, "expected_samples",
                     std::to_string(*expected_samples) + " given, but the shards' provenance records " +
                         std::to_string(*recorded_samples) + " samples");
  }
  // Where the expected count came from, so a shortfall names what the user can check.
  SourceLocation count_origin{kArgumentsOrigin, 0, 0};
  std::string count_field = "expected_samples";
  if (!expected_samples) {
    expected_samples = recorded_samples;
    if (expected_samples) {
      const auto recorded = std::find_if(parts.begin(), parts.end(), [](const Shard& s) { return s.provenance.has_value(); });
      count_origin = {recorded_fingerprint_path(recorded->file).string(), 0, 0};
      count_field = "samples";
    } else if (log) {
      *log << "lactsim merge: without --samples N a missing last shard cannot be detected\n";
    }
  }
  std::stable_sort(parts.begin(), parts.end(), [](const Shard& a, const Shard& b) {
    if (a.rows.empty() != b.rows.empty()) return b.rows.empty();
    return a.first_index < b.first_index;
  });
  std::ostringstream out;
  out << parts.front().header << "\n";
  std::size_t expected = 0;
  for (const Shard& part : parts) {
    for (std::size_t r = 0; r < part.rows.size(); ++r) {
      const std::size_t index = std::stoull(part.rows[r]);  // checked by check_row
      if (index != expected) {
        throw InputError({part.file.string(), part.lines[r], 1}, "sample",
                         index < expected ? "sample " + std::to_string(index) + " appears twice (overlapping shards)"
                                          : "samples " + std::to_string(expected) + "-" + std::to_string(index - 1) +
                                                " are missing (a shard not given?)");
      }
      out << part.rows[r] << "\n";
      ++expected;
    }
  }
  if (expected_samples && expected != *expected_samples) {
    throw InputError(count_origin, count_field,
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
