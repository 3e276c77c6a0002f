# Relay throughput: N concurrent passthrough calls (ICE + DTLS-SRTP <-> plain RTP) on one worker.
rtcgate_add_bench(relay_throughput_bench SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/relay_throughput_bench.cpp
                  LIBS rtcgate_media_worker)
