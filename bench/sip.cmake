# Benchmarks of the SIP message layer: parsing a typical INVITE (with SDP) and a REGISTER.
rtcgate_add_bench(sip_parse_bench SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sip_parse_bench.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/support/alloc_counter.cpp LIBS rtcgate_sip)
