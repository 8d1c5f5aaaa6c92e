#pragma once
// Files written whole or not at all: the contents go to a temporary file in the
// same folder, which is flushed to disk and then renamed over the target.
// A crash or an error mid-way leaves the old file (or none), never half a file.

#include <string>
#include <string_view>

namespace nnlab {

// Throws std::runtime_error naming the path when the file cannot be written.
void write_file_atomic(const std::string& path, std::string_view contents);

// Creates the folder and its parents if missing; throws std::runtime_error naming it on failure.
void make_folders(const std::string& path);

}  // namespace nnlab
