# Digest header values (WWW-Authenticate, Authorization and the Proxy- forms).
rtcgate_add_fuzzer(fuzz_sip_auth_params
  SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_sip_auth_params.cpp
  LIBS rtcgate_sip
  CORPUS ${PROJECT_SOURCE_DIR}/tests/sip/corpus/auth_params)
