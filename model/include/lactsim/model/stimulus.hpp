#pragma once
/// @file stimulus.hpp
/// What is happening to the mother at one instant. Piecewise constant between the
/// edges of the session timeline, so the right-hand side is smooth inside a segment.

namespace lactsim::model {

/// Stimulus flags, constant over one integration segment.
struct Stimulus {
  bool feeding = false;   ///< infant at the breast: suckling and milk removal
  bool pre_feed = false;  ///< the minutes before a feed: conditioned OT release
  bool pumping = false;   ///< breast pump: suckling-like stimulus and removal to "expressed"
  bool massage = false;   ///< oxytocin (back) massage in progress
};

}  // namespace lactsim::model
