# `cmake --install`: the command line, the libraries with their public headers, a CMake
# package (find_package(lactsim) gives the targets lactsim::<name>, e.g. lactsim::engine)
# and, when built, the Python package (python/CMakeLists.txt installs it).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(LACTSIM_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/lactsim)

# lactsim_install_libraries(TARGETS t...): installs each library `lactsim_<name>` as
# lactsim::<name> with the headers of its include/ folders. A target's include folders
# are its build-tree include path only; installed, consumers use <prefix>/include.
function(lactsim_install_libraries)
  cmake_parse_arguments(ARG "" "" "TARGETS" ${ARGN})
  foreach(target IN LISTS ARG_TARGETS)
    string(REGEX REPLACE "^lactsim_" "" export_name ${target})
    set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name})
    get_target_property(include_dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
    set(interface_dirs "")
    foreach(dir IN LISTS include_dirs)
      if(dir MATCHES "^\\$<" OR NOT IS_ABSOLUTE "${dir}")
        list(APPEND interface_dirs "${dir}")  # already a generator expression
      else()
        list(APPEND interface_dirs "$<BUILD_INTERFACE:${dir}>")
        # An include/ folder is installed whole; a library folder on the include path (engine/,
        # for engine/solvers/) only with the headers outside its include/ and src/ folders.
        if(dir MATCHES "/include$")
          install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development
                  FILES_MATCHING PATTERN "*.hpp")
        else()
          install(DIRECTORY ${dir}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development
                  FILES_MATCHING PATTERN "*.hpp" PATTERN "include" EXCLUDE PATTERN "src" EXCLUDE)
        endif()
      endif()
    endforeach()
    list(APPEND interface_dirs "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
    set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${interface_dirs}")
  endforeach()
  # lactsim_toml and lactsim_warnings are linked privately; a static library still names them
  # (link-only) in its export, so they are exported too (consumers get no compile options).
  install(TARGETS ${ARG_TARGETS} lactsim_toml lactsim_warnings
          EXPORT lactsimTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development)
  install(EXPORT lactsimTargets NAMESPACE lactsim:: DESTINATION ${LACTSIM_CMAKE_INSTALL_DIR}
          COMPONENT development)
endfunction()

set_target_properties(lactsim_toml PROPERTIES EXPORT_NAME toml)
set_target_properties(lactsim_warnings PROPERTIES EXPORT_NAME warnings)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/lactsimConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/lactsimConfig.cmake
                              INSTALL_DESTINATION ${LACTSIM_CMAKE_INSTALL_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/lactsimConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/lactsimConfig.cmake ${CMAKE_BINARY_DIR}/lactsimConfigVersion.cmake
        DESTINATION ${LACTSIM_CMAKE_INSTALL_DIR} COMPONENT development)
