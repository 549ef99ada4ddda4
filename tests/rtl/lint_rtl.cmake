# Lints each top-level SystemVerilog file under RTL_DIR with verilator --lint-only -Wall.
# Files are linted together with their directory's other .sv files so submodules resolve.
# Fails (non-zero) on the first warning, printing Verilator's message.
file(GLOB_RECURSE sources ${RTL_DIR}/*.sv)
if(NOT sources)
  message(FATAL_ERROR "no .sv files under ${RTL_DIR}")
endif()
set(failed 0)
foreach(src ${sources})
  get_filename_component(dir ${src} DIRECTORY)
  get_filename_component(top ${src} NAME_WE)
  execute_process(
    COMMAND ${VERILATOR} --lint-only -Wall -y ${dir} -y ${RTL_DIR}/common --top-module ${top} ${src}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR err MATCHES "%Warning")
    message(SEND_ERROR "lint failed for ${src}:\n${out}${err}")
    set(failed 1)
  else()
    message(STATUS "lint clean: ${src}")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "RTL lint failed")
endif()
