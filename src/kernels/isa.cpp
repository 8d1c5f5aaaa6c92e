#include "nnlab/kernels/isa.h"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace nnlab {

IsaLevel cpu_isa_level() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl"))
    return IsaLevel::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return IsaLevel::avx2;
  if (__builtin_cpu_supports("avx")) return IsaLevel::avx;
  return IsaLevel::sse;
}

std::string_view isa_level_name(IsaLevel level) {
  switch (level) {
    case IsaLevel::sse:
      return "SSE";
    case IsaLevel::avx:
      return "AVX";
    case IsaLevel::avx2:
      return "AVX2 + FMA";
    case IsaLevel::avx512:
      return "AVX-512";
    default:
      return "unknown";
  }
}

namespace {
constexpr std::array<KernelIsa, 3> kKernelIsas{KernelIsa::generic, KernelIsa::avx2, KernelIsa::avx512};
}  // namespace

std::string_view kernel_isa_name(KernelIsa isa) {
  switch (isa) {
    case KernelIsa::avx2:
      return "avx2";
    case KernelIsa::avx512:
      return "avx512";
    default:
      return "generic";
  }
}

KernelIsa kernel_isa_for(IsaLevel level) {
  if (level == IsaLevel::avx512) return KernelIsa::avx512;
  if (level == IsaLevel::avx2) return KernelIsa::avx2;
  return KernelIsa::generic;
}

KernelIsaChoice choose_kernel_isa(const char* value, IsaLevel cpu) {
  const KernelIsa best = kernel_isa_for(cpu);
  KernelIsaChoice choice;
  choice.isa = best;
  if (value == nullptr || *value == '\0') return choice;
  const std::string_view asked(value);
  for (const KernelIsa isa : kKernelIsas) {
    if (kernel_isa_name(isa) != asked) continue;
    choice.forced = true;
    if (static_cast<int>(isa) > static_cast<int>(best)) {
      choice.warning = "NNLAB_ISA=" + std::string(asked) + " asks for more than this CPU runs (" +
                       std::string(isa_level_name(cpu)) + "): using " + std::string(kernel_isa_name(best));
    } else {
      choice.isa = isa;
    }
    return choice;
  }
  choice.warning = "NNLAB_ISA=" + std::string(asked) +
                   " is not one of generic, avx2, avx512: using this CPU's kernels, " +
                   std::string(kernel_isa_name(best));
  return choice;
}

const KernelIsaChoice& kernel_isa_choice() {
  static const KernelIsaChoice choice = [] {
    KernelIsaChoice made = choose_kernel_isa(std::getenv("NNLAB_ISA"), cpu_isa_level());
    if (!made.warning.empty()) std::fprintf(stderr, "nnlab: warning: %s\n", made.warning.c_str());
    return made;
  }();
  return choice;
}

}  // namespace nnlab
