#pragma once
// Sizes computed from untrusted numbers (a model spec, a file header) are
// multiplied here, where an overflow is an error instead of a wrapped value that
// later sizes a buffer too small. Allocations larger than the machine's memory
// are refused with a message before they are tried.

#include <cstddef>
#include <cstdint>
#include <string>

namespace nnlab {

// a·b and a + b for sizes ≥ 0; throw std::invalid_argument naming `what` when the
// result does not fit in int64_t.
int64_t checked_mul(int64_t a, int64_t b, const std::string& what);
int64_t checked_add(int64_t a, int64_t b, const std::string& what);

// The machine's physical memory in bytes (sysconf), read once.
uint64_t physical_memory_bytes();

// "31.4 GB"
std::string byte_text(double bytes);

// Throws std::invalid_argument when `elements` values of `element_size` bytes
// would take more than the machine's physical memory; `what` names the tensor.
void check_allocation(int64_t elements, size_t element_size, const std::string& what);

}  // namespace nnlab
