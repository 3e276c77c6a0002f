# Runs `rtcgate ARGS...` and checks its exit code and output (ctest driver, cmake -P).
#   -DRTCGATE=<binary> -DARGS=<;-list> -DEXPECT_CODE=<n>
#   [-DEXPECT_STDOUT=<exact text>] [-DCONFIG_EXPECT=<file whose first line is "# expect: …">]
# With CONFIG_EXPECT, stderr must contain "<file>:<expect text>" (the FILE:LINE: key 'x': reason
# form of gateway/docs/configuration.md).
execute_process(COMMAND ${RTCGATE} ${ARGS} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code STREQUAL EXPECT_CODE)
  message(FATAL_ERROR "exit code ${code}, want ${EXPECT_CODE}\nstdout: ${out}\nstderr: ${err}")
endif()
if(DEFINED EXPECT_STDOUT AND NOT out STREQUAL "${EXPECT_STDOUT}")
  message(FATAL_ERROR "stdout '${out}', want '${EXPECT_STDOUT}'\nstderr: ${err}")
endif()
if(DEFINED CONFIG_EXPECT)
  file(STRINGS ${CONFIG_EXPECT} first LIMIT_COUNT 1)
  string(REGEX REPLACE "^# expect: " "" expect "${first}")
  if(expect MATCHES "^[0-9]")
    set(needle "${CONFIG_EXPECT}:${expect}")
  else()
    set(needle "${CONFIG_EXPECT}: ${expect}")
  endif()
  string(FIND "${err}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "stderr lacks '${needle}'\nstderr: ${err}")
  endif()
endif()
