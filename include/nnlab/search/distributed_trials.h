#pragma once
// A search's trials over the ranks of an MPI job (mpirun -np N nnlab search): rank 0 runs the
// search (run_search, its strategy proposing while the others train) with one worker thread per
// other rank, and each worker thread's objective sends its trial's plan to a free rank and waits
// for the record; ranks 1..N−1 serve trials until rank 0 says there are no more.
//
//   rank 0:   SearchResult r = run_search(strategy, space, remote_trials(world, space), options);
//             end_trials(world);
//   others:   serve_trials(world, space, [&](int index, const TrialPlan& plan) { return train(...); });
//
// A trial's result depends on its index and plan alone (trial_seed), so it is the same on any rank.

#include "nnlab/distributed/communicator.h"
#include "nnlab/search/search_runner.h"

namespace nnlab {

// The objective of rank 0: trains each trial on one of ranks 1..N−1 (N ≥ 2), at most one at a
// time on each; concurrent calls (run_search's workers, N − 1 of them) share the ranks.
Objective remote_trials(Communicator& world, const SearchSpace& space);
// Rank 0, after the search: tells every other rank that no trial follows.
void end_trials(Communicator& world);
// Ranks 1..N−1: trains the trials rank 0 sends with `objective` and sends back their records,
// until end_trials.
void serve_trials(Communicator& world, const SearchSpace& space, const Objective& objective);

}  // namespace nnlab
