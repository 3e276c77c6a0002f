# Configuration, CLI, logging, metrics and admin HTTP tests of gateway/.
if(TARGET rtcgate_gateway)
  rtcgate_add_test(gateway_config_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/config_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/config_listen_test.cpp LIBS rtcgate_gateway)
endif()
