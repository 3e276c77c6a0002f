# Tests of the media I/O half: workers and their loop, legacy UDP, ICE, sessions, real-peer interop.
rtcgate_add_test(media_worker_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/worker_test.cpp LIBS rtcgate_media_worker)
rtcgate_add_test(media_udp_endpoint_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/udp_endpoint_test.cpp LIBS rtcgate_media_io)
rtcgate_add_test(media_ice_transport_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/ice_transport_test.cpp LIBS rtcgate_media_worker TIMEOUT 60)
