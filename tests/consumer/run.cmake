# ctest driver: install the built tapegrad into a scratch prefix, then configure, build and run the
# consumer project against it with find_package; and the README's example, built the same way and
# run on MNIST at $TAPEGRAD_DATA_DIR.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "cmake --install failed")
endif()
# The kernels and the reference paths are internal: compiled in (kernels) or linked by tests, never installed.
foreach(internal kernels reference)
  if(EXISTS ${WORK_DIR}/prefix/include/tapegrad/${internal})
    message(FATAL_ERROR "cmake --install installed the internal ${internal}/ headers")
  endif()
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build
                        -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Release
                        -DREADME=${SOURCE_DIR}/README.md RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the consumer with find_package(tapegrad) failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the consumer failed")
endif()
execute_process(COMMAND ${WORK_DIR}/build/consumer RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "the consumer ran but did not learn w = 2")
endif()
if(NOT EXISTS "$ENV{TAPEGRAD_DATA_DIR}/mnist")
  message(FATAL_ERROR "MNIST not found in $ENV{TAPEGRAD_DATA_DIR}/mnist: run scripts/setup.sh "
                      "(or set TAPEGRAD_DATA_DIR to the folder holding mnist/); the README example needs it")
endif()
# It trains the MLP for 5 epochs on MNIST and saves net.npz in its working folder.
execute_process(COMMAND ${WORK_DIR}/build/readme_example WORKING_DIRECTORY ${WORK_DIR} RESULT_VARIABLE rc
                OUTPUT_VARIABLE printed)
if(rc OR NOT EXISTS ${WORK_DIR}/net.npz OR NOT printed MATCHES "fc1")
  message(FATAL_ERROR "the README example failed (exit ${rc}) or did not print the model and save net.npz:\n${printed}")
endif()
