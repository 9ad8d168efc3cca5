# Install rules, included from the top-level CMakeLists.txt when SCRUBTEXT_INSTALL is on.
#
#   cmake --install build --prefix /opt/scrubtext     # any prefix; everything is relocatable
#
# bin/scrubtext                          the command (links the static library: no runtime lookup)
# include/scrubtext.h                    the C API
# include/scrubtext/*.h                  the C++ API (version.h generated)
# lib/libscrubtext.so.0.1 (+ links)      shared library, SONAME libscrubtext.so.0.1
# lib/libscrubtext.a                     static library
# lib/cmake/scrubtext/                   find_package(scrubtext CONFIG): scrubtext::scrubtext (shared),
#                                        scrubtext::scrubtext_static
# lib/pkgconfig/scrubtext.pc             pkg-config --cflags --libs [--static] scrubtext
# share/man/man1/scrubtext.1             man scrubtext
# share/doc/scrubtext/                   README, CHANGELOG, html/ (API reference, when Doxygen ran)
include(CMakePackageConfigHelpers)

set(SCRUBTEXT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/scrubtext)

install(TARGETS scrubtext_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(TARGETS scrubtext_shared EXPORT scrubtext-targets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS scrubtext EXPORT scrubtext-static-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/scrubtext DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/generated/scrubtext/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/scrubtext)
install(FILES ${PROJECT_SOURCE_DIR}/include/scrubtext.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# CMake package. The shared and the static targets are exported separately so that a user of
# the shared library needs none of the static library's private dependencies (see the
# config file).
install(EXPORT scrubtext-targets NAMESPACE scrubtext:: FILE scrubtext-targets.cmake
        DESTINATION ${SCRUBTEXT_CMAKE_DIR})
install(EXPORT scrubtext-static-targets NAMESPACE scrubtext:: FILE scrubtext-static-targets.cmake
        DESTINATION ${SCRUBTEXT_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/scrubtext-config.cmake.in
                              ${PROJECT_BINARY_DIR}/package/scrubtext-config.cmake
                              INSTALL_DESTINATION ${SCRUBTEXT_CMAKE_DIR})
# Semantic versioning: while the major version is 0 a minor release may break the API, so a
# request for 0.1 accepts 0.1.x only; from 1.0 on, any later release of the same major.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_scrubtext_compat SameMinorVersion)
else()
  set(_scrubtext_compat SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/scrubtext-config-version.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY ${_scrubtext_compat})
install(FILES ${PROJECT_BINARY_DIR}/package/scrubtext-config.cmake
              ${PROJECT_BINARY_DIR}/package/scrubtext-config-version.cmake
        DESTINATION ${SCRUBTEXT_CMAKE_DIR})

# pkg-config. Paths are relative to the .pc file itself (${pcfiledir}), so the installed tree
# can be moved; absolute install directories are written as they are.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(SCRUBTEXT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(SCRUBTEXT_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _scrubtext_up "/_/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/_")
  string(REGEX REPLACE "/$" "" _scrubtext_up "${_scrubtext_up}")
  set(SCRUBTEXT_PC_PREFIX "\${pcfiledir}/${_scrubtext_up}")
  set(SCRUBTEXT_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(SCRUBTEXT_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(SCRUBTEXT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/scrubtext.pc.in ${PROJECT_BINARY_DIR}/package/scrubtext.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/scrubtext.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Documentation: the man page, the project's notes and the API reference.
configure_file(${PROJECT_SOURCE_DIR}/docs/scrubtext.1 ${PROJECT_BINARY_DIR}/docs/scrubtext.1 @ONLY)  # the version
install(FILES ${PROJECT_BINARY_DIR}/docs/scrubtext.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
if(TARGET scrubtext_docs)
  install(DIRECTORY ${PROJECT_BINARY_DIR}/docs/html DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()
