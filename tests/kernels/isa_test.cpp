// The choice of nnlab's kernel variants: from the CPU's level, lowered by NNLAB_ISA, never
// above what the CPU runs, with a warning naming the variable for a value it does not know.

#include "nnlab/kernels/isa.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "nnlab/kernels/onednn_conv.h"

namespace nnlab {
namespace {

TEST(KernelIsa, TheCpusLevelGivesItsBestVariant) {
  EXPECT_EQ(kernel_isa_for(IsaLevel::avx512), KernelIsa::avx512);
  EXPECT_EQ(kernel_isa_for(IsaLevel::avx2), KernelIsa::avx2);
  EXPECT_EQ(kernel_isa_for(IsaLevel::avx), KernelIsa::generic);
  EXPECT_EQ(kernel_isa_for(IsaLevel::sse), KernelIsa::generic);
  EXPECT_EQ(kernel_isa_for(IsaLevel::unknown), KernelIsa::generic);
  EXPECT_EQ(kernel_isa_name(KernelIsa::generic), "generic");
  EXPECT_EQ(kernel_isa_name(KernelIsa::avx2), "avx2");
  EXPECT_EQ(kernel_isa_name(KernelIsa::avx512), "avx512");
  EXPECT_EQ(isa_level_name(IsaLevel::avx2), "AVX2 + FMA");
}

TEST(KernelIsa, UnsetOrEmptyTakesTheCpusVariant) {
  for (const char* value : {static_cast<const char*>(nullptr), ""}) {
    const KernelIsaChoice choice = choose_kernel_isa(value, IsaLevel::avx512);
    EXPECT_EQ(choice.isa, KernelIsa::avx512);
    EXPECT_FALSE(choice.forced);
    EXPECT_EQ(choice.warning, "");
  }
  EXPECT_EQ(choose_kernel_isa(nullptr, IsaLevel::avx).isa, KernelIsa::generic);
}

TEST(KernelIsa, NnlabIsaLowersTheVariant) {
  const KernelIsaChoice generic = choose_kernel_isa("generic", IsaLevel::avx512);
  EXPECT_EQ(generic.isa, KernelIsa::generic);
  EXPECT_TRUE(generic.forced);
  EXPECT_EQ(generic.warning, "");
  EXPECT_EQ(choose_kernel_isa("avx2", IsaLevel::avx512).isa, KernelIsa::avx2);
  EXPECT_EQ(choose_kernel_isa("avx2", IsaLevel::avx2).isa, KernelIsa::avx2);
  EXPECT_TRUE(choose_kernel_isa("avx2", IsaLevel::avx2).forced);
  EXPECT_EQ(choose_kernel_isa("generic", IsaLevel::sse).isa, KernelIsa::generic);
}

TEST(KernelIsa, NnlabIsaNeverRaisesTheVariantAboveTheCpu) {
  const KernelIsaChoice capped = choose_kernel_isa("avx512", IsaLevel::avx2);
  EXPECT_EQ(capped.isa, KernelIsa::avx2);
  EXPECT_EQ(capped.warning, "NNLAB_ISA=avx512 asks for more than this CPU runs (AVX2 + FMA): using avx2");
  EXPECT_EQ(choose_kernel_isa("avx2", IsaLevel::avx).isa, KernelIsa::generic);
}

TEST(KernelIsa, AValueItDoesNotKnowIsNamedAndTheCpusVariantUsed) {
  const KernelIsaChoice bad = choose_kernel_isa("AVX2", IsaLevel::avx2);
  EXPECT_EQ(bad.isa, KernelIsa::avx2);
  EXPECT_FALSE(bad.forced);
  EXPECT_EQ(bad.warning, "NNLAB_ISA=AVX2 is not one of generic, avx2, avx512: using this CPU's kernels, avx2");
  EXPECT_EQ(choose_kernel_isa("sse", IsaLevel::avx512).isa, KernelIsa::avx512);
}

// This process's choice is NNLAB_ISA's: ctest runs the layer and kernel tests again with
// NNLAB_ISA=generic (the *_generic entries), and there the portable kernels must be the ones in use.
TEST(KernelIsa, ThisProcessTakesNnlabIsa) {
  const char* value = std::getenv("NNLAB_ISA");
  const KernelIsaChoice expected = choose_kernel_isa(value, cpu_isa_level());
  EXPECT_EQ(kernel_isa(), expected.isa);
  EXPECT_EQ(kernel_isa_choice().forced, expected.forced);
  if (value != nullptr && std::string(value) == "generic") {
    EXPECT_EQ(kernel_isa(), KernelIsa::generic);
    EXPECT_TRUE(kernel_isa_choice().forced);
  }
  if (value == nullptr) {
    EXPECT_EQ(kernel_isa(), kernel_isa_for(cpu_isa_level()));
  }
}

// oneDNN's kernels follow NNLAB_ISA down (unless DNNL_MAX_CPU_ISA says otherwise).
TEST(KernelIsa, OneDnnFollowsNnlabIsa) {
  if (!onednn_available()) {
    EXPECT_EQ(onednn_kernels(), "");
    return;
  }
  const std::string kernels = onednn_kernels();
  if (std::getenv("DNNL_MAX_CPU_ISA") != nullptr) return;  // the user's choice for oneDNN
  switch (kernel_isa()) {
    case KernelIsa::generic:
      if (kernel_isa_choice().forced) {
        EXPECT_EQ(kernels, "sse41");
      }
      break;
    case KernelIsa::avx2:
      EXPECT_EQ(kernels.rfind("avx2", 0), 0u) << kernels;
      break;
    case KernelIsa::avx512:
      EXPECT_EQ(kernels.rfind("avx512", 0), 0u) << kernels;
      break;
  }
}

}  // namespace
}  // namespace nnlab
