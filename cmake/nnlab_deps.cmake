# The libraries every build of nnlab links (the main build, the fuzz and the ThreadSanitizer
# builds), found once here. Gives NNLAB_DEPENDENCIES (to link) and OPENBLAS_INCLUDE_DIR.
find_package(OpenMP REQUIRED)
find_package(ZLIB REQUIRED)
find_package(PNG REQUIRED)
find_package(JPEG REQUIRED)
find_package(nlohmann_json 3 REQUIRED)

# The OpenMP build of OpenBLAS (Debian's libopenblas-openmp-dev), linked by its
# own path so that nnlab and BLAS share one OpenMP thread pool whatever the
# system's BLAS alternative is.
find_path(OPENBLAS_INCLUDE_DIR cblas.h PATHS /usr/include/x86_64-linux-gnu/openblas-openmp
          /usr/include/aarch64-linux-gnu/openblas-openmp /usr/include/openblas NO_DEFAULT_PATH)
find_library(OPENBLAS_LIBRARY openblas PATHS /usr/lib/x86_64-linux-gnu/openblas-openmp
             /usr/lib/aarch64-linux-gnu/openblas-openmp NO_DEFAULT_PATH)
if(NOT OPENBLAS_INCLUDE_DIR OR NOT OPENBLAS_LIBRARY)
  message(FATAL_ERROR "OpenBLAS (OpenMP build) not found: run scripts/install-deps.sh")
endif()

# libcsv (Debian's libcsv-dev): CSV tables, quoted fields and streaming.
find_path(CSV_INCLUDE_DIR csv.h)
find_library(CSV_LIBRARY csv)
if(NOT CSV_INCLUDE_DIR OR NOT CSV_LIBRARY)
  message(FATAL_ERROR "libcsv not found: run scripts/install-deps.sh")
endif()

set(NNLAB_DEPENDENCIES OpenMP::OpenMP_CXX ${OPENBLAS_LIBRARY} ZLIB::ZLIB PNG::PNG JPEG::JPEG ${CSV_LIBRARY}
                       nlohmann_json::nlohmann_json)
