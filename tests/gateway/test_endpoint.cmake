# The built-in legacy test endpoint (gateway/src/test_endpoint/): driven by a UAC written in the
# test, and by SIPp (label interop) streaming PCMU at `echo`.
if(TARGET rtcgate_gateway AND TARGET rtcgate_sip_asio)
  rtcgate_add_test(gateway_test_endpoint_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_endpoint_test.cpp
    LIBS rtcgate_gateway TIMEOUT 60)
  rtcgate_add_test(gateway_test_endpoint_sipp_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_endpoint_sipp_test.cpp
    LIBS rtcgate_gateway TIMEOUT 60 LABELS interop)
endif()
