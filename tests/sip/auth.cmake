# Digest authentication (RFC 7616/8760/2617) and the registrar (RFC 3261 §10, RFC 5626).
rtcgate_add_test(sip_auth_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/auth_hash_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/auth_digest_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/auth_value_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/auth_server_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/auth_message_test.cpp
  LIBS rtcgate_sip)
rtcgate_add_test(sip_registrar_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/registrar_register_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/registrar_store_test.cpp
  LIBS rtcgate_sip)
# SIPp (Debian package sip-tester) against DigestServer/Registrar and DigestClient on 127.0.0.1.
rtcgate_add_test(sip_auth_interop_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/auth_interop_test.cpp
  LIBS rtcgate_sip Threads::Threads
  LABELS interop
  TIMEOUT 30)
