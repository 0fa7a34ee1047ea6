# Finds what the Python package needs: an interpreter with its development headers and
# pybind11 (Debian: python3-dev, pybind11-dev; NumPy, python3-numpy, is needed at run time).
# Sets LACTSIM_PYTHON_ENABLED, and LACTSIM_PYTHON_INSTALL_DIR: where `cmake --install` puts
# the package, relative to the install prefix.
#
# The interpreter is Python3_EXECUTABLE when given (the presets give /usr/bin/python3,
# Debian's, which sees the Debian packages); otherwise the first python3 found.
find_package(Python3 COMPONENTS Interpreter Development.Module)
if(Python3_FOUND)
  find_package(pybind11 2.10 CONFIG)
endif()
if(NOT Python3_FOUND OR NOT pybind11_FOUND)
  message(STATUS "lactsim: Python package not built (needs python3-dev and pybind11-dev)")
  set(LACTSIM_PYTHON_ENABLED OFF)
  return()
endif()
set(LACTSIM_PYTHON_ENABLED ON)
message(STATUS "lactsim: Python package for ${Python3_EXECUTABLE} (${Python3_VERSION}), pybind11 ${pybind11_VERSION}")

# The interpreter's own site-packages folder for this prefix when it lies under it (Debian's
# python3 reads /usr/local/lib/python3.X/dist-packages), else lib/python3.X/site-packages.
if(NOT DEFINED LACTSIM_PYTHON_INSTALL_DIR)
  execute_process(
    COMMAND "${Python3_EXECUTABLE}" -c "import sysconfig; print(sysconfig.get_path('platlib'))"
    OUTPUT_VARIABLE python_platlib OUTPUT_STRIP_TRAILING_WHITESPACE)
  cmake_path(IS_PREFIX CMAKE_INSTALL_PREFIX "${python_platlib}" NORMALIZE platlib_under_prefix)
  if(platlib_under_prefix)
    cmake_path(RELATIVE_PATH python_platlib BASE_DIRECTORY "${CMAKE_INSTALL_PREFIX}" OUTPUT_VARIABLE python_dir)
  else()
    set(python_dir "lib/python${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}/site-packages")
  endif()
  set(LACTSIM_PYTHON_INSTALL_DIR "${python_dir}" CACHE STRING
      "Where cmake --install puts the Python package lactsim, relative to the install prefix")
endif()
