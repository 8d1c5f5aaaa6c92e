#pragma once
// A std::allocator that places every block on a 64-byte boundary (a cache line,
// and one AVX-512 register), so that vector loads of whole rows never straddle
// two cache lines. malloc gives only 16 bytes, and large blocks then start
// 16 bytes past a page boundary.

#include <cstddef>
#include <new>

namespace nnlab {

inline constexpr std::size_t kCacheLine = 64;

template <typename T>
struct AlignedAllocator {
  using value_type = T;

  AlignedAllocator() noexcept = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{kCacheLine}));
  }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t{kCacheLine}); }

  template <typename U>
  bool operator==(const AlignedAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace nnlab
