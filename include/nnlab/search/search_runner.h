#pragma once
// Runs a search: trials in parallel on `workers` threads, each trial's record
// appended to a JSON-lines file the moment it finishes, and an interrupted search
// resumed from that file (finished trials are loaded, not repeated).
//
// Threads: each worker sets its own OpenMP thread count (omp_set_num_threads sets
// the calling thread's ICV), and the OpenMP build of OpenBLAS sizes its parallel
// regions from the calling thread's omp_get_max_threads(), so 2 workers × 1 thread
// use 2 cores, not 2 × all of them. A trial's randomness comes from
// trial_seed(seed, index) alone, so it gives the same result on any worker.

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nnlab/search/strategy.h"

namespace nnlab {

struct SearchOptions {
  int workers = 1;
  int threads_per_worker = 1;
  double minutes = 0;  // no new trial starts after this long (0: no limit)
  // No new trial starts once one has scored at least this (NaN: no target), e.g. to
  // count the trials a strategy needs to reach a given accuracy.
  double target = NAN;
  std::string results_path{};  // JSON lines; empty: keep nothing on disk (no resume)
  nlohmann::json header{};     // what is searched, written first; a resumed file must match it
  // Called (under the runner's lock) as each trial finishes, e.g. to print progress.
  std::function<void(const TrialRecord&)> on_trial{};
};

// Trains trial `index` as planned and returns its record (index and plan filled in
// by the runner). Called concurrently from the worker threads.
using Objective = std::function<TrialRecord(int index, const TrialPlan& plan)>;

struct SearchResult {
  std::vector<TrialRecord> trials;  // all finished trials, resumed ones included, by index
  int resumed = 0;                  // how many came from the results file
  bool out_of_time = false;
};

// Throws what an objective threw (after the other workers finish their trials).
SearchResult run_search(SearchStrategy& strategy, const SearchSpace& space, const Objective& objective,
                        const SearchOptions& options);

}  // namespace nnlab
