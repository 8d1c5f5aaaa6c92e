#include "nnlab/kernels/blas_core.h"

#include <gtest/gtest.h>

namespace nnlab {
namespace {

TEST(BlasCore, KnowsTheLevelOfOpenBlasKernelSets) {
  EXPECT_EQ(blas_core_level("Prescott"), IsaLevel::sse);
  EXPECT_EQ(blas_core_level("Nehalem"), IsaLevel::sse);
  EXPECT_EQ(blas_core_level("Sandybridge"), IsaLevel::avx);
  EXPECT_EQ(blas_core_level("Haswell"), IsaLevel::avx2);
  EXPECT_EQ(blas_core_level("Zen"), IsaLevel::avx2);
  EXPECT_EQ(blas_core_level("SkylakeX"), IsaLevel::avx512);
  EXPECT_EQ(blas_core_level("Cooperlake"), IsaLevel::avx512);
  EXPECT_EQ(blas_core_level("haswell"), IsaLevel::unknown);  // OpenBLAS's own spelling only
  EXPECT_EQ(blas_core_level(""), IsaLevel::unknown);
}

TEST(BlasCore, AsksForBetterKernelsOnlyWhenTheChosenOnesAreBelowTheCpu) {
  // Debian's 0.3.21 on a Sapphire Rapids Xeon, and on a CPU it does not know with AVX2.
  EXPECT_EQ(better_blas_core("Prescott", IsaLevel::avx512), "SkylakeX");
  EXPECT_EQ(better_blas_core("Prescott", IsaLevel::avx2), "Haswell");
  EXPECT_EQ(better_blas_core("Haswell", IsaLevel::avx512), "SkylakeX");
  EXPECT_EQ(better_blas_core("Nehalem", IsaLevel::avx), "Sandybridge");
  // Kernels that fit the CPU, or a name nnlab does not know: left as they are.
  EXPECT_EQ(better_blas_core("Zen", IsaLevel::avx2), "");
  EXPECT_EQ(better_blas_core("SkylakeX", IsaLevel::avx512), "");
  EXPECT_EQ(better_blas_core("Prescott", IsaLevel::sse), "");
  EXPECT_EQ(better_blas_core("SomeFutureCore", IsaLevel::avx512), "");
}

TEST(BlasCore, TheLoadedKernelsFitThisCpu) {
  // The loaded OpenBLAS runs a kernel set nnlab knows, so the tool can judge it.
  const std::string core = blas_core();
  ASSERT_NE(blas_core_level(core), IsaLevel::unknown) << core;
  EXPECT_GE(static_cast<int>(cpu_isa_level()), static_cast<int>(IsaLevel::sse));
  EXPECT_EQ(blas_core_for(IsaLevel::unknown), "");
}

}  // namespace
}  // namespace nnlab
