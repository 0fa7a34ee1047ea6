#pragma once
/// @file timeline.hpp
/// Sessions (feeds, pumping, massage) as time intervals, and their cutting into
/// integration segments with constant stimulus. Every session edge, pre-feed edge, day
/// boundary and extra breakpoint becomes a segment edge, so no step crosses one.

#include <span>
#include <string_view>
#include <vector>

#include "lactsim/model/stimulus.hpp"

namespace lactsim {

/// Kind of a session.
enum class SessionKind { feed, pump, massage };

/// Canonical spelling ("feed", "pump", "massage").
std::string_view to_string(SessionKind kind);

/// One session, in hours after birth; `end_h > start_h`.
struct Session {
  SessionKind kind;
  double start_h;
  double end_h;
};

/// An interval of constant stimulus.
struct Segment {
  double start_h;
  double end_h;
  model::Stimulus stimulus;
};

/// Cuts [0, horizon_h] into segments of constant stimulus.
/// @param sessions       sessions sorted by start within each kind, not overlapping within a kind
/// @param pre_feed_lead_h how long before each feed the conditioned (pre-feed) stimulus starts
/// @param horizon_h      end of the simulation, h
/// @param extra_edges_h  further times to stop at (output grid, pain kinks); need not be sorted
/// Day boundaries (multiples of 24 h) are always edges.
std::vector<Segment> build_segments(std::span<const Session> sessions, double pre_feed_lead_h, double horizon_h,
                                    std::span<const double> extra_edges_h);

}  // namespace lactsim
