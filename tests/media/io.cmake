# Tests of the media I/O half: workers and their loop, legacy UDP, ICE, sessions, real-peer interop.
rtcgate_add_test(media_worker_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/worker_test.cpp LIBS rtcgate_media_worker)
rtcgate_add_test(media_udp_endpoint_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/udp_endpoint_test.cpp LIBS rtcgate_media_io)
rtcgate_add_test(media_ice_transport_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/ice_transport_test.cpp LIBS rtcgate_media_worker TIMEOUT 60)
# STUN codec (RFC 5769 vectors) and the ICE fast path's responder and consent checker against a fake
# peer on 127.0.0.1; counts operator new on its packet path.
rtcgate_add_test(media_ice_fast_path_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/ice_fast_path_test.cpp LIBS rtcgate_media_ice TIMEOUT 60)
# The worker's batched sends (sendmmsg per socket and round) on 127.0.0.1.
rtcgate_add_test(media_send_batch_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/send_batch_test.cpp LIBS rtcgate_media_io)
