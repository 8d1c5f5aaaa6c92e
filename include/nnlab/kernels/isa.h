#pragma once
// The instruction sets of the CPU, and which of them nnlab's own kernels use.
//
// The library is built for x86-64-v2 (SSE4.2; CMake's NNLAB_BASELINE), never -march=native
// unless asked (NNLAB_NATIVE): one binary runs on any x86-64 machine of the last 15 years. Its
// own hot kernels (the float GEMM of cache-sized and of wide or tall products, the sparse
// first-layer products, the one-channel convolution, BatchNorm's loops, the register transposes)
// have variants for AVX2 + FMA and for AVX-512 beside the baseline's (the GEMM's is OpenBLAS,
// the one-channel convolution's im2col + GEMM), and the variant the CPU runs is chosen once, at
// the first call (kernel_isa()). The other element-wise loops of layers and optimizers stay on
// the baseline: bound by memory, they measured no faster with AVX2 (bench/README.md).
//
// NNLAB_ISA=generic|avx2|avx512, read once at that first call, forces a lower variant (for
// testing the portable path, or comparing speeds); a level above what the CPU runs is capped
// at the CPU's. A value that is none of the three names is reported on stderr, naming the
// variable and the value, and the CPU's level is used: a kernel cannot throw, since it may run
// inside an OpenMP region. NNLAB_ISA lowers oneDNN's kernels too, unless DNNL_MAX_CPU_ISA is set
// (kernels/onednn_conv.h); OpenBLAS chooses its own (OPENBLAS_CORETYPE steers it, blas_core.h).
// `nnlab --version` prints all three choices.

#include <string>
#include <string_view>

namespace nnlab {

// Instruction-set levels, for comparing a CPU with a kernel set.
enum class IsaLevel { unknown = 0, sse = 1, avx = 2, avx2 = 3, avx512 = 4 };

// The level of this CPU: avx512 with AVX-512 F, DQ, BW and VL (what OpenBLAS's SkylakeX
// kernels use), avx2 with AVX2 and FMA, avx, else sse.
IsaLevel cpu_isa_level();
// "SSE", "AVX", "AVX2 + FMA", "AVX-512", "unknown".
std::string_view isa_level_name(IsaLevel level);

// The variants of nnlab's own kernels, each needing the instructions of the one before.
//   generic: the build's baseline (x86-64-v2: SSE4.2, POPCNT);
//   avx2:    AVX2 and FMA (Haswell, Zen and later);
//   avx512:  AVX-512 F, DQ, BW and VL (Skylake-SP, Zen 4 and later).
enum class KernelIsa { generic = 0, avx2 = 1, avx512 = 2 };

// "generic", "avx2", "avx512": the names NNLAB_ISA takes.
std::string_view kernel_isa_name(KernelIsa isa);
// The best variant a CPU of `level` runs.
KernelIsa kernel_isa_for(IsaLevel level);

struct KernelIsaChoice {
  KernelIsa isa = KernelIsa::generic;
  // NNLAB_ISA named the variant (perhaps capped at the CPU's), rather than the CPU's features.
  bool forced = false;
  // Non-empty when NNLAB_ISA was not taken as it stands: not a variant's name, or above the CPU.
  std::string warning;
};

// What NNLAB_ISA = `value` (nullptr or "" when it is not set) chooses on a CPU of `cpu`.
KernelIsaChoice choose_kernel_isa(const char* value, IsaLevel cpu);

// The choice for this process: made once, at the first call, from NNLAB_ISA and
// cpu_isa_level(), then fixed (a warning goes to stderr then, once).
const KernelIsaChoice& kernel_isa_choice();
inline KernelIsa kernel_isa() { return kernel_isa_choice().isa; }

}  // namespace nnlab
