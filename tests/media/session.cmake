# Media sessions and the engine: relay plans, two sessions back to back, real WebRTC peers.
# The interop tests drive aiortc (Debian's python3-aiortc) and @roamhq/wrtc (tests/peers) on 127.0.0.1;
# each case is bounded (a few seconds of audio, 15 s for the consent timeout).
rtcgate_add_test(media_relay_interop_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/relay_interop_test.cpp
                 LIBS rtcgate_media_worker PkgConfig::OPUS LABELS interop TIMEOUT 90)
rtcgate_add_test(media_session_test SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/session_route_plan_test.cpp
                 ${CMAKE_CURRENT_SOURCE_DIR}/engine_loopback_test.cpp LIBS rtcgate_media_worker TIMEOUT 60)
