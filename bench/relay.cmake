# Relay throughput: N concurrent passthrough calls (ICE + DTLS-SRTP <-> plain RTP) on one worker.
rtcgate_add_bench(relay_throughput_bench SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/relay_throughput_bench.cpp
                  ${CMAKE_CURRENT_SOURCE_DIR}/support/alloc_counter.cpp
                  LIBS rtcgate_media_worker)
# The same traffic through bare per-call UDP sockets: the kernel's floor under the figure above.
rtcgate_add_bench(udp_relay_floor_bench SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/udp_relay_floor_bench.cpp)
