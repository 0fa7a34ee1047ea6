#include "relative_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "lactsim/engine/unit_conversion.hpp"

namespace lactsim::detail {

std::vector<double> feed_relative_starts(const std::vector<Session>& feeds, const FeedRelativeSchedule& schedule,
                                         double horizon_h) {
  std::vector<double> starts;
  std::map<int, long long> sessions_by_day;
  const auto step = static_cast<std::size_t>(std::max<long long>(schedule.every_nth_feed, 1));
  for (std::size_t i = 0; i < feeds.size(); i += step) {
    const double start_h = schedule.anchor == FeedAnchor::before_feed_start
                               ? feeds[i].start_h - schedule.gap_h - schedule.duration_h
                               : feeds[i].end_h + schedule.gap_h;
    // Before birth there is no mother to massage; a clipped session would silently be shorter
    // than duration_min, so the session is left out whole (docs/scenario-format.md).
    if (start_h < 0.0 || start_h >= horizon_h) continue;
    const int day = static_cast<int>(std::floor(start_h / kHoursPerDay)) + 1;
    if (schedule.days && std::find(schedule.days->begin(), schedule.days->end(), day) == schedule.days->end()) continue;
    long long& count = sessions_by_day[day];
    if (schedule.max_per_day && count >= *schedule.max_per_day) continue;
    ++count;
    starts.push_back(start_h);
  }
  return starts;
}

}  // namespace lactsim::detail
