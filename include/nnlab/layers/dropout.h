#pragma once
// Dropout (Srivastava et al., 2014), inverted as in PyTorch.
//
// Training: each element is kept with probability 1 − p and the kept ones are
// scaled up, so that the expected output equals the input:
//   mask_i = [u_i ≥ p] / (1 − p),  u_i ~ U[0, 1)      y = x ⊙ mask      dx = dy ⊙ mask
// Eval: the identity (y = x, dx = dy, passed by reference).
// The textbook's Dropout is not inverted: it keeps the kept values as they are in
// training and multiplies every output by 1 − p at test time. Both give the same
// expected values; the inverted form makes inference free.
//
// Randomness: the layer owns its generator. initialize() reseeds it from the model's
// Rng, so Sequential::initialize with a seeded Rng makes a run repeatable. Each
// training forward draws one 64-bit key from that generator and makes the mask
// from a counter-based hash (SplitMix64 of key + i·golden ratio), which costs about
// half a nanosecond per element (std::bernoulli_distribution: about 8) and is the
// same whatever the number of threads.
//
// Frozen mask: freeze_mask(true) makes every later training forward reuse the current
// mask (drawing one first if there is none for that shape), so that the layer is one
// fixed function of its input, as a gradient check by finite differences needs; the
// generator is not advanced while frozen. freeze_mask(false) goes back to a new mask
// per forward.

#include "nnlab/layers/layer.h"

namespace nnlab {

template <typename T>
class Dropout final : public Layer<T> {
 public:
  // p: the probability of dropping an element, in [0, 1).
  explicit Dropout(double p, uint64_t seed = 0);

  std::string type() const override { return "Dropout"; }
  // "dropout:P"
  std::string spec() const override;
  Shape output_shape(const Shape& input_sample) const override { return input_sample; }

  const Tensor<T>& forward(const Tensor<T>& x) override;
  const Tensor<T>& backward(const Tensor<T>& dy) override;
  // Reseeds the layer's generator from rng (the initialiser is not used).
  void initialize(const Initializer& init, Rng& rng) override;
  std::vector<std::pair<std::string, Rng*>> generators() override { return {{"rng", &rng_}}; }

  double p() const { return p_; }
  // The mask of the last training forward: 0 for dropped elements, 1/(1 − p) for kept ones.
  const Tensor<T>& mask() const { return mask_; }
  // Whether training forwards reuse the current mask (see above).
  void freeze_mask(bool frozen) { frozen_ = frozen; }
  bool mask_frozen() const { return frozen_; }

 private:
  double p_;
  Rng rng_;
  bool masked_ = false;  // whether the last forward applied a mask (training with p > 0)
  bool frozen_ = false;  // reuse mask_ instead of drawing a new one
  Tensor<T> mask_, output_, input_grad_;
};

}  // namespace nnlab
