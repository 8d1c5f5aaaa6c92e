#pragma once
// Regions of code compiled for one of the kernel variants of nnlab/kernels/isa.h, whatever
// the flags of the build (plain x86-64 by default):
//
//   NNLAB_BEGIN_AVX2      // every function defined from here on may use AVX2 and FMA
//   namespace avx2 { ... }
//   NNLAB_END_TARGET
//
// Code in such a region runs only after kernel_isa() said the CPU has those instructions. It
// goes in a namespace of its own (avx2, avx512): a function compiled for AVX-512 must never
// share a name, and so a linker's choice, with one that runs everywhere. The headers it uses
// are included before the region, so that their inline functions stay compiled for the
// baseline. GCC applies the region to templates and lambdas defined in it; clang (the fuzz
// build) does the same with `#pragma clang attribute`.

#define NNLAB_PRAGMA(text) _Pragma(#text)

#if defined(__clang__)
#define NNLAB_BEGIN_TARGET(features) \
  NNLAB_PRAGMA(clang attribute push(__attribute__((target(features))), apply_to = function))
#define NNLAB_END_TARGET NNLAB_PRAGMA(clang attribute pop)
#else
#define NNLAB_BEGIN_TARGET(features) NNLAB_PRAGMA(GCC push_options) NNLAB_PRAGMA(GCC target(features))
#define NNLAB_END_TARGET NNLAB_PRAGMA(GCC pop_options)
#endif

// KernelIsa::avx2: what cpu_isa_level() checks for IsaLevel::avx2.
#define NNLAB_BEGIN_AVX2 NNLAB_BEGIN_TARGET("avx2,fma")
// KernelIsa::avx512: AVX-512 F, DQ, BW and VL, as cpu_isa_level() checks for IsaLevel::avx512.
#define NNLAB_BEGIN_AVX512 NNLAB_BEGIN_TARGET("avx2,fma,avx512f,avx512dq,avx512bw,avx512vl")
