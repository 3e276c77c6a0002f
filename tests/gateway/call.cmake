# The call index (/api/calls, call metrics) and the SDP⇄media bridge of gateway/src/call/.
if(TARGET rtcgate_gateway)
  rtcgate_add_test(gateway_call_registry_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/call_registry_test.cpp
    LIBS rtcgate_gateway)
endif()
if(TARGET rtcgate_gateway)
  rtcgate_add_test(gateway_negotiation_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/codec_policy_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/media_params_test.cpp ${CMAKE_CURRENT_LIST_DIR}/session_params_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/transcode_plans_test.cpp
    LIBS rtcgate_gateway)
endif()
