// Augmentation: the text form, where each image moves, that every shift in range
// happens, that it is seeded, and that training with it runs and refuses non-images.

#include "nnlab/data/augmentation.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "nnlab/losses/softmax_cross_entropy.h"
#include "nnlab/model/model_spec.h"
#include "nnlab/optim/sgd.h"
#include "nnlab/train/trainer.h"

namespace nnlab::test {
namespace {

TEST(Augmentation, ParsesItsTextForm) {
  EXPECT_FALSE(Augmentation::parse("none").enabled());
  EXPECT_EQ(Augmentation::parse("shift:2").max_shift(), 2);
  EXPECT_EQ(Augmentation::parse("shift:3").str(), "shift:3");
  EXPECT_EQ(Augmentation::none().str(), "none");
  for (const char* bad : {"shift:", "shift:x", "shift:2.5", "shift:0", "shift:9", "flip", ""}) {
    try {
      Augmentation::parse(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + bad + "'"), std::string::npos) << e.what();
    }
  }
}

// Where the single lit pixel of each image ended up, as (dx, dy) from where it was.
std::vector<std::pair<int, int>> moves(const Tensor<float>& batch, int64_t y0, int64_t x0) {
  std::vector<std::pair<int, int>> result;
  const int64_t h = batch.dim(2), w = batch.dim(3);
  for (int64_t i = 0; i < batch.dim(0); ++i) {
    int lit = 0;
    for (int64_t p = 0; p < h * w; ++p) {
      const float v = batch[i * h * w + p];
      if (v != 0) {
        EXPECT_EQ(v, 1.0f);
        ++lit;
        result.emplace_back(static_cast<int>(p % w - x0), static_cast<int>(p / w - y0));
      }
    }
    EXPECT_EQ(lit, 1) << "image " << i;
  }
  return result;
}

TEST(Augmentation, MovesEachImageByUpToTheShiftAndCoversEveryShift) {
  const int64_t n = 2000;
  Tensor<float> batch(Shape{n, 1, 9, 7});
  for (int64_t i = 0; i < n; ++i) batch[i * 63 + 4 * 7 + 3] = 1.0f;  // pixel (y 4, x 3), away from the edges
  Rng rng(5);
  Augmentation augment = Augmentation::shift(2);
  augment.apply(batch, rng);
  std::set<std::pair<int, int>> seen;
  for (const auto& [dx, dy] : moves(batch, 4, 3)) {
    EXPECT_LE(std::abs(dx), 2);
    EXPECT_LE(std::abs(dy), 2);
    seen.insert({dx, dy});
  }
  EXPECT_EQ(seen.size(), 25u);  // all 5×5 shifts occur

  // The same seed moves the same images the same way.
  Tensor<float> again(Shape{n, 1, 9, 7});
  for (int64_t i = 0; i < n; ++i) again[i * 63 + 4 * 7 + 3] = 1.0f;
  Rng same(5);
  augment.apply(again, same);
  for (int64_t i = 0; i < batch.size(); ++i) ASSERT_EQ(batch[i], again[i]);
}

TEST(Augmentation, ShiftsInZerosAndMovesAllChannelsAlike) {
  // A 2-channel 3×4 image of distinct values; with shift 1 it moves by one of 9 offsets.
  Tensor<float> batch(Shape{1, 2, 3, 4});
  for (int64_t p = 0; p < 24; ++p) batch[p] = static_cast<float>(p + 1);
  const Tensor<float> before = batch;
  Rng rng(11);
  Augmentation augment = Augmentation::shift(1);
  augment.apply(batch, rng);
  // Find the offset from channel 0 and check every value of both channels against it.
  bool matched = false;
  for (int dy = -1; dy <= 1 && !matched; ++dy) {
    for (int dx = -1; dx <= 1 && !matched; ++dx) {
      bool all = true;
      for (int c = 0; c < 2; ++c) {
        for (int y = 0; y < 3; ++y) {
          for (int x = 0; x < 4; ++x) {
            const int sy = y - dy, sx = x - dx;
            const float expected = sy >= 0 && sy < 3 && sx >= 0 && sx < 4 ? before[c * 12 + sy * 4 + sx] : 0.0f;
            all = all && batch[c * 12 + y * 4 + x] == expected;
          }
        }
      }
      matched = all;
    }
  }
  EXPECT_TRUE(matched);
}

TEST(Augmentation, RefusesBatchesThatAreNotImages) {
  Tensor<float> flat(Shape{4, 784});
  Rng rng(0);
  Augmentation augment = Augmentation::shift(2);
  EXPECT_THROW(augment.apply(flat, rng), std::invalid_argument);
  Augmentation off = Augmentation::none();
  EXPECT_NO_THROW(off.apply(flat, rng));
}

TEST(Augmentation, TrainerAppliesItToImagesAndRefusesFlatSamples) {
  Rng rng(1);
  Dataset images;
  images.num_classes = 2;
  images.x = Tensor<float>(Shape{64, 1, 6, 6});
  images.y = Tensor<float>(Shape{64});
  for (int64_t i = 0; i < 64; ++i) {
    images.y[i] = static_cast<float>(i % 2);
    // class 0: a bright top half; class 1: a bright bottom half. Shifts of 1 keep them apart.
    for (int64_t p = 0; p < 36; ++p) images.x[i * 36 + p] = (p < 18) == (i % 2 == 0) ? 1.0f : 0.0f;
  }
  auto model = build_model<float>("conv:4x3x3:pad=1,relu,gap,linear:2", Shape{1, 6, 6});
  model.initialize(Initializer::he_normal(), rng);
  SoftmaxCrossEntropy<float> loss;
  SGD<float> sgd(model.parameters(), 0.1);
  Trainer trainer(model, loss, sgd);
  FitOptions options;
  options.epochs = 3;
  options.batch_size = 16;
  options.augment = Augmentation::shift(1);
  const History history = trainer.fit(images, nullptr, options, rng);
  EXPECT_EQ(history.epochs.size(), 3u);

  Dataset flat;
  flat.num_classes = 2;
  flat.x = Tensor<float>(Shape{8, 36});
  flat.y = Tensor<float>(Shape{8});
  auto mlp = build_model<float>("linear:2", Shape{36});
  SGD<float> sgd2(mlp.parameters(), 0.1);
  Trainer flat_trainer(mlp, loss, sgd2);
  try {
    flat_trainer.fit(flat, nullptr, options, rng);
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("needs image samples"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nnlab::test
