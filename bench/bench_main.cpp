// The entry point of nnlab_bench: every bench/*.cpp registers its benchmarks.

#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
