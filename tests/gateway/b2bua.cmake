# The B2BUA's pure steps; the call flows themselves are proven end to end in e2e.cmake.
if(TARGET rtcgate_gateway)
  rtcgate_add_test(gateway_b2bua_offer_answer_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/b2bua_offer_answer_test.cpp
    LIBS rtcgate_gateway)
  rtcgate_add_test(gateway_b2bua_reoffer_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/b2bua_reoffer_test.cpp
    LIBS rtcgate_gateway)
  rtcgate_add_test(gateway_b2bua_redirect_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/b2bua_redirect_test.cpp
    LIBS rtcgate_gateway)
  rtcgate_add_test(gateway_b2bua_relay_bindings_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/b2bua_relay_bindings_test.cpp
    LIBS rtcgate_gateway)
endif()
if(TARGET rtcgate_gateway)
  rtcgate_add_test(gateway_b2bua_session_timer_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/session_timer_test.cpp
    LIBS rtcgate_gateway)
endif()
