#pragma once
// Rng: the seeded random generator passed to everything that draws random
// numbers (initialisers, shuffling, dropout). No global generator exists:
// the same seed gives the same run.
//
// Its state dict holds the whole state as text (the standard library's own
// serialisation): "engine", the mt19937_64 engine's 312 words and position,
// and "normal", the normal distribution's parameters and the second value of
// the pair it last drew, kept for the next call. A generator restored from it
// draws exactly the numbers the saved one would have drawn.

#include <cstdint>
#include <random>

#include "nnlab/state/stateful.h"

namespace nnlab {

class Rng final : public Stateful {
 public:
  explicit Rng(uint64_t seed = 0) : engine_(seed) {}

  // Standard normal N(0, 1).
  double normal() { return normal_(engine_); }
  // Uniform in [low, high).
  double uniform(double low = 0.0, double high = 1.0) {
    return low + (high - low) * std::generate_canonical<double, 53>(engine_);
  }
  // Uniform integer in [0, n).
  uint64_t below(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(engine_); }
  // A seed for an independent child generator (e.g. one per worker).
  uint64_t next_seed() { return engine_(); }

  std::mt19937_64& engine() { return engine_; }

  StateDict state_dict() const override;
  // Throws std::runtime_error naming the entry when its text is not a state of this generator.
  void load_state_dict(const StateDict& state) override;

 private:
  std::mt19937_64 engine_;
  std::normal_distribution<double> normal_{0.0, 1.0};
};

}  // namespace nnlab
