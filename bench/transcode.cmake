# Opus ⇄ G.711 transcoding: CPU per 20 ms frame each way, per Opus encoder complexity, and the
# transcoded calls per core that follow (codec work only).
rtcgate_add_bench(transcode_bench
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/transcode_bench.cpp ${CMAKE_CURRENT_SOURCE_DIR}/support/alloc_counter.cpp
  LIBS rtcgate_media_transcode rtcgate_media_codec rtcgate_media_rtp PkgConfig::OPUS)
