# libsrtp2 for the media code, as the target rtcgate_srtp2.
#
# Preferred: Debian's own libsrtp2 source package built on OpenSSL as a static library
# (scripts/libsrtp2-openssl, run by `./scripts/dev setup` into build/deps/libsrtp2-openssl). Debian's
# binary package runs on NSS, which costs about 5x per AES-CM packet, 2x per GCM packet, and allocates
# per packet. Otherwise: Debian's libsrtp2 through pkg-config.
#
# RTCGATE_SRTP2_OPENSSL: AUTO uses the OpenSSL build when it is there, ON requires it (the dev script
# passes ON, so a setup that failed to build it cannot silently give CI the slow library), OFF takes
# Debian's. RTCGATE_SRTP2_BACKEND is the backend the build expects ("openssl" or "nss") and
# RTCGATE_SRTP2_VERSION the library's version; tests compare them with what the linked library reports
# at run time.
set(RTCGATE_SRTP2_OPENSSL AUTO CACHE STRING
    "libsrtp2 built on OpenSSL from RTCGATE_SRTP2_OPENSSL_PREFIX: AUTO (when built), ON (required), OFF")
set_property(CACHE RTCGATE_SRTP2_OPENSSL PROPERTY STRINGS AUTO ON OFF)
set(RTCGATE_SRTP2_OPENSSL_PREFIX ${PROJECT_SOURCE_DIR}/build/deps/libsrtp2-openssl CACHE PATH
    "Install prefix of the static libsrtp2 built on OpenSSL (scripts/libsrtp2-openssl)")

set(_srtp2_prefix ${RTCGATE_SRTP2_OPENSSL_PREFIX})
set(_srtp2_found FALSE)
if(EXISTS ${_srtp2_prefix}/lib/libsrtp2.a AND EXISTS ${_srtp2_prefix}/include/srtp2/srtp.h)
  set(_srtp2_found TRUE)
endif()
if(RTCGATE_SRTP2_OPENSSL STREQUAL "ON" AND NOT _srtp2_found)
  message(FATAL_ERROR "RTCGATE_SRTP2_OPENSSL=ON but there is no libsrtp2 built on OpenSSL in "
                      "${_srtp2_prefix}: run ./scripts/dev setup (or scripts/libsrtp2-openssl)")
endif()

add_library(rtcgate_srtp2 INTERFACE)
if(_srtp2_found AND NOT RTCGATE_SRTP2_OPENSSL STREQUAL "OFF")
  set(_srtp2_version "")
  if(EXISTS ${_srtp2_prefix}/lib/pkgconfig/libsrtp2.pc)
    file(STRINGS ${_srtp2_prefix}/lib/pkgconfig/libsrtp2.pc _srtp2_version REGEX "^Version: ")
    string(REPLACE "Version: " "" _srtp2_version "${_srtp2_version}")
  endif()
  if(NOT _srtp2_version OR _srtp2_version VERSION_LESS 2.5)
    message(FATAL_ERROR "${_srtp2_prefix} holds libsrtp2 '${_srtp2_version}', rtcgate needs 2.5 or newer")
  endif()
  add_library(rtcgate_srtp2_openssl STATIC IMPORTED)
  set_target_properties(rtcgate_srtp2_openssl PROPERTIES
    IMPORTED_LOCATION ${_srtp2_prefix}/lib/libsrtp2.a
    INTERFACE_INCLUDE_DIRECTORIES ${_srtp2_prefix}/include
    INTERFACE_LINK_LIBRARIES "OpenSSL::Crypto;Threads::Threads")
  target_link_libraries(rtcgate_srtp2 INTERFACE rtcgate_srtp2_openssl)
  set(RTCGATE_SRTP2_BACKEND openssl)
  set(RTCGATE_SRTP2_VERSION ${_srtp2_version})
  message(STATUS "rtcgate: libsrtp2 ${_srtp2_version} built on OpenSSL, static, from ${_srtp2_prefix}")
else()
  pkg_check_modules(SRTP2 REQUIRED IMPORTED_TARGET libsrtp2>=2.5)
  target_link_libraries(rtcgate_srtp2 INTERFACE PkgConfig::SRTP2)
  set(RTCGATE_SRTP2_BACKEND nss)
  set(RTCGATE_SRTP2_VERSION ${SRTP2_VERSION})
  message(STATUS "rtcgate: libsrtp2 ${SRTP2_VERSION} from Debian, on NSS (about 5x the CPU per AES-CM "
                 "packet; ./scripts/dev setup builds the OpenSSL one)")
endif()
