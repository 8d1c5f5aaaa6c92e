#include "nnlab/tensor/checked_size.h"

#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace nnlab {

int64_t checked_mul(int64_t a, int64_t b, const std::string& what) {
  int64_t product = 0;
  if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &product)) {
    throw std::invalid_argument(what + " is too large: " + std::to_string(a) + " x " + std::to_string(b) +
                                " does not fit in 64 bits");
  }
  return product;
}

int64_t checked_add(int64_t a, int64_t b, const std::string& what) {
  int64_t sum = 0;
  if (a < 0 || b < 0 || __builtin_add_overflow(a, b, &sum)) {
    throw std::invalid_argument(what + " is too large: " + std::to_string(a) + " + " + std::to_string(b) +
                                " does not fit in 64 bits");
  }
  return sum;
}

uint64_t physical_memory_bytes() {
  static const uint64_t bytes = [] {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page_size = sysconf(_SC_PAGESIZE);
    // Unknown: no limit beyond what the allocator says.
    if (pages <= 0 || page_size <= 0) return uint64_t{1} << 62;
    return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
  }();
  return bytes;
}

std::string byte_text(double bytes) {
  char text[32];
  if (bytes >= 1e9) {
    std::snprintf(text, sizeof(text), "%.1f GB", bytes / 1e9);
  } else if (bytes >= 1e6) {
    std::snprintf(text, sizeof(text), "%.1f MB", bytes / 1e6);
  } else {
    std::snprintf(text, sizeof(text), "%.0f bytes", bytes);
  }
  return text;
}

void check_allocation(int64_t elements, size_t element_size, const std::string& what) {
  const double bytes = static_cast<double>(elements) * static_cast<double>(element_size);
  if (bytes > static_cast<double>(physical_memory_bytes())) {
    throw std::invalid_argument(what + " needs " + byte_text(bytes) + ", more than this machine's " +
                                byte_text(static_cast<double>(physical_memory_bytes())) + " of memory");
  }
}

}  // namespace nnlab
