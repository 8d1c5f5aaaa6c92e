#pragma once

// Where the data that ships with nnlab lies: the MNIST sample (mnist/) and the small tables
// (tables/). No path of the source or build tree is compiled into the library; it looks for a
// folder share/nnlab/data beside the program and the library, as an installed prefix has it:
//   1. relative to the file the library's code was loaded from (libnnlab.so, or the program
//      that links libnnlab.a, or Python's extension module) and to the running program:
//      DIR/share/nnlab/data, DIR/../share/nnlab/data, DIR/../../share/nnlab/data
//      (PREFIX/bin, PREFIX/lib, PREFIX/lib/x86_64-linux-gnu; a build folder has a link
//      build/share/nnlab/data to the source's data/);
//   2. the data folder of the prefix the library was configured for
//      (CMAKE_INSTALL_PREFIX/share/nnlab/data), for a program anywhere that links it statically.
// $NNLAB_DATA (an MNIST folder) and $NNLAB_TABLES (a tables folder) override it.

#include <string>
#include <vector>

namespace nnlab {

// The candidates above, in the order they are tried (absolute paths).
std::vector<std::string> bundled_data_candidates();

// The first candidate that holds mnist/; throws std::runtime_error listing where it looked.
std::string bundled_data_folder();

}  // namespace nnlab
