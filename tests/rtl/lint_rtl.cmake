# Lints each SystemVerilog file under RTL_DIR with verilator --lint-only -Wall, as the top module
# of its own file (with default parameters), so every module is linted even if nothing uses it.
# Submodules resolve through -y: the file's own directory and RTL_DIR/common.
# Also enforces the waiver rule: every `verilator lint_off` must be followed on the next line by
# a comment saying why ("// Why: ...").
# Reports every failing file, then fails (non-zero) if there was any.
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
    continue()
  endif()

  file(READ ${src} text)
  string(REPLACE ";" "," text "${text}")  # a ; would split the matches below into list items
  string(REGEX MATCHALL "lint_off[^\n]*\n[^\n]*" waivers "${text}")
  set(unexplained 0)
  foreach(waiver IN LISTS waivers)
    if(NOT waiver MATCHES "\n[ \t]*//[^\n]*Why:")
      set(unexplained 1)
    endif()
  endforeach()
  if(unexplained)
    message(SEND_ERROR "lint failed for ${src}:\n%Error-WAIVERREASON: a `verilator lint_off`"
                       " must be followed by a line `// Why: ...` saying why")
    set(failed 1)
  else()
    message(STATUS "lint clean: ${src}")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "RTL lint failed")
endif()
