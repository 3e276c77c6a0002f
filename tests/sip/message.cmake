# Tests of the SIP message layer (sip/core: URI, name-addr, Via, parser, serializer, framer).
rtcgate_add_test(sip_message_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/parser_test.cpp
  LIBS rtcgate_sip)
