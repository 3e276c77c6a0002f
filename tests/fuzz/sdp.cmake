# SDP: the RFC 8866 parser (round trip, typed attributes, offer/answer on the result) and the
# RFC 8840 sdpfrag parser. The corpora are the real descriptions under tests/sdp/corpus.
rtcgate_add_fuzzer(fuzz_sdp_parse
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_sdp_parse.cpp
  LIBS rtcgate_sdp
  CORPUS ${PROJECT_SOURCE_DIR}/tests/sdp/corpus/sdp)
rtcgate_add_fuzzer(fuzz_sdp_fragment
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_sdp_fragment.cpp
  LIBS rtcgate_sdp
  CORPUS ${PROJECT_SOURCE_DIR}/tests/sdp/corpus/sdpfrag)
