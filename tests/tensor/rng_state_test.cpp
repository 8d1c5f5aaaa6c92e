#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "nnlab/state/state_dict.h"
#include "nnlab/tensor/random.h"
#include "temp_dir.h"

namespace nnlab::test {
namespace {

// A mixed stream of every kind of draw, as bit patterns so that equality means every bit.
std::vector<uint64_t> draws(Rng& rng, int rounds) {
  std::vector<uint64_t> out;
  for (int i = 0; i < rounds; ++i) {
    out.push_back(std::bit_cast<uint64_t>(rng.normal()));
    out.push_back(std::bit_cast<uint64_t>(rng.uniform(-2.0, 3.0)));
    out.push_back(rng.below(1000));
    if (i % 3 == 0) out.push_back(std::bit_cast<uint64_t>(rng.normal()));
    if (i % 4 == 1) out.push_back(rng.next_seed());
  }
  return out;
}

// After one normal() the distribution holds the second value of its pair: the
// restored generator must give it back as its next normal(), not draw anew.
TEST(RngState, RestoredAfterOneNormalGivesTheSameStream) {
  Rng original(2024);
  original.uniform();
  original.below(10);
  original.normal();  // one normal: the second of its pair is cached now
  const StateDict saved = original.state_dict();
  const std::vector<uint64_t> expected = draws(original, 50);

  Rng restored(7);  // another seed, and a cached value of its own
  restored.normal();
  restored.load_state_dict(saved);
  EXPECT_EQ(draws(restored, 50), expected);

  // The cache matters: the engine state alone gives another stream.
  Rng engine_only(7);
  StateDict mixed;
  mixed.put_bytes("engine", saved.get_bytes("engine"));
  mixed.put_bytes("normal", Rng(0).state_dict().get_bytes("normal"));  // no cached value
  engine_only.load_state_dict(mixed);
  EXPECT_NE(draws(engine_only, 50), expected);
}

TEST(RngState, RoundTripsThroughAFile) {
  TempDir dir;
  Rng original(99);
  draws(original, 3);
  original.normal();
  write_state_dict(dir.file("rng.safetensors"), original.state_dict());
  Rng restored(1);
  restored.load_state_dict(read_state_dict(dir.file("rng.safetensors")));
  EXPECT_EQ(draws(restored, 20), draws(original, 20));
}

// The text does not depend on the program's locale (a German locale would write 0,5).
TEST(RngState, StateTextIsTheClassicLocales) {
  Rng rng(3);
  rng.normal();
  const StateDict state = rng.state_dict();
  EXPECT_EQ(state.get_bytes("normal").find(','), std::string::npos);
  EXPECT_NE(state.get_bytes("normal").find('.'), std::string::npos) << state.get_bytes("normal");
  // 312 words and the position: 313 numbers separated by spaces.
  const std::string& engine = state.get_bytes("engine");
  EXPECT_EQ(std::count(engine.begin(), engine.end(), ' '), 312);
}

TEST(RngState, RejectsTextThatIsNoStateAndKeepsItsOwn) {
  Rng rng(5);
  const StateDict before = rng.state_dict();
  StateDict truncated;
  truncated.put_bytes("engine", before.get_bytes("engine").substr(0, 100));
  truncated.put_bytes("normal", before.get_bytes("normal"));
  try {
    rng.load_state_dict(truncated);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "random generator: state entry 'engine' is not the state of a mt19937_64 engine");
  }
  StateDict trailing;
  trailing.put_bytes("engine", before.get_bytes("engine") + " 17");
  trailing.put_bytes("normal", before.get_bytes("normal"));
  EXPECT_THROW(rng.load_state_dict(trailing), std::runtime_error);
  StateDict bad_normal;
  bad_normal.put_bytes("engine", before.get_bytes("engine"));
  bad_normal.put_bytes("normal", "zero one");
  EXPECT_THROW(rng.load_state_dict(bad_normal), std::runtime_error);
  StateDict missing;
  missing.put_bytes("engine", before.get_bytes("engine"));
  EXPECT_THROW(rng.load_state_dict(missing), std::runtime_error);
  EXPECT_EQ(rng.state_dict(), before);  // none of the failures changed it
  Rng same(5);
  EXPECT_EQ(draws(rng, 10), draws(same, 10));
}

}  // namespace
}  // namespace nnlab::test
