# End-to-end calls through the rtcgate executable: JsSIP on @roamhq/wrtc (tests/peers) as the
# browser, SIPp (sip-tester) as the PBX, each case in its own loopback-only network namespace when
# possible (browser/isolated.sh). Registered only when node, the npm peers and sipp are present.
if(RTCGATE_BUILD_TESTS AND TARGET rtcgate)
  find_program(RTCGATE_SIPP sipp)
  find_program(RTCGATE_E2E_NODE node)
  set(peers ${PROJECT_SOURCE_DIR}/tests/peers/node_modules)
  if(RTCGATE_E2E_NODE AND RTCGATE_SIPP AND EXISTS ${peers}/jssip AND EXISTS ${peers}/@roamhq/wrtc)
    set(isolated ${CMAKE_CURRENT_LIST_DIR}/browser/isolated.sh)
    # gateway_e2e_<suite>.<case> for each case: e2e/<script>.js run against rtcgate with that case name.
    function(rtcgate_add_e2e suite script)
      foreach(name ${ARGN})
        add_test(NAME gateway_e2e_${suite}.${name}
          COMMAND ${isolated} ${RTCGATE_E2E_NODE} --experimental-websocket
                  ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/e2e/${script}.js $<TARGET_FILE:rtcgate> ${name})
        set_tests_properties(gateway_e2e_${suite}.${name} PROPERTIES LABELS "interop" TIMEOUT 60)
      endforeach()
    endfunction()
    rtcgate_add_e2e(call call_test answered pbx_hangs_up busy cancel fingerprint fingerprint_early drain pbx_auth redirected
                    pc_closed ws_closed endpoint_echo endpoint_tone session_timer session_refresh)
    # RFC 4028 cases that wait out a 90 s session timer's refresh or expiry: about a minute each,
    # almost all of it idle. Labelled long-wait: CI runs them in the release build only, where
    # they prove the same code as under the sanitizers, whose run also has the short RFC 4028
    # cases (session_timer, session_too_short).
    rtcgate_add_e2e(call session_test session_expiry session_refresh_reinvite session_refresh_update_refused)
    set_tests_properties(gateway_e2e_call.session_expiry PROPERTIES TIMEOUT 95)
    set_tests_properties(gateway_e2e_call.session_refresh_reinvite gateway_e2e_call.session_refresh_update_refused
                         PROPERTIES TIMEOUT 85)
    set_tests_properties(gateway_e2e_call.session_refresh gateway_e2e_call.session_expiry
                         gateway_e2e_call.session_refresh_reinvite gateway_e2e_call.session_refresh_update_refused
                         PROPERTIES LABELS "interop;long-wait")
    rtcgate_add_e2e(register register_test ok wrong_password unknown_user)
    rtcgate_add_e2e(inbound inbound_test answered forked busy cancel pbx_hangs_up unregistered transcoded
                    offerless offerless_no_answer)
    rtcgate_add_e2e(relay relay_test ok wrong_password ws_closed)
    rtcgate_add_e2e(sip sip_test malformed_sdp no_common_codec options pbx_silent session_too_short)
    rtcgate_add_e2e(transcode transcode_test pbx endpoint_tone)
    rtcgate_add_e2e(midcall midcall_test browser_hold pbx_hold ice_restart info_dtmf trickle_info
                    pbx_reinvite_without_sdp glare glare_browser_hold reinvite_while_pending glare_pbx_refuses)
    rtcgate_add_e2e(failure failure_test pbx_down_udp pbx_down_tcp browser_frozen browser_killed malformed_sip
                    other_call_fails)
    # baresip (Debian's package, scripts/test-packages.txt) as a real SIP phone on the legacy side.
    find_program(RTCGATE_E2E_BARESIP baresip)
    if(RTCGATE_E2E_BARESIP)
      rtcgate_add_e2e(baresip baresip_test to_baresip from_baresip)
    else()
      message(STATUS "rtcgate: baresip missing: the baresip end-to-end tests are not registered")
    endif()
    find_program(RTCGATE_E2E_CHROMIUM NAMES chromium chromium-browser)
    if(RTCGATE_E2E_CHROMIUM AND TARGET rtcgate_web_bundle AND EXISTS ${peers}/playwright-core)
      add_test(NAME gateway_e2e_chromium.echo
        COMMAND ${isolated} ${RTCGATE_E2E_NODE} --experimental-websocket
                ${CMAKE_CURRENT_LIST_DIR}/e2e/chromium_call_test.js $<TARGET_FILE:rtcgate> ${RTCGATE_E2E_CHROMIUM})
      set_tests_properties(gateway_e2e_chromium.echo PROPERTIES LABELS "interop;browser" TIMEOUT 60)
      # rfc4733_dtmf: PCMU and telephone-event/8000 pass through; rfc4733_dtmf_transcoded: the browser
      # offers Opus only, so its events are rescaled 48000 <-> 8000 on their way.
      foreach(variant passthrough transcoded)
        set(name rfc4733_dtmf)
        if(NOT variant STREQUAL "passthrough")
          set(name rfc4733_dtmf_${variant})
        endif()
        add_test(NAME gateway_e2e_chromium.${name}
          COMMAND ${isolated} ${RTCGATE_E2E_NODE} --experimental-websocket
                  ${CMAKE_CURRENT_LIST_DIR}/e2e/chromium_dtmf_test.js $<TARGET_FILE:rtcgate> ${RTCGATE_E2E_CHROMIUM}
                  ${variant})
        set_tests_properties(gateway_e2e_chromium.${name} PROPERTIES LABELS "interop;browser" TIMEOUT 60)
      endforeach()
    endif()
  else()
    message(STATUS "rtcgate: node, tests/peers (jssip, @roamhq/wrtc) or sipp missing: end-to-end call tests not registered")
  endif()
endif()
