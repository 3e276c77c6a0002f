# Sans-I/O media core parsers: RTP/RTCP views, the RFC 7983 demultiplexer, SRTP, DTLS and STUN.
rtcgate_add_fuzzer(fuzz_rtp_view
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_rtp_view.cpp
  LIBS rtcgate_media_rtp
  CORPUS ${PROJECT_SOURCE_DIR}/tests/media/corpus/rtp)
rtcgate_add_fuzzer(fuzz_rtcp_view
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_rtcp_view.cpp
  LIBS rtcgate_media_rtp
  CORPUS ${PROJECT_SOURCE_DIR}/tests/media/corpus/rtcp)
rtcgate_add_fuzzer(fuzz_classify
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_classify.cpp
  LIBS rtcgate_media_rtp rtcgate_media_packet
  CORPUS ${PROJECT_SOURCE_DIR}/tests/media/corpus/classify)
rtcgate_add_fuzzer(fuzz_rtp_srtp
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_rtp_srtp.cpp
  LIBS rtcgate_media_srtp rtcgate_media_rtp rtcgate_media_packet
  CORPUS ${PROJECT_SOURCE_DIR}/tests/media/corpus/srtp)
rtcgate_add_fuzzer(fuzz_dtls_endpoint
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_dtls_endpoint.cpp
  LIBS rtcgate_media_dtls rtcgate_media_srtp
  CORPUS ${PROJECT_SOURCE_DIR}/tests/media/corpus/dtls)
rtcgate_add_fuzzer(fuzz_stun_message
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_stun_message.cpp
  LIBS rtcgate_media_ice
  CORPUS ${PROJECT_SOURCE_DIR}/tests/media/corpus/stun)
