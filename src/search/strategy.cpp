#include "nnlab/search/strategy.h"

namespace nnlab {

uint64_t trial_seed(uint64_t seed, int index) {
  // SplitMix64 finaliser: nearby (seed, index) pairs give unrelated seeds.
  uint64_t z = seed * 0x9E3779B97F4A7C15ULL + static_cast<uint64_t>(index) + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace nnlab
