#include "nnlab/data/augmentation.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace nnlab {

namespace {
constexpr int kMaxShift = 8;
}  // namespace

Augmentation Augmentation::shift(int max_shift) {
  if (max_shift < 1 || max_shift > kMaxShift) {
    throw std::invalid_argument("augmentation shift must be 1 to " + std::to_string(kMaxShift) + " pixels, got " +
                                std::to_string(max_shift));
  }
  Augmentation a;
  a.max_shift_ = max_shift;
  return a;
}

Augmentation Augmentation::parse(const std::string& text) {
  if (text == "none") return none();
  const std::string prefix = "shift:";
  if (text.rfind(prefix, 0) == 0) {
    const std::string number = text.substr(prefix.size());
    int value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (number.empty() || error != std::errc() || end != number.data() + number.size()) {
      throw std::invalid_argument("augmentation '" + text + "': the shift must be a whole number of pixels");
    }
    try {
      return shift(value);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("augmentation '" + text + "': " + e.what());
    }
  }
  throw std::invalid_argument("unknown augmentation '" + text + "' (known: none, shift:N)");
}

std::string Augmentation::str() const { return enabled() ? "shift:" + std::to_string(max_shift_) : "none"; }

void Augmentation::apply(Tensor<float>& batch, Rng& rng) {
  if (!enabled()) return;
  if (batch.rank() != 4) {
    throw std::invalid_argument("augmentation " + str() + " needs image samples (N×C×H×W), got a batch of shape " +
                                batch.shape().str());
  }
  const int64_t n = batch.dim(0), channels = batch.dim(1), height = batch.dim(2), width = batch.dim(3);
  plane_.resize(static_cast<size_t>(height * width));
  const auto span = static_cast<uint64_t>(2 * max_shift_ + 1);
  for (int64_t i = 0; i < n; ++i) {
    // The image moves right by dx and down by dy: out[y][x] = in[y − dy][x − dx], 0 outside.
    const int64_t dx = static_cast<int64_t>(rng.below(span)) - max_shift_;
    const int64_t dy = static_cast<int64_t>(rng.below(span)) - max_shift_;
    if (dx == 0 && dy == 0) continue;
    for (int64_t c = 0; c < channels; ++c) {
      float* image = batch.data() + (i * channels + c) * height * width;
      std::copy(image, image + height * width, plane_.begin());
      std::fill(image, image + height * width, 0.0f);
      const int64_t x_begin = std::max<int64_t>(0, dx), x_end = std::min(width, width + dx);
      for (int64_t y = std::max<int64_t>(0, dy); y < std::min(height, height + dy); ++y) {
        const float* source = plane_.data() + (y - dy) * width - dx;
        std::copy(source + x_begin, source + x_end, image + y * width + x_begin);
      }
    }
  }
}

}  // namespace nnlab
