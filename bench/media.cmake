# Benchmarks of the sans-I/O media core: the relay's packet path (ns and heap allocations per packet)
# and libsrtp2's cost per SRTP profile.
rtcgate_add_bench(media_packet_path_bench
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/media_packet_path_bench.cpp ${CMAKE_CURRENT_SOURCE_DIR}/support/alloc_counter.cpp
  LIBS rtcgate_media_session rtcgate_media_srtp rtcgate_media_rtp rtcgate_media_packet)
