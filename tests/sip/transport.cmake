# SIP transports (sip/asio): pure functions, UDP/TCP, TLS and WebSocket on 127.0.0.1.
rtcgate_add_test(sip_transport_unit_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transport_unit_test.cpp
  LIBS rtcgate_sip_asio)
rtcgate_add_test(sip_transport_stream_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transport_stream_test.cpp
  LIBS rtcgate_sip_asio
  TIMEOUT 60)
rtcgate_add_test(sip_transport_secure_ws_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transport_secure_ws_test.cpp
  LIBS rtcgate_sip_asio
  TIMEOUT 60)
rtcgate_add_test(sip_transport_robustness_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transport_robustness_test.cpp
  LIBS rtcgate_sip_asio
  TIMEOUT 60)
rtcgate_add_test(sip_transport_timer_service_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transport_timer_service_test.cpp
  LIBS rtcgate_sip_asio)

# JsSIP (tests/peers) registers over WebSocket with digest at sip_ws_test_server, a small registrar
# on TransportManager, and answers the OPTIONS the server sends back over the same connection
# through the registration's flow token (RFC 7118, RFC 5626). Bounded to 30 s, 127.0.0.1 only.
if(RTCGATE_BUILD_TESTS)
  # Not a test: UDP, TCP and WS round trips per second through TransportManager (file header).
  add_executable(sip_transport_bench ${CMAKE_CURRENT_LIST_DIR}/transport_bench.cpp)
  target_link_libraries(sip_transport_bench PRIVATE rtcgate_warnings rtcgate_sip_asio)
  add_executable(sip_ws_test_server ${CMAKE_CURRENT_LIST_DIR}/interop_ws/ws_test_server.cpp)
  target_link_libraries(sip_ws_test_server PRIVATE rtcgate_warnings rtcgate_sip_asio)
  add_test(NAME sip_interop.jssip_ws_register_options
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/interop_ws/run.sh $<TARGET_FILE:sip_ws_test_server>
                   ${PROJECT_SOURCE_DIR}/tests/peers)
  set_tests_properties(sip_interop.jssip_ws_register_options PROPERTIES LABELS interop TIMEOUT 45)
  # The same over WSS (TLS 1.3, self-signed certificate made by the server at start-up).
  add_test(NAME sip_interop.jssip_wss_register_options
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/interop_ws/run.sh $<TARGET_FILE:sip_ws_test_server>
                   ${PROJECT_SOURCE_DIR}/tests/peers wss)
  set_tests_properties(sip_interop.jssip_wss_register_options PROPERTIES LABELS interop TIMEOUT 45)
endif()
rtcgate_add_test(sip_transport_resolver_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transport_resolver_test.cpp
  LIBS rtcgate_sip_asio
  TIMEOUT 60)
