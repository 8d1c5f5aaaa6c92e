// The machine's FMA peak, measured: every thread runs independent chains of fused multiply-adds
// on the widest vectors the CPU has (AVX-512, else AVX2 + FMA, else SSE2 multiply and add), ten
// chains per thread, enough to cover the FMA latency on every x86-64 core of the last decade. The
// "flops" counter (FLOP/s of all threads) is what bench/table.py divides each row's rate by.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "nnlab/kernels/threads.h"

namespace {

constexpr int kChains = 10;
constexpr int64_t kRounds = 1 << 20;

template <int Bytes>
struct Lanes {
  typedef float type __attribute__((vector_size(Bytes)));
};

// kRounds rounds of kChains vector FMAs; returns the FLOPs done (2 per lane per FMA). Inlined
// into each variant below, so that it is compiled for that variant's instructions.
template <int Bytes>
__attribute__((always_inline)) inline double chains(float seed) {
  using V = typename Lanes<Bytes>::type;
  V acc[kChains];
  const V a = V{} + 0.999999f, b = V{} + 1e-7f * seed;
  for (int c = 0; c < kChains; ++c) acc[c] = V{} + seed * static_cast<float>(c);
  for (int64_t r = 0; r < kRounds; ++r) {
#pragma GCC unroll 16
    for (int c = 0; c < kChains; ++c) acc[c] = acc[c] * a + b;
  }
  float sum = 0;
  for (int c = 0; c < kChains; ++c) sum += acc[c][0];
  benchmark::DoNotOptimize(sum);
  return 2.0 * kChains * kRounds * (Bytes / 4);
}

__attribute__((target("avx512f"))) double chains_avx512(float seed) { return chains<64>(seed); }
__attribute__((target("avx2,fma"))) double chains_avx2(float seed) { return chains<32>(seed); }
double chains_sse(float seed) { return chains<16>(seed); }

double run_chains(float seed) {
  if (__builtin_cpu_supports("avx512f")) return chains_avx512(seed);
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return chains_avx2(seed);
  return chains_sse(seed);
}

void fma_peak(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  double flops = 0;
  for (auto _ : state) {
    std::vector<double> done(static_cast<size_t>(threads));
    nnlab::run_parallel(threads, [&](int part, int) { done[static_cast<size_t>(part)] = run_chains(1.0f + part); });
    for (double d : done) flops += d;
  }
  state.counters["flops"] = benchmark::Counter(flops, benchmark::Counter::kIsRate);
}

BENCHMARK(fma_peak)->Arg(1)->Arg(2)->UseRealTime()->MinTime(0.5)->Unit(benchmark::kMillisecond);

}  // namespace
