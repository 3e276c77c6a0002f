# Benchmarks of the media I/O half: the worker loop, the relay path and relay throughput.
rtcgate_add_bench(loop_bench SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/loop_bench.cpp LIBS rtcgate_media_ice)
