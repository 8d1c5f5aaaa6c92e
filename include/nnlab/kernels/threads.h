#pragma once
// One thread pool: OpenMP, which the OpenMP build of OpenBLAS shares. There is no
// process-wide thread setting: each calling thread runs nnlab's loops and BLAS with its own
// count, set for a scope with ThreadScope.

#include <omp.h>

#include <atomic>
#include <cstdint>

namespace nnlab {

// The calling thread's count (ThreadScope's, or OpenMP's default: OMP_NUM_THREADS, or the cores).
int num_threads();

// The calling thread's thread count for nnlab's loops and BLAS, for the lifetime of the
// scope, then the one before: an execution context that travels with the work (a training
// run, a search worker) instead of a setting of the whole process. OpenMP keeps the count
// per thread, and OpenBLAS's OpenMP build reads the calling thread's at each call (measured:
// an SGEMM after omp_set_num_threads(1) runs on one thread, after (2) on two again).
class ThreadScope {
 public:
  explicit ThreadScope(int threads);
  ~ThreadScope();
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  int saved_;
};

// Element-wise loops below this size run on one thread: starting a parallel
// region costs more than it saves.
inline constexpr long kParallelThreshold = 1 << 15;

// Whether the calling thread's parallel regions should run on one thread for now,
// because the cores are busy with other processes (see run_parallel).
bool cores_busy();

namespace detail {
int64_t now_ns();
// Called after each parallel region with how late its last worker started.
void note_worker_delay(int64_t delay_ns);
}  // namespace detail

// Runs body(part, parts) once on each thread of a parallel region of `threads`
// threads, or body(0, 1) on the calling thread when threads is 1, when already
// inside a parallel region, or while cores_busy().
//
// Why the last: on a machine shared with other processes, an OpenMP worker that
// spins between regions uses up its turn on the core and starts its share of the
// next region milliseconds late; a 2-thread MLP training step measured almost 200 times
// slower than on 1 thread that way. So each region notes how late its workers
// started, and after two late starts (over a millisecond, within 0.2 s) nnlab's
// regions run on the calling thread for two seconds before trying again. The results
// are the same either way: every output element is computed by one thread in one order.
template <typename Body>
void run_parallel(int threads, Body&& body) {
  if (threads <= 1 || omp_in_parallel()) {
    body(0, 1);
    return;
  }
  if (cores_busy()) {
    // The same arithmetic as in the region: there each thread's BLAS calls run on that thread
    // alone, so here too (OpenBLAS's own threads would split a product and round otherwise,
    // and a result would depend on what else the machine was doing).
    const int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    body(0, 1);
    omp_set_num_threads(saved);
    return;
  }
  const int64_t start = detail::now_ns();
  std::atomic<int64_t> last_start{start};
#pragma omp parallel num_threads(threads)
  {
    const int part = omp_get_thread_num();
    if (part != 0) {
      const int64_t now = detail::now_ns();
      int64_t seen = last_start.load(std::memory_order_relaxed);
      while (now > seen && !last_start.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
      }
    }
    body(part, omp_get_num_threads());
  }
  detail::note_worker_delay(last_start.load(std::memory_order_relaxed) - start);
}

// Calls body(begin, end) on parts of [0, n): one part per thread when n is above
// kParallelThreshold, otherwise body(0, n) directly on the calling thread.
// Deciding outside OpenMP matters: a `#pragma omp parallel for if (false)` still
// enters the OpenMP runtime and costs about 3 µs per loop here (measured), three
// times a ReLU over a 128×100 batch; and in `omp parallel for simd if (false)` the
// condition switches off the vectorisation too (Dropout over 128×100: 69 µs, 3.7 µs
// with parallel_for and `omp simd` inside the body).
template <typename Body>
void parallel_for(int64_t n, Body&& body) {
  run_parallel(n > kParallelThreshold ? num_threads() : 1,
               [&](int part, int parts) { body(n * part / parts, n * (part + 1) / parts); });
}

// The same over n items (rows, channels) that hold `elements` elements in all:
// the items are split between the threads, and the choice of one thread or all is
// made on the elements, the work there is.
template <typename Body>
void parallel_for(int64_t n, int64_t elements, Body&& body) {
  run_parallel(elements > kParallelThreshold ? num_threads() : 1,
               [&](int part, int parts) { body(n * part / parts, n * (part + 1) / parts); });
}

}  // namespace nnlab
