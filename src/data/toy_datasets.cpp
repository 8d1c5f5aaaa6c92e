#include "nnlab/data/toy_datasets.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "nnlab/tensor/random.h"

namespace nnlab {

namespace {

Dataset classes(int64_t n, int num_classes) {
  Dataset d;
  d.x = Tensor<float>(Shape{n, 2});
  d.y = Tensor<float>(Shape{n});
  d.num_classes = num_classes;
  return d;
}

void put(Dataset& d, int64_t i, double x0, double x1, int label) {
  d.x.row(i)[0] = static_cast<float>(x0);
  d.x.row(i)[1] = static_cast<float>(x1);
  d.y[i] = static_cast<float>(label);
}

}  // namespace

const std::vector<std::string>& toy_dataset_names() {
  static const std::vector<std::string> names = {"spirals", "circles", "xor", "blobs", "sine"};
  return names;
}

bool is_toy_dataset(const std::string& name) {
  for (const auto& known : toy_dataset_names()) {
    if (name == known) return true;
  }
  return false;
}

Dataset make_toy_dataset(const std::string& name, const ToyOptions& o) {
  if (!is_toy_dataset(name)) {
    std::string known;
    for (const auto& n : toy_dataset_names()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown toy dataset '" + name + "' (known: " + known + ")");
  }
  if (o.samples < 4)
    throw std::invalid_argument("a toy dataset needs at least 4 samples, got " + std::to_string(o.samples));
  if (!(o.noise >= 0) || !std::isfinite(o.noise)) throw std::invalid_argument("toy noise must be >= 0");
  Rng rng(o.seed);
  const int64_t n = o.samples;
  const double pi = std::numbers::pi;
  if (name == "spirals") {
    // Point i of spiral k: angle t ∈ [0, 3π], radius t / 3π, the second spiral turned by π. The
    // arms lie 1/3 apart; the noise is scaled by 1/3 too, so that noise 0.1 blurs the arms as it
    // blurs the other sets (unscaled, a third of the points would cross into the other arm).
    Dataset d = classes(n, 2);
    const double noise = o.noise / 3;
    for (int64_t i = 0; i < n; ++i) {
      const int k = static_cast<int>(i % 2);
      const double t = 3 * pi * rng.uniform();
      const double r = t / (3 * pi);
      put(d, i, r * std::cos(t + k * pi) + noise * rng.normal(), r * std::sin(t + k * pi) + noise * rng.normal(), k);
    }
    return d;
  }
  if (name == "circles") {
    // Class 0 inside radius 0.4, class 1 on a ring from 0.6 to 1.
    Dataset d = classes(n, 2);
    for (int64_t i = 0; i < n; ++i) {
      const int k = static_cast<int>(i % 2);
      const double r = k == 0 ? 0.4 * std::sqrt(rng.uniform()) : 0.6 + 0.4 * rng.uniform();
      const double a = 2 * pi * rng.uniform();
      put(d, i, r * std::cos(a) + o.noise * rng.normal(), r * std::sin(a) + o.noise * rng.normal(), k);
    }
    return d;
  }
  if (name == "xor") {
    // Class 0 where the coordinates have the same sign, class 1 where they differ (each point at
    // least 0.05 from the axes), as many of each.
    Dataset d = classes(n, 2);
    for (int64_t i = 0; i < n; ++i) {
      const int k = static_cast<int>(i % 2);
      const double x0 = rng.uniform(0.05, 1.05) * (rng.uniform() < 0.5 ? -1 : 1);
      const double x1 = rng.uniform(0.05, 1.05) * ((x0 > 0) == (k == 0) ? 1 : -1);
      put(d, i, x0 + o.noise * rng.normal(), x1 + o.noise * rng.normal(), k);
    }
    return d;
  }
  if (name == "blobs") {
    // Three Gaussian blobs (std 0.15 + noise) at the corners of a triangle.
    Dataset d = classes(n, 3);
    const double centres[3][2] = {{-0.5, -0.4}, {0.5, -0.4}, {0.0, 0.5}};
    for (int64_t i = 0; i < n; ++i) {
      const int k = static_cast<int>(i % 3);
      const double spread = 0.15 + o.noise;
      put(d, i, centres[k][0] + spread * rng.normal(), centres[k][1] + spread * rng.normal(), k);
    }
    return d;
  }
  // sine: one input, one target.
  Dataset d;
  d.x = Tensor<float>(Shape{n, 1});
  d.y = Tensor<float>(Shape{n, 1});
  for (int64_t i = 0; i < n; ++i) {
    const double x = rng.uniform(-3, 3);
    d.x[i] = static_cast<float>(x);
    d.y[i] = static_cast<float>(std::sin(x) + o.noise * rng.normal());
  }
  return d;
}

}  // namespace nnlab
