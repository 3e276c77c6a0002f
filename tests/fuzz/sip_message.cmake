# The SIP message layer: the datagram parser (parse -> serialize -> parse round trip) and the TCP/TLS
# stream framer (any chunking yields the frames of a one-shot feed).
rtcgate_add_fuzzer(fuzz_sip_message
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_sip_message.cpp
  LIBS rtcgate_sip
  CORPUS ${PROJECT_SOURCE_DIR}/tests/sip/corpus/message)
rtcgate_add_fuzzer(fuzz_sip_framer
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_sip_framer.cpp
  LIBS rtcgate_sip
  CORPUS ${PROJECT_SOURCE_DIR}/tests/sip/corpus/framer)
