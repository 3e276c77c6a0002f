# Tests of the SIP message layer (sip/core: URI, name-addr, Via, parser, serializer, framer) and the
# RFC 4475 / RFC 5118 torture messages under tests/sip/rfc4475 and tests/sip/rfc5118.
rtcgate_add_test(sip_message_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/parser_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/rfc4475_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/uri_test.cpp
  LIBS rtcgate_sip)
