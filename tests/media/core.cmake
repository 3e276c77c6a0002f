# Sans-I/O media core: packets and demux, RTP/RTCP views, SRTP, DTLS.
rtcgate_add_test(media_packet_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/packet_test.cpp ${CMAKE_CURRENT_LIST_DIR}/classify_test.cpp
  LIBS rtcgate_media_packet)
rtcgate_add_test(media_rtp_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/rtp_view_test.cpp ${CMAKE_CURRENT_LIST_DIR}/rtp_sequence_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rtcp_view_test.cpp LIBS rtcgate_media_rtp)
rtcgate_add_test(media_srtp_vectors_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/srtp_vectors_test.cpp
  LIBS rtcgate_media_srtp OpenSSL::Crypto)
rtcgate_add_test(media_srtp_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/srtp_test.cpp LIBS rtcgate_media_srtp)
rtcgate_add_test(media_dtls_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/dtls_loopback_test.cpp ${CMAKE_CURRENT_LIST_DIR}/dtls_certificate_test.cpp
  LIBS rtcgate_media_dtls rtcgate_media_srtp OpenSSL::Crypto)
rtcgate_add_test(media_packet_path_alloc_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/rtp_packet_path_alloc_test.cpp
  LIBS rtcgate_media_session rtcgate_media_srtp rtcgate_media_rtp rtcgate_media_packet)
# The linked libsrtp2 must run on the crypto library CMake chose for it (cmake/srtp2.cmake).
rtcgate_add_test(media_srtp_backend_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/srtp_backend_test.cpp LIBS rtcgate_media_srtp)
if(TARGET media_srtp_backend_test)
  target_compile_definitions(media_srtp_backend_test PRIVATE RTCGATE_SRTP2_BACKEND="${RTCGATE_SRTP2_BACKEND}"
                                                             RTCGATE_SRTP2_VERSION="${RTCGATE_SRTP2_VERSION}")
endif()
