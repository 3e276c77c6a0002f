# SDP: parse+write of real descriptions (the captured Chromium offer first) and answer_offer.
rtcgate_add_bench(sdp_parse_bench SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sdp_parse_bench.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/support/alloc_counter.cpp LIBS rtcgate_sdp)
