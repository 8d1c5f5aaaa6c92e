# `cmake --install build --prefix PREFIX` (or `make install PREFIX=...`) puts into PREFIX:
#   include/nnlab/...                    the headers
#   lib/libnnlab.a, lib/libnnlab.so      the static and the shared library
#   lib/cmake/nnlab/                     find_package(nnlab): nnlab::nnlab (static), nnlab::shared
#   lib/pkgconfig/nnlab.pc               pkg-config --cflags --libs nnlab (the shared library)
#   bin/nnlab                            the tool
#   share/nnlab/data                     the bundled MNIST sample and tables (data/bundled_data.h)
# No path of the source or build tree goes in: the package files locate the prefix from their
# own place, and the library finds its data relative to itself.
include(CMakePackageConfigHelpers)
set(NNLAB_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/nnlab)

# OpenBLAS's OpenMP build lies outside the loader's default path: the installed tool and
# libnnlab.so find it through their RUNPATH (the directories of what they link).
set_target_properties(nnlab_cli nnlab_shared PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
set_target_properties(nnlab_shared PROPERTIES EXPORT_NAME shared)

install(TARGETS nnlab nnlab_shared EXPORT nnlabTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS nnlab_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/nnlab DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY data/ DESTINATION ${CMAKE_INSTALL_DATADIR}/nnlab/data)

install(EXPORT nnlabTargets NAMESPACE nnlab:: DESTINATION ${NNLAB_CMAKE_DIR})
configure_package_config_file(cmake/nnlabConfig.cmake.in ${CMAKE_BINARY_DIR}/nnlabConfig.cmake
                              INSTALL_DESTINATION ${NNLAB_CMAKE_DIR} PATH_VARS CMAKE_INSTALL_DATADIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/nnlabConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/nnlabConfig.cmake ${CMAKE_BINARY_DIR}/nnlabConfigVersion.cmake
        DESTINATION ${NNLAB_CMAKE_DIR})

# pkg-config: the prefix is found from the .pc file's own folder (${pcfiledir}).
file(RELATIVE_PATH NNLAB_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
get_filename_component(NNLAB_OPENBLAS_DIR ${OPENBLAS_LIBRARY} DIRECTORY)
configure_file(cmake/nnlab.pc.in ${CMAKE_BINARY_DIR}/nnlab.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/nnlab.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
