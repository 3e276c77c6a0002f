# Dialogs (RFC 3261 §12) and requests outside a dialog (§8.1.1).
rtcgate_add_test(sip_dialog_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/dialog_state_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/dialog_request_test.cpp
  LIBS rtcgate_sip)
rtcgate_add_test(sip_dialog_answer_retransmitter_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/dialog_answer_retransmitter_test.cpp
  LIBS rtcgate_sip)
