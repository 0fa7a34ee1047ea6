#pragma once
/// @file edit_distance.hpp
/// Levenshtein distance, for "did you mean …?" suggestions on unknown names.

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace lactsim::model {

/// Number of single-character insertions, deletions and substitutions turning a into b.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// How far `typed` is from `candidate` for suggestions: the edit distance, or one more
/// than the distance to the candidate's prefix of the same length when that is smaller,
/// so an abbreviation or a misspelt start ("caesarian") finds the long name it begins.
inline std::size_t suggestion_distance(std::string_view typed, std::string_view candidate) {
  const std::size_t whole = edit_distance(typed, candidate);
  if (candidate.size() <= typed.size()) return whole;
  return std::min(whole, edit_distance(typed, candidate.substr(0, typed.size())) + 1);
}

}  // namespace lactsim::model
