# Configuration, CLI, logging, metrics and admin HTTP tests of gateway/.
if(TARGET rtcgate_gateway)
  rtcgate_add_test(gateway_config_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/config_listen_test.cpp ${CMAKE_CURRENT_LIST_DIR}/config_keys_test.cpp
    LIBS rtcgate_gateway)
endif()
if(TARGET rtcgate_gateway)
  rtcgate_add_test(gateway_metrics_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/metrics_test.cpp LIBS rtcgate_gateway)
endif()
if(TARGET rtcgate_gateway)
  rtcgate_add_test(gateway_http_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/http_json_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/http_server_test.cpp LIBS rtcgate_gateway)
endif()
if(TARGET rtcgate_gateway)
  rtcgate_add_test(gateway_cli_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/cli_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/cli_logging_test.cpp ${CMAKE_CURRENT_LIST_DIR}/policy_explain_test.cpp LIBS rtcgate_gateway)
endif()

# `rtcgate --check` on every file of configs/: exit 0 and "ok" for good ones, exit 2 and the
# expected "FILE:LINE: key 'x.y': reason" for bad ones; bad usage exits 64. --version also names the
# crypto library the linked libsrtp2 runs on, which must be the one CMake chose (cmake/srtp2.cmake).
if(RTCGATE_BUILD_TESTS AND TARGET rtcgate)
  set(driver ${CMAKE_CURRENT_LIST_DIR}/configs/check_config.cmake)
  file(GLOB good_configs CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/configs/good/*.toml)
  list(APPEND good_configs ${PROJECT_SOURCE_DIR}/gateway/rtcgate.example.toml)
  foreach(file IN LISTS good_configs)
    get_filename_component(name ${file} NAME_WE)
    add_test(NAME gateway_check.good.${name} COMMAND ${CMAKE_COMMAND} -DRTCGATE=$<TARGET_FILE:rtcgate>
      "-DARGS=--check;--config;${file}" -DEXPECT_CODE=0 "-DEXPECT_STDOUT=ok\n" -P ${driver})
  endforeach()
  file(GLOB bad_configs CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/configs/bad/*.toml)
  foreach(file IN LISTS bad_configs)
    get_filename_component(name ${file} NAME_WE)
    add_test(NAME gateway_check.bad.${name} COMMAND ${CMAKE_COMMAND} -DRTCGATE=$<TARGET_FILE:rtcgate>
      "-DARGS=--check;--config;${file}" -DEXPECT_CODE=2 -DEXPECT_STDOUT= -DCONFIG_EXPECT=${file} -P ${driver})
  endforeach()
  add_test(NAME gateway_check.missing_file COMMAND ${CMAKE_COMMAND} -DRTCGATE=$<TARGET_FILE:rtcgate>
    "-DARGS=--check;--config;${CMAKE_CURRENT_LIST_DIR}/configs/none.toml" -DEXPECT_CODE=2 -P ${driver})
  add_test(NAME gateway_check.usage_unknown COMMAND ${CMAKE_COMMAND} -DRTCGATE=$<TARGET_FILE:rtcgate>
    -DARGS=--bogus -DEXPECT_CODE=64 -P ${driver})
  add_test(NAME gateway_check.usage_no_config COMMAND ${CMAKE_COMMAND} -DRTCGATE=$<TARGET_FILE:rtcgate>
    -DARGS=--check -DEXPECT_CODE=64 -P ${driver})
  add_test(NAME gateway_check.version COMMAND ${CMAKE_COMMAND} -DRTCGATE=$<TARGET_FILE:rtcgate>
    -DARGS=--version -DEXPECT_CODE=0
    "-DEXPECT_STDOUT=rtcgate ${PROJECT_VERSION}\nlibsrtp2 ${RTCGATE_SRTP2_VERSION} (${RTCGATE_SRTP2_BACKEND})\n" -P ${driver})
endif()
