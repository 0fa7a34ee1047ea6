#pragma once
/// @file cascade_caches.hpp
/// The cascade solver's caches as an opaque handle, so a workspace can keep them without
/// seeing the solver (cascade_solver.hpp).

#include <memory>

namespace lactsim {

/// Caches of the cascade solver kept from one simulation to the next (one per thread): the
/// exponentials of the model's fixed rates at each degree's points, per substep length. They
/// are reused while those rates are unchanged (e.g. a sweep over pain or OT parameters) and
/// emptied when any differs; an entry holds exactly what a refill would compute, so results
/// never depend on what ran before. The type is complete only in cascade_solver.cpp.
class CascadeCaches;
/// Deletes a CascadeCaches.
struct CascadeCachesDeleter {
  void operator()(CascadeCaches* caches) const;
};
/// Owning handle of a CascadeCaches.
using CascadeCachesHandle = std::unique_ptr<CascadeCaches, CascadeCachesDeleter>;
/// Empty caches (~100 kB).
CascadeCachesHandle make_cascade_caches();

}  // namespace lactsim
