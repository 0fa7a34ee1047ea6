# CTest script (tests/CMakeLists.txt, test install_consumer): installs the build into a
# temporary prefix, then configures and builds tests/consumer against it with
# find_package(lactsim), runs it on a scenario and checks that it prints the daily.csv that
# `lactsim run` writes; and imports the installed Python package when one was built.
# Arguments: -DBUILD_DIR -DSOURCE_DIR -DWORK_DIR -DCLI (the built lactsim) -DGENERATOR
#            -DPYTHON (interpreter, empty when no Python package) -DPYTHON_DIR (relative)
cmake_minimum_required(VERSION 3.25)

function(run_step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "failed (${code}): ${ARGN}\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
run_step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(installed bin/lactsim lib/cmake/lactsim/lactsimConfig.cmake include/lactsim/engine/simulation.hpp include/lactsim/io/scenario.hpp include/lactsim/analysis/sweep.hpp)
  if(NOT EXISTS ${prefix}/${installed})
    message(FATAL_ERROR "cmake --install did not install ${installed}")
  endif()
endforeach()

run_step(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/consumer -G ${GENERATOR}
         -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run_step(${CMAKE_COMMAND} --build ${WORK_DIR}/consumer -j2)

set(scenario ${SOURCE_DIR}/scenarios/seed_case_massage.toml)
run_step(${WORK_DIR}/consumer/consumer ${scenario})
set(consumer_daily "${step_output}")
run_step(${prefix}/bin/lactsim run ${scenario} --out ${WORK_DIR}/run --quiet)
file(READ ${WORK_DIR}/run/seed_case_massage/daily.csv cli_daily)
if(NOT consumer_daily STREQUAL cli_daily)
  message(FATAL_ERROR "the consumer's daily.csv differs from lactsim run's:\n${consumer_daily}\nvs\n${cli_daily}")
endif()

if(PYTHON)
  set(ENV{PYTHONPATH} ${prefix}/${PYTHON_DIR})
  # (no ';' in the script: it would split the argument into a CMake list)
  run_step(${PYTHON} -c "import lactsim, sys\nscenario = lactsim.Scenario.from_file(sys.argv[1])\n\
print(lactsim.__file__)\nprint(len(lactsim.simulate(scenario).daily['milk_ml']))" ${scenario})
  if(NOT step_output MATCHES "^${prefix}/${PYTHON_DIR}/lactsim/__init__.py\n7\n$")
    message(FATAL_ERROR "the installed Python package did not run from the prefix: ${step_output}")
  endif()
  # The shipped scenarios are installed with the package and load from there.
  run_step(${PYTHON} -c "import lactsim\nprint(lactsim.shipped_scenario_path('seed_case_massage'))\n\
print(lactsim.shipped_scenario('calibration/saint1984_vaginal').duration_days > 0)")
  if(NOT step_output MATCHES "^${prefix}/${PYTHON_DIR}/lactsim/scenarios/seed_case_massage.toml\nTrue\n$")
    message(FATAL_ERROR "the shipped scenarios were not installed with the Python package: ${step_output}")
  endif()
endif()
file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "install + find_package(lactsim) consumer: ok")
