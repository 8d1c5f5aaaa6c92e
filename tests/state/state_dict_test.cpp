#include "nnlab/state/state_dict.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "nnlab/io/atomic_file.h"
#include "nnlab/io/safetensors.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

// The message of the std::runtime_error that `action` throws; fails the test when it throws none.
template <typename Action>
std::string error_of(Action action) {
  try {
    action();
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "no std::runtime_error thrown";
  return "";
}

StateDict example() {
  StateDict state;
  state.put("w", Tensor<float>(Shape{2, 3}, {1.5f, -0.0f, 3.25e-30f, 7.0f, -8.5f, 1e30f}));
  state.put("d", Tensor<double>(Shape{3}, {0.1, -1e300, 5e-324}));
  state.put_int("step", int64_t{1} << 60);
  state.put_ints("order", {3, 0, 2, 1});
  state.put_double("lr", 1.0 / 3.0);
  state.put_doubles("losses", {NAN, INFINITY, -2.5});
  state.put_floats("floats", {0.25f, -1.0f});
  state.put_bytes("engine", std::string("12 34\0\xFF end", 11));
  return state;
}

TEST(StateDict, KeepsEveryKindOfValue) {
  const StateDict state = example();
  EXPECT_EQ(state.size(), 8u);
  EXPECT_EQ(state.names(), (std::vector<std::string>{"d", "engine", "floats", "losses", "lr", "order", "step", "w"}));
  const Tensor<float> w = state.tensor<float>("w", Shape{2, 3});
  EXPECT_EQ(w[5], 1e30f);
  EXPECT_EQ(state.tensor<double>("d", Shape{3})[2], 5e-324);
  EXPECT_EQ(state.get_int("step"), int64_t{1} << 60);
  EXPECT_EQ(state.get_ints("order"), (std::vector<int64_t>{3, 0, 2, 1}));
  EXPECT_EQ(state.get_double("lr"), 1.0 / 3.0);
  EXPECT_TRUE(std::isnan(state.get_doubles("losses")[0]));
  EXPECT_EQ(state.get_floats("floats"), (std::vector<float>{0.25f, -1.0f}));
  EXPECT_EQ(state.get_bytes("engine"), std::string("12 34\0\xFF end", 11));
  EXPECT_EQ(state.at("w").describe(), "F32 of shape [2, 3]");
  EXPECT_EQ(state.at("step").describe(), "I64 of shape []");
  EXPECT_EQ(state.at("engine").describe(), "U8 of shape [11]");
}

TEST(StateDict, ReadingNamesTheEntryAndWhatItHolds) {
  const StateDict state = example();
  EXPECT_EQ(error_of([&] { state.get_int("missing"); }), "state entry 'missing' is missing");
  EXPECT_EQ(error_of([&] {
              state.tensor<float>("w", Shape{3, 2});
            }),
            "state entry 'w' is F32 of shape [2, 3], expected F32 of shape [3, 2]");
  EXPECT_EQ(error_of([&] {
              state.tensor<double>("w", Shape{2, 3});
            }),
            "state entry 'w' is F32 of shape [2, 3], expected F64 of shape [2, 3]");
  EXPECT_EQ(error_of([&] { state.get_int("order"); }),
            "state entry 'order' is I64 of shape [4], expected an I64 scalar");
  EXPECT_EQ(error_of([&] { state.get_double("step"); }),
            "state entry 'step' is I64 of shape [], expected an F64 scalar");
  EXPECT_EQ(error_of([&] { state.get_bytes("lr"); }), "state entry 'lr' is F64 of shape [], expected U8 bytes");
  EXPECT_EQ(error_of([&] { state.get_ints("step"); }),
            "state entry 'step' is I64 of shape [], expected I64 of shape [n]");
}

TEST(StateDict, RefusesRepeatedAndEmptyNames) {
  StateDict state = example();
  EXPECT_THROW(state.put_int("step", 1), std::invalid_argument);
  EXPECT_THROW(state.put_int("", 1), std::invalid_argument);
  EXPECT_THROW(state.put_entry("bad", {{2, 2}, std::vector<float>{1.0f}}), std::invalid_argument);
  EXPECT_EQ(state.get_int("step"), int64_t{1} << 60);  // unchanged
}

TEST(StateDict, MergesUnderPrefixesAndTakesThemApart) {
  StateDict optimizer;
  optimizer.put_double("param_groups.0.lr", 0.1);
  optimizer.put_int("param_groups.0.step", 7);
  StateDict rng;
  rng.put_bytes("engine", "1 2 3");
  StateDict checkpoint;
  checkpoint.merge(optimizer, "optimizer.");
  checkpoint.merge(rng, "rng.");
  EXPECT_EQ(checkpoint.names(),
            (std::vector<std::string>{"optimizer.param_groups.0.lr", "optimizer.param_groups.0.step", "rng.engine"}));
  EXPECT_EQ(checkpoint.under("optimizer."), optimizer);
  EXPECT_EQ(checkpoint.under("rng."), rng);
  EXPECT_TRUE(checkpoint.under("model.").empty());
  EXPECT_THROW(checkpoint.merge(rng, "rng."), std::invalid_argument);
}

TEST(StateDict, RequireNamesNamesTheFirstMissingThenTheFirstUnexpected) {
  StateDict state;
  state.put_int("a", 1);
  state.put_int("b", 2);
  EXPECT_NO_THROW(state.require_names({"b", "a"}, "thing"));
  EXPECT_EQ(error_of([&] { state.require_names({"a", "b", "c"}, "thing"); }), "thing: state entry 'c' is missing");
  EXPECT_EQ(error_of([&] { state.require_names({"a"}, "thing"); }), "thing: unexpected state entry 'b'");
}

// Every bit comes back: float and double values (NaN, infinities, subnormals, -0), integers, bytes with NUL.
TEST(StateDict, FileRoundTripIsExact) {
  TempDir dir;
  const StateDict state = example();
  const std::string path = dir.file("state.safetensors");
  write_state_dict(path, state, {{"nnlab.kind", "checkpoint"}});
  std::map<std::string, std::string> metadata;
  const StateDict back = read_state_dict(path, &metadata);
  EXPECT_EQ(metadata.at("nnlab.kind"), "checkpoint");
  ASSERT_EQ(back.names(), state.names());
  for (const std::string& name : state.names()) EXPECT_EQ(back.at(name).describe(), state.at(name).describe()) << name;
  const Tensor<float> w = back.tensor<float>("w", Shape{2, 3});
  const Tensor<float> w0 = state.tensor<float>("w", Shape{2, 3});
  for (int64_t i = 0; i < 6; ++i) EXPECT_EQ(std::bit_cast<uint32_t>(w[i]), std::bit_cast<uint32_t>(w0[i])) << i;
  const std::vector<double> losses = back.get_doubles("losses");
  EXPECT_TRUE(std::isnan(losses[0]));
  EXPECT_EQ(losses[1], INFINITY);
  EXPECT_EQ(back.tensor<double>("d", Shape{3})[1], -1e300);
  EXPECT_EQ(back.tensor<double>("d", Shape{3})[2], 5e-324);
  EXPECT_EQ(back.get_double("lr"), 1.0 / 3.0);
  EXPECT_EQ(back.get_int("step"), int64_t{1} << 60);
  EXPECT_EQ(back.get_ints("order"), state.get_ints("order"));
  EXPECT_EQ(back.get_floats("floats"), state.get_floats("floats"));
  EXPECT_EQ(back.get_bytes("engine"), state.get_bytes("engine"));
  // It is a plain safetensors file: the dtypes are safetensors' own.
  const SafetensorsContents raw = read_safetensors(path, F64Reading::kExact);
  EXPECT_EQ(raw.tensors.at("engine").dtype, "U8");
  EXPECT_EQ(raw.tensors.at("d").dtype, "F64");
  EXPECT_EQ(raw.tensors.at("step").dtype, "I64");
  EXPECT_EQ(dir.names(), (std::vector<std::string>{"state.safetensors"}));  // no temporary file left behind
}

TEST(StateDict, EmptyDictRoundTrips) {
  TempDir dir;
  write_state_dict(dir.file("empty.safetensors"), StateDict{});
  EXPECT_TRUE(read_state_dict(dir.file("empty.safetensors")).empty());
}

TEST(StateDict, ReadingABrokenFileNamesIt) {
  TempDir dir;
  const std::string path = dir.file("broken.safetensors");
  write_file_atomic(path, "not a state");
  const std::string message = error_of([&] { read_state_dict(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(error_of([&] { read_state_dict(dir.file("absent.safetensors")); }).find("absent.safetensors"),
            std::string::npos);
}

}  // namespace
}  // namespace nnlab::test
