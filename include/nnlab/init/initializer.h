#pragma once
// Weight initialisers by name, applied with a layer's fan-in and fan-out.
//
//   constant:V      every weight V (zero: constant:0)
//   normal:STD      N(0, STD²)                               (V and STD finite, at most 1e18)
//   xavier-normal   Glorot: N(0, 2/(fan_in+fan_out))        (PyTorch xavier_normal_, gain 1)
//   xavier-uniform  Glorot: U(±√(6/(fan_in+fan_out)))       (PyTorch xavier_uniform_)
//   he-normal       Kaiming: N(0, 2/fan_in)                  (PyTorch kaiming_normal_, ReLU gain, fan_in)
//   he-uniform      Kaiming: U(±√(6/fan_in))                 (PyTorch kaiming_uniform_, ReLU gain, fan_in)
//   lecun-normal    N(0, 1/fan_in): what "Deep Learning from Scratch" calls Xavier
// Short names: "zero", "xavier" = xavier-normal, "he" = he-normal.
// Biases start at 0 whatever the weight initialiser.

#include <cstdint>
#include <string>

#include "nnlab/tensor/random.h"
#include "nnlab/tensor/tensor.h"

namespace nnlab {

class Initializer {
 public:
  enum class Kind { kConstant, kNormal, kXavierNormal, kXavierUniform, kHeNormal, kHeUniform, kLecunNormal };

  static Initializer constant(double value) { return {Kind::kConstant, value}; }
  static Initializer zeros() { return constant(0.0); }
  static Initializer normal(double std) { return {Kind::kNormal, std}; }
  static Initializer xavier_normal() { return {Kind::kXavierNormal, 0.0}; }
  static Initializer xavier_uniform() { return {Kind::kXavierUniform, 0.0}; }
  static Initializer he_normal() { return {Kind::kHeNormal, 0.0}; }
  static Initializer he_uniform() { return {Kind::kHeUniform, 0.0}; }
  static Initializer lecun_normal() { return {Kind::kLecunNormal, 0.0}; }
  // Parses the names above; throws std::invalid_argument naming the bad text.
  static Initializer parse(const std::string& text);
  // The largest constant or std accepted: weights beyond it overflow float in the
  // first layer's sums (its square, 1e36, is still below float's 3.4e38).
  static constexpr double kMaxValue = 1e18;

  Kind kind() const { return kind_; }
  // The constant or the std, for kinds that take one.
  double value() const { return value_; }
  // Parses back to an equal initialiser: parse(str()) == *this.
  std::string str() const;
  bool operator==(const Initializer&) const = default;

  // The standard deviation this initialiser gives for these fans.
  double stddev(int64_t fan_in, int64_t fan_out) const;

  template <typename T>
  void fill(Tensor<T>& weight, int64_t fan_in, int64_t fan_out, Rng& rng) const;

 private:
  // Throws std::invalid_argument for a constant or std that is not finite, a
  // negative std, or one beyond ±kMaxValue.
  Initializer(Kind kind, double value);
  Kind kind_;
  double value_;
};

}  // namespace nnlab
