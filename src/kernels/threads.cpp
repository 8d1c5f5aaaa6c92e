#include "nnlab/kernels/threads.h"

#include <omp.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

namespace nnlab {

namespace {
// A worker that starts this late was waiting for a core, not for work: on an idle
// machine workers start within microseconds (tens after sleeping).
constexpr int64_t kLateStartNs = 1'000'000;
// One late start can be a hiccup (a virtual CPU woken from idle); a second one this
// soon after the first means the cores are busy.
constexpr int64_t kLateAgainNs = 200'000'000;
// How long regions then run on one thread before a worker is tried again. Each try
// on a still-busy machine costs two late starts (10-30 ms under load), about 1% of this.
constexpr int64_t kSerialPeriodNs = 2'000'000'000;

// steady_clock times: the last late start, and until when regions run on one thread. Kept
// per calling thread, as its thread count is: each calling thread leads its own team of
// workers, and one caller's late workers say nothing about another's.
thread_local int64_t last_late_ns = 0;
thread_local int64_t serial_until_ns = 0;
}  // namespace

int num_threads() { return omp_get_max_threads(); }

ThreadScope::ThreadScope(int threads) : saved_(omp_get_max_threads()) {
  if (threads < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(threads));
  omp_set_num_threads(threads);
}

ThreadScope::~ThreadScope() { omp_set_num_threads(saved_); }

bool cores_busy() { return serial_until_ns != 0 && detail::now_ns() < serial_until_ns; }

namespace detail {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void note_worker_delay(int64_t delay_ns) {
  if (delay_ns <= kLateStartNs) return;
  const int64_t now = now_ns();
  const int64_t previous = std::exchange(last_late_ns, now);
  if (previous != 0 && now - previous < kLateAgainNs) serial_until_ns = now + kSerialPeriodNs;
}

}  // namespace detail

}  // namespace nnlab
