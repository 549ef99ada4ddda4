# Builds PROBE_allowed (must succeed) and PROBE_forbidden (must fail because FORBIDDEN is not on
# its include path). Run by the layering_* tests.
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${PROBE}_allowed
  RESULT_VARIABLE allowed_result OUTPUT_VARIABLE allowed_out ERROR_VARIABLE allowed_out)
if(NOT allowed_result EQUAL 0)
  message(FATAL_ERROR "${PROBE}_allowed does not compile, so the check below would prove "
                      "nothing:\n${allowed_out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${PROBE}_forbidden
  RESULT_VARIABLE forbidden_result OUTPUT_VARIABLE forbidden_out ERROR_VARIABLE forbidden_out)
if(forbidden_result EQUAL 0)
  message(FATAL_ERROR "${PROBE}_forbidden compiled: ${FORBIDDEN} is reachable from a layer that "
                      "must not include it")
endif()
string(FIND "${forbidden_out}" "${FORBIDDEN}: No such file" found)
if(found EQUAL -1)
  message(FATAL_ERROR "${PROBE}_forbidden failed, but not because ${FORBIDDEN} is out of "
                      "reach:\n${forbidden_out}")
endif()
message(STATUS "${PROBE}: allowed include compiles; ${FORBIDDEN} is out of reach")
