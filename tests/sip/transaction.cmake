# Transactions (RFC 3261 §17, RFC 6026), the transaction layer and dialogs (§12): unit tests on a
# fake clock, plus call flows (RFC 3665) through two layers wired back to back in memory.
rtcgate_add_test(sip_transaction_timer_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transaction_timer_test.cpp
  LIBS rtcgate_sip)
rtcgate_add_test(sip_transaction_client_invite_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transaction_client_invite_test.cpp
  LIBS rtcgate_sip)
rtcgate_add_test(sip_transaction_client_non_invite_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transaction_client_non_invite_test.cpp
  LIBS rtcgate_sip)
rtcgate_add_test(sip_transaction_server_invite_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transaction_server_invite_test.cpp
  LIBS rtcgate_sip)
rtcgate_add_test(sip_transaction_server_non_invite_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transaction_server_non_invite_test.cpp
  LIBS rtcgate_sip)
rtcgate_add_test(sip_transaction_layer_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transaction_layer_client_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/transaction_layer_server_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/transaction_layer_routing_test.cpp
  LIBS rtcgate_sip)
rtcgate_add_test(sip_transaction_call_flow_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/transaction_call_flow_test.cpp
  LIBS rtcgate_sip)
