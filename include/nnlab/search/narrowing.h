#pragma once
// What a finished search says: the ranking in the course's form and the narrowed
// space for the next round (the course's advice: search coarse, look where the
// best trials lie, search again there).
//
//   Best-1 (val acc: 0.85) | lr: 0.0093, weight decay: 7.2e-06

#include <string>
#include <vector>

#include "nnlab/search/search_space.h"
#include "nnlab/search/trial.h"

namespace nnlab {

// The first `top` lines of the ranking, one per trial, best first.
std::string ranking_text(const std::vector<TrialRecord>& trials, const SearchSpace& space, int top);

// How many of the best trials define the narrowed range: the top 10%, at least 5
// (all of them when fewer).
int narrowing_count(size_t finished);

// The space spanned by the `top` best trials: each range shrunk to their smallest
// and largest value (keeping its scale), each choice to the items they used.
SearchSpace narrowed_space(const std::vector<TrialRecord>& trials, const SearchSpace& space, int top);

}  // namespace nnlab
