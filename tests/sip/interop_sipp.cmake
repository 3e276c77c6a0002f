# SIPp (Debian package sip-tester) against sip_test_ua, a small UA on this SIP stack
# (TransactionLayer over TransportManager), on 127.0.0.1: RFC 3665 call flows (INVITE/ACK/BYE,
# CANCEL, 401 challenge) with SIPp as UAC and as UAS, over UDP and TCP, and UDP retransmission when
# messages go missing. Each case runs in its own network namespace when possible.
if(RTCGATE_BUILD_TESTS AND TARGET rtcgate_sip_asio)
  add_executable(sip_test_ua
    ${CMAKE_CURRENT_LIST_DIR}/interop_sipp/test_ua.cpp
    ${CMAKE_CURRENT_LIST_DIR}/interop_sipp/test_ua_server.cpp
    ${CMAKE_CURRENT_LIST_DIR}/interop_sipp/test_ua_client.cpp
    ${CMAKE_CURRENT_LIST_DIR}/interop_sipp/test_ua_main.cpp)
  target_link_libraries(sip_test_ua PRIVATE rtcgate_warnings rtcgate_sip_asio)

  set(sipp_cases_both sipp_uac_invite_bye sipp_uac_cancel sipp_uac_auth sipp_uas_invite_bye sipp_uas_cancel
                      sipp_uas_auth)
  set(sipp_cases_udp sipp_uac_ack_late sipp_uac_lossy sipp_uas_slow)
  foreach(case IN LISTS sipp_cases_both sipp_cases_udp)
    set(transports udp)
    if(case IN_LIST sipp_cases_both)
      list(APPEND transports tcp)
    endif()
    foreach(transport IN LISTS transports)
      add_test(NAME sip_interop.${case}.${transport}
               COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/interop_sipp/run_case.sh $<TARGET_FILE:sip_test_ua> ${case}
                       ${transport})
      set_tests_properties(sip_interop.${case}.${transport} PROPERTIES LABELS interop TIMEOUT 60)
    endforeach()
  endforeach()

  # The same cases with the UA misbehaving on purpose (sip_test_ua --fault): each passes only when
  # the case fails for that reason, so a harness that cannot fail would show up here.
  #   <case>|<transport>|<fault>|<what must appear in the output>
  set(sipp_fault_cases
      "sipp_uas_auth|udp|wrong-password|sipp exit 1,"
      "sipp_uas_auth|tcp|wrong-password|sipp exit 1,"
      "sipp_uas_invite_bye|udp|no-ack|sipp exit 1,"
      "sipp_uas_invite_bye|tcp|no-ack|sipp exit 1,"
      "sipp_uac_cancel|udp|answer-cancelled|sipp exit 1,"
      "sipp_uac_cancel|tcp|answer-cancelled|sipp exit 1,"
      "sipp_uac_ack_late|udp|no-ok-retransmission|expected ok_retransmissions = 2, got 0")
  foreach(entry IN LISTS sipp_fault_cases)
    string(REPLACE "|" ";" fields "${entry}")
    list(GET fields 0 case)
    list(GET fields 1 transport)
    list(GET fields 2 fault)
    list(GET fields 3 expected)
    set(name sip_interop.${case}.${transport}.fault_${fault})
    add_test(NAME ${name}
             COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/interop_sipp/run_case.sh $<TARGET_FILE:sip_test_ua> ${case}
                     ${transport} ${fault})
    set_tests_properties(${name} PROPERTIES LABELS interop TIMEOUT 60 PASS_REGULAR_EXPRESSION "${expected}")
  endforeach()
endif()
