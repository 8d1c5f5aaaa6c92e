#pragma once
// Which kernels OpenBLAS runs, and whether the CPU could run better ones.
//
// OpenBLAS (Debian builds it with DYNAMIC_ARCH) picks its kernels once, when it is loaded,
// from its own table of CPUs. A CPU newer than that table gets a generic fallback: Debian
// 12's OpenBLAS 0.3.21 runs its Prescott (SSE3) kernels on current Xeons, at a quarter of
// their AVX-512 speed (SGEMM 2048³: 19 GFLOP/s instead of 80). The environment variable
// OPENBLAS_CORETYPE, read at load time, overrides the choice; the nnlab tool sets it and
// starts itself again when the kernels are below what the CPU can run (see better_blas_core).

#include <string>
#include <string_view>

#include "nnlab/kernels/isa.h"  // IsaLevel, cpu_isa_level()

namespace nnlab {

// The level of an OpenBLAS kernel set by its name ("Prescott": sse, "Haswell" and "Zen":
// avx2, "SkylakeX": avx512); unknown for a name it does not know.
IsaLevel blas_core_level(std::string_view core);
// The OpenBLAS kernel set for a CPU of `level`: "SkylakeX", "Haswell", "Sandybridge", or "".
std::string blas_core_for(IsaLevel level);

// The kernel set the loaded OpenBLAS runs ("Haswell", "Zen", "Prescott", ...).
std::string blas_core();
// The kernel set to ask for with OPENBLAS_CORETYPE when the loaded one is below what the CPU
// runs (`core` for `cpu`), or "" when it fits or is unknown. Named kernel sets of other
// vendors at the same level (Zen for AVX2) count as fitting.
std::string better_blas_core(std::string_view core, IsaLevel cpu);

}  // namespace nnlab
