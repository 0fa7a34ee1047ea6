# Generates lactsim/version.hpp with the project version and the git commit, refreshed
# at every build (not only at configure time) so provenance in summary.json is current.
set(LACTSIM_GENERATED_DIR ${CMAKE_BINARY_DIR}/generated)
add_custom_target(lactsim_build_info
  COMMAND ${CMAKE_COMMAND}
          -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
          -DOUTPUT=${LACTSIM_GENERATED_DIR}/lactsim/version.hpp
          -DVERSION=${PROJECT_VERSION}
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteBuildInfo.cmake
  BYPRODUCTS ${LACTSIM_GENERATED_DIR}/lactsim/version.hpp
  COMMENT "Recording lactsim version and git commit"
  VERBATIM)
