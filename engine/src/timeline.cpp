#include "lactsim/engine/timeline.hpp"
#include "lactsim/engine/unit_conversion.hpp"

#include <algorithm>
#include <cmath>

namespace lactsim {

std::string_view to_string(SessionKind kind) {
  switch (kind) {
    case SessionKind::feed: return "feed";
    case SessionKind::pump: return "pump";
    case SessionKind::massage: return "massage";
  }
  return "unknown";
}

namespace {

// Edges closer than this (h, ~4 ns) are one edge: they differ only by rounding.
constexpr double kEdgeTolerance_h = 1e-12;

struct Interval {
  double start_h;
  double end_h;
};

/// Answers "is t inside one of these intervals?" for increasing t in O(1) amortised.
/// Intervals must have increasing starts and increasing ends.
class IntervalSweep {
 public:
  explicit IntervalSweep(std::vector<Interval> intervals) : intervals_(std::move(intervals)) {}
  bool contains(double t) {
    while (next_ < intervals_.size() && intervals_[next_].end_h <= t) ++next_;
    return next_ < intervals_.size() && intervals_[next_].start_h <= t;
  }

 private:
  std::vector<Interval> intervals_;
  std::size_t next_ = 0;
};

}  // namespace

std::vector<Segment> build_segments(std::span<const Session> sessions, double pre_feed_lead_h, double horizon_h,
                                    std::span<const double> extra_edges_h) {
  std::vector<Interval> feeds, pumps, massages, pre_feeds;
  std::vector<double> edges{0.0, horizon_h};
  auto add_edge = [&](double t) {
    if (t > 0.0 && t < horizon_h) edges.push_back(t);
  };
  for (const Session& s : sessions) {
    add_edge(s.start_h);
    add_edge(s.end_h);
    switch (s.kind) {
      case SessionKind::feed:
        feeds.push_back({s.start_h, s.end_h});
        if (pre_feed_lead_h > 0.0) {
          pre_feeds.push_back({s.start_h - pre_feed_lead_h, s.start_h});
          add_edge(s.start_h - pre_feed_lead_h);
        }
        break;
      case SessionKind::pump: pumps.push_back({s.start_h, s.end_h}); break;
      case SessionKind::massage: massages.push_back({s.start_h, s.end_h}); break;
    }
  }
  for (double day_edge = kHoursPerDay; day_edge < horizon_h; day_edge += kHoursPerDay) add_edge(day_edge);
  for (double t : extra_edges_h) add_edge(t);

  std::sort(edges.begin(), edges.end());
  std::vector<double> unique_edges;
  unique_edges.reserve(edges.size());
  for (double t : edges) {
    if (unique_edges.empty() || t - unique_edges.back() > kEdgeTolerance_h) unique_edges.push_back(t);
  }
  unique_edges.back() = horizon_h;  // the last edge is the horizon exactly

  auto by_start = [](const Interval& a, const Interval& b) { return a.start_h < b.start_h; };
  for (auto* list : {&feeds, &pumps, &massages, &pre_feeds}) std::sort(list->begin(), list->end(), by_start);
  IntervalSweep feeding(std::move(feeds)), pumping(std::move(pumps)), massage(std::move(massages)),
      pre_feed(std::move(pre_feeds));

  std::vector<Segment> segments;
  segments.reserve(unique_edges.size());
  for (std::size_t i = 0; i + 1 < unique_edges.size(); ++i) {
    const double a = unique_edges[i], b = unique_edges[i + 1];
    const double mid = 0.5 * (a + b);
    model::Stimulus stimulus;
    stimulus.feeding = feeding.contains(mid);
    stimulus.pumping = pumping.contains(mid);
    stimulus.massage = massage.contains(mid);
    stimulus.pre_feed = pre_feed.contains(mid);
    segments.push_back({a, b, stimulus});
  }
  return segments;
}

}  // namespace lactsim
