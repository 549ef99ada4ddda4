# Proves that the lint check bites: runs lint_rtl.cmake on BAD_DIR (deliberately bad files) and
# succeeds only if lint fails and reports every message in EXPECT (substrings, comma-separated).
execute_process(
  COMMAND ${CMAKE_COMMAND} -DVERILATOR=${VERILATOR} -DRTL_DIR=${BAD_DIR} -P ${LINT_SCRIPT}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "lint passed on ${BAD_DIR}, whose files carry deliberate lint errors:\n"
                      "${out}${err}")
endif()
string(REPLACE "," ";" expected_messages "${EXPECT}")
foreach(expected IN LISTS expected_messages)
  string(FIND "${out}${err}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "lint failed, but without reporting '${expected}':\n${out}${err}")
  endif()
  message(STATUS "lint failed as expected, reporting '${expected}'")
endforeach()
