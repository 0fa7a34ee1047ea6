#pragma once
// Internal: [[pumping]] and [[massage]] schedules given relative to the feeds
// (before_each_feed_min / after_each_feed_min; docs/scenario-format.md).

#include <optional>
#include <vector>

#include "lactsim/engine/timeline.hpp"

namespace lactsim::detail {

/// Where a feed-relative session sits against its feed.
enum class FeedAnchor {
  before_feed_start,  ///< the session ends gap_h before the feed starts
  after_feed_end,     ///< the session starts gap_h after the feed ends
};

/// A schedule relative to feeds, validated by the scenario loader.
struct FeedRelativeSchedule {
  FeedAnchor anchor = FeedAnchor::before_feed_start;
  double gap_h = 0.0;                     ///< N min / 60
  double duration_h = 0.0;                ///< of each session
  long long every_nth_feed = 1;           ///< feeds 1, 1+k, 1+2k, … of the sorted feed list
  std::optional<long long> max_per_day;   ///< keep the first m sessions of each day
  std::optional<std::vector<int>> days;   ///< only sessions starting in these days; nullopt: every day
};

/// Start times (h after birth, ascending) of the sessions `schedule` makes around `feeds`
/// (sorted by start, not overlapping). A session that would start before birth or at or after
/// `horizon_h` is left out whole, before days and max_per_day are applied; a session belongs to
/// the day its start falls in (day d = [24(d−1), 24d) h).
std::vector<double> feed_relative_starts(const std::vector<Session>& feeds, const FeedRelativeSchedule& schedule,
                                         double horizon_h);

}  // namespace lactsim::detail
