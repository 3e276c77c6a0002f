# Opus ⇄ G.711 transcoding: G.711 tables, the RTP-level transcoder (tone through both directions,
# loss concealment, telephone-event rescaling, ptime adaptation) and the RTCP reports of a
# transcoded leg.
rtcgate_add_test(media_transcode_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/g711_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/transcoder_test.cpp ${CMAKE_CURRENT_LIST_DIR}/rtcp_reporter_test.cpp
  LIBS rtcgate_media_transcode rtcgate_media_codec rtcgate_media_rtp PkgConfig::OPUS)
