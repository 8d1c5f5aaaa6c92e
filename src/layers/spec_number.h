#pragma once
// The shortest text that reads back as the same double ("1e-05", "0.1"), for
// layer options written into a model spec (a saved model is rebuilt from it).

#include <charconv>
#include <string>

namespace nnlab::detail {

inline std::string spec_number(double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof(text), value);
  return std::string(text, result.ptr);
}

}  // namespace nnlab::detail
