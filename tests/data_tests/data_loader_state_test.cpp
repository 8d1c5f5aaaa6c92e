// A loader restored from its state dict (with its Rng restored beside it) gives
// exactly the batches the saved one would have given.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "data_tests/numbered_dataset.h"
#include "nnlab/data/augmentation.h"
#include "nnlab/data/data_loader.h"

namespace nnlab::test {
namespace {

using Batches = std::vector<std::vector<int64_t>>;

// The rest of the current epoch (which may be none yet), then `epochs` more.
Batches rest(DataLoader& loader, int epochs) {
  Batches batches;
  Tensor<float> x, y;
  while (loader.next(x, y)) batches.push_back(sample_ids(x, y));
  for (int e = 0; e < epochs; ++e) {
    loader.start_epoch();
    while (loader.next(x, y)) batches.push_back(sample_ids(x, y));
  }
  return batches;
}

void take(DataLoader& loader, int batches) {
  Tensor<float> x, y;
  for (int b = 0; b < batches; ++b) ASSERT_TRUE(loader.next(x, y));
}

struct Saved {
  StateDict loader;
  StateDict rng;
};

// Epoch 1 whole, then `into_epoch_two` batches of epoch 2; saved there.
Saved run_and_save(DataLoader& loader, Rng& rng, int into_epoch_two) {
  rest(loader, 0);  // epoch 1, started by the first next()
  loader.start_epoch();
  take(loader, into_epoch_two);
  return {loader.state_dict(), rng.state_dict()};
}

TEST(DataLoaderState, RestoredMidEpochGivesTheSameRemainingBatchesAndEpochs) {
  const Dataset data = numbered(23);
  for (int into : {0, 2, 5}) {  // at the start, mid-way, at the end of epoch 2 (5 batches of 5, 5, 5, 5, 3)
    SCOPED_TRACE(into);
    Rng rng(11);
    DataLoader original(data, 5, rng);
    const Saved saved = run_and_save(original, rng, into);
    EXPECT_EQ(saved.loader.get_int("epoch"), 2);
    EXPECT_EQ(saved.loader.get_int("position"), std::min(5 * into, 23));

    Rng other(999);
    DataLoader restored(data, 5, other);
    other.load_state_dict(saved.rng);
    restored.load_state_dict(saved.loader);
    EXPECT_EQ(restored.epoch(), 2);
    const Batches expected = rest(original, 3);
    EXPECT_EQ(expected.size(), static_cast<size_t>(5 - into + 3 * 5));
    EXPECT_EQ(rest(restored, 3), expected);
  }
}

TEST(DataLoaderState, RestoredBeforeTheFirstEpochStartsTheSameOne) {
  const Dataset data = numbered(10);
  Rng rng(4);
  DataLoader original(data, 3, rng, /*shuffle=*/true, /*drop_last=*/true);
  const StateDict loader_state = original.state_dict();
  EXPECT_EQ(loader_state.get_int("epoch"), 0);
  EXPECT_TRUE(loader_state.get_ints("order").empty());
  const StateDict rng_state = rng.state_dict();
  Rng other(5);
  other.load_state_dict(rng_state);
  DataLoader restored(data, 3, other, true, true);
  restored.load_state_dict(loader_state);
  const Batches expected = rest(original, 2);
  EXPECT_EQ(expected.size(), 9u);  // 3 epochs of 3 full batches, the 10th sample dropped
  EXPECT_EQ(rest(restored, 2), expected);
}

// Augmentation draws from the same Rng as the shuffling: restoring the Rng and the
// loader restores the augmented batches too. (Augmentation keeps no random state of its own.)
TEST(DataLoaderState, AugmentedBatchesResumeExactly) {
  Dataset images;
  images.num_classes = 2;
  images.x = Tensor<float>(Shape{9, 1, 4, 4});
  images.y = Tensor<float>(Shape{9});
  for (int64_t i = 0; i < images.x.size(); ++i) images.x[i] = static_cast<float>(i);
  for (int64_t i = 0; i < 9; ++i) images.y[i] = static_cast<float>(i % 2);
  const auto batches = [&](DataLoader& loader, Rng& rng, Augmentation& augment, int count) {
    std::vector<std::vector<float>> out;
    Tensor<float> x, y;
    while (static_cast<int>(out.size()) < count) {
      if (!loader.next(x, y)) {
        loader.start_epoch();
        continue;
      }
      augment.apply(x, rng);
      out.emplace_back(x.begin(), x.end());
    }
    return out;
  };
  Rng rng(21);
  DataLoader original(images, 2, rng);
  Augmentation augment = Augmentation::shift(1);
  batches(original, rng, augment, 7);  // into the second epoch of 5 batches
  const StateDict loader_state = original.state_dict(), rng_state = rng.state_dict();

  Rng other(0);
  other.load_state_dict(rng_state);
  DataLoader restored(images, 2, other);
  restored.load_state_dict(loader_state);
  Augmentation fresh = Augmentation::shift(1);
  EXPECT_EQ(batches(restored, other, fresh, 12), batches(original, rng, augment, 12));
}

std::string load_error(DataLoader& loader, const StateDict& state) {
  const StateDict before = loader.state_dict();
  try {
    loader.load_state_dict(state);
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(loader.state_dict(), before) << "a failed load changed the loader";
    return error.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

StateDict with(const StateDict& state, const std::string& name, std::vector<int64_t> order) {
  StateDict changed;
  for (const auto& [entry, value] : state.entries()) {
    if (entry != name) changed.put_entry(entry, value);
  }
  changed.put_ints(name, std::move(order));
  return changed;
}

TEST(DataLoaderState, LoadingIntoAnotherLoaderNamesTheMismatch) {
  const Dataset data = numbered(6);
  Rng rng(1);
  DataLoader original(data, 4, rng);
  take(original, 1);
  const StateDict state = original.state_dict();

  Rng other(2);
  DataLoader smaller_batches(data, 3, other);
  EXPECT_EQ(load_error(smaller_batches, state),
            "data loader: cannot load the state: entry 'batch_size' is 4, this loader has 3");
  DataLoader in_order(data, 4, other, /*shuffle=*/false);
  EXPECT_EQ(load_error(in_order, state), "data loader: cannot load the state: entry 'shuffle' is 1, this loader has 0");
  const Dataset more = numbered(7);
  DataLoader bigger(more, 4, other);
  EXPECT_EQ(load_error(bigger, state),
            "data loader: cannot load the state: entry 'order' has 6 samples, expected 7 (the dataset's size)");
  DataLoader same(data, 4, other);
  EXPECT_EQ(load_error(same, with(state, "order", {0, 1, 2, 3, 4, 6})),
            "data loader: cannot load the state: entry 'order' is not a permutation of the 6 samples (it holds 6)");
  EXPECT_EQ(load_error(same, with(state, "order", {0, 1, 2, 2, 4, 5})),
            "data loader: cannot load the state: entry 'order' is not a permutation of the 6 samples (it holds 2 "
            "twice)");
  StateDict no_position;
  for (const auto& [entry, value] : state.entries()) {
    if (entry != "position") no_position.put_entry(entry, value);
  }
  EXPECT_EQ(load_error(same, no_position),
            "data loader: cannot load the state: the state dict: state entry 'position' is missing");
}

}  // namespace
}  // namespace nnlab::test
