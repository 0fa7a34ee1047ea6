#pragma once
/// @file edit_distance.hpp
/// Levenshtein distance (and a word-order-aware variant), for "did you mean …?" suggestions on unknown names.

#include <algorithm>
#include <cstddef>
#include <string>
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

/// `name`'s '_'-separated words in sorted order, joined by '_' ("emergency_caesarean" ->
/// "caesarean_emergency"), so names that differ only in word order compare equal.
inline std::string sorted_words(std::string_view name) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = name.find('_', start);
    words.push_back(name.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  std::sort(words.begin(), words.end());
  std::string joined;
  for (std::size_t i = 0; i < words.size(); ++i) joined.append(i == 0 ? "" : "_").append(words[i]);
  return joined;
}

/// How far `typed` is from `candidate` for suggestions, the smallest of: the edit distance;
/// one more than the distance to the candidate's prefix of the same length, so an
/// abbreviation or a misspelt start ("caesarian") finds the long name it begins; one more
/// than the distance between the two names' words in sorted order, so the same words in
/// another order ("emergency_caesarean") find the name they make up, not a short unrelated one.
inline std::size_t suggestion_distance(std::string_view typed, std::string_view candidate) {
  std::size_t best = std::min(edit_distance(typed, candidate), edit_distance(sorted_words(typed), sorted_words(candidate)) + 1);
  if (candidate.size() > typed.size()) best = std::min(best, edit_distance(typed, candidate.substr(0, typed.size())) + 1);
  return best;
}

}  // namespace lactsim::model
