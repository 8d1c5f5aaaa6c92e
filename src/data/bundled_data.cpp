#include "nnlab/data/bundled_data.h"

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace nnlab {

namespace {

namespace fs = std::filesystem;

// The file this function's code was loaded from: libnnlab.so, or the executable or extension
// module that libnnlab.a is linked into.
fs::path library_file() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&library_file), &info) == 0 || info.dli_fname == nullptr) return {};
  std::error_code error;
  const fs::path path = fs::weakly_canonical(fs::absolute(info.dli_fname, error), error);
  return error ? fs::path() : path;
}

fs::path program_file() {
  std::error_code error;
  const fs::path path = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path() : path;
}

void add_near(std::vector<std::string>& candidates, const fs::path& file) {
  if (file.empty()) return;
  fs::path dir = file.parent_path();
  for (int up = 0; up < 3 && !dir.empty(); ++up) {
    const std::string candidate = (dir / "share" / "nnlab" / "data").lexically_normal().string();
    if (std::find(candidates.begin(), candidates.end(), candidate) == candidates.end()) {
      candidates.push_back(candidate);
    }
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
}

}  // namespace

std::vector<std::string> bundled_data_candidates() {
  std::vector<std::string> candidates;
  add_near(candidates, library_file());
  add_near(candidates, program_file());
#ifdef NNLAB_INSTALL_DATADIR
  const std::string installed = NNLAB_INSTALL_DATADIR;
  if (std::find(candidates.begin(), candidates.end(), installed) == candidates.end()) candidates.push_back(installed);
#endif
  return candidates;
}

std::string bundled_data_folder() {
  const std::vector<std::string> candidates = bundled_data_candidates();
  for (const std::string& candidate : candidates) {
    std::error_code error;
    if (fs::is_directory(fs::path(candidate) / "mnist", error)) return candidate;
  }
  std::string tried;
  for (const std::string& candidate : candidates) tried += (tried.empty() ? "" : ", ") + candidate;
  throw std::runtime_error("nnlab's bundled data (share/nnlab/data with mnist/ and tables/) was not found; looked in " +
                           tried +
                           ". Install nnlab (cmake --install), or set NNLAB_DATA to an MNIST folder and "
                           "NNLAB_TABLES to a folder of tables");
}

}  // namespace nnlab
