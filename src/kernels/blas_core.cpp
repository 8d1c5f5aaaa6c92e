#include "nnlab/kernels/blas_core.h"

#include <array>
#include <utility>

extern "C" char* openblas_get_corename(void);

namespace nnlab {

IsaLevel blas_core_level(std::string_view core) {
  // OpenBLAS 0.3.21's x86-64 kernel sets (driver/others/dynamic.c), by the instructions they use.
  static constexpr std::array<std::pair<std::string_view, IsaLevel>, 26> kCores = {{
      {"Katmai", IsaLevel::sse},        {"Coppermine", IsaLevel::sse},
      {"Northwood", IsaLevel::sse},     {"Banias", IsaLevel::sse},
      {"Athlon", IsaLevel::sse},        {"Prescott", IsaLevel::sse},
      {"Core2", IsaLevel::sse},         {"Penryn", IsaLevel::sse},
      {"Dunnington", IsaLevel::sse},    {"Nehalem", IsaLevel::sse},
      {"Atom", IsaLevel::sse},          {"Opteron", IsaLevel::sse},
      {"Opteron(SSE3)", IsaLevel::sse}, {"Barcelona", IsaLevel::sse},
      {"Nano", IsaLevel::sse},          {"Bobcat", IsaLevel::sse},
      {"Sandybridge", IsaLevel::avx},   {"Bulldozer", IsaLevel::avx},
      {"Piledriver", IsaLevel::avx},    {"Steamroller", IsaLevel::avx},
      {"Excavator", IsaLevel::avx2},    {"Haswell", IsaLevel::avx2},
      {"Zen", IsaLevel::avx2},          {"SkylakeX", IsaLevel::avx512},
      {"Cooperlake", IsaLevel::avx512}, {"SapphireRapids", IsaLevel::avx512},
  }};
  for (const auto& [name, level] : kCores) {
    if (name == core) return level;
  }
  return IsaLevel::unknown;
}

std::string blas_core_for(IsaLevel level) {
  switch (level) {
    case IsaLevel::avx512:
      return "SkylakeX";
    case IsaLevel::avx2:
      return "Haswell";
    case IsaLevel::avx:
      return "Sandybridge";
    default:
      return "";
  }
}

std::string blas_core() {
  const char* name = openblas_get_corename();
  return name == nullptr ? "" : name;
}

std::string better_blas_core(std::string_view core, IsaLevel cpu) {
  const IsaLevel have = blas_core_level(core);
  if (have == IsaLevel::unknown || static_cast<int>(have) >= static_cast<int>(cpu)) return "";
  return blas_core_for(cpu);
}

}  // namespace nnlab
