// The typed configuration of one rtcgate process, as read from one TOML file (config_load.hpp)
// or built in (default_config()). The key names are the operator contract of DESIGN.md
// ("What operators touch"); gateway/docs/configuration.md documents every field and its default.
//
// Ownership: plain values, copied freely. Thread affinity: none; the process loads it once at
// start and hands const references (or copies) to each component. Units are in the field names.
#pragma once

#include "rtcgate/gateway/config_listen.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::gateway {

enum class LogLevel { Error, Warn, Info, Debug };

// Codec names operators write (case-insensitive in the file; canonical spelling here, which is
// also the rtpmap encoding name of RFC 3551 / RFC 7587 / RFC 4733).
enum class Codec { Opus, Pcmu, Pcma, G722, TelephoneEvent };

std::string_view to_string(Codec codec);
std::string_view to_string(LogLevel level);
// "error", "warn", "info", "debug".
std::optional<LogLevel> parse_log_level(std::string_view text);

struct SipConfig {
  std::vector<ListenAddress> listen;
  // Our SIP domain: the registrar realm and the host part of local users' AORs.
  std::string domain;
  // PEM files. Empty: secure listeners use a self-signed certificate generated at start.
  std::string tls_cert;
  std::string tls_key;
  // SIGTERM: how long calls in progress may go on (new ones get 503) before they get BYE.
  std::uint32_t drain_seconds = 10;
};

struct MediaConfig {
  std::string bind_address;
  // Advertised in SDP and ICE candidates when behind 1:1 NAT; empty means bind_address.
  std::string public_address;
  // Inclusive UDP port range for RTP/RTCP; port_min is even (RFC 3550 §11).
  std::uint16_t port_min = 0;
  std::uint16_t port_max = 0;
  unsigned workers = 1;
  bool ice_lite = false;
};

struct PbxConfig {
  // Where calls from browsers go (the dialled user is kept), e.g. "sip:pbx.example.com:5060".
  std::string uri;
  // Digest credentials used when the PBX challenges us; empty when it does not.
  std::string username;
  std::string password;
};

struct LocalUser {
  std::string name;
  std::string password;
  friend bool operator==(const LocalUser&, const LocalUser&) = default;
};

struct RegistrationConfig {
  bool relay = false;
};

struct CodecConfig {
  // Offer order per leg (DESIGN.md "Transcoding and codec policy").
  std::vector<Codec> web;
  std::vector<Codec> legacy;
  bool transcode = true;
  unsigned ptime_ms = 20;
  // libopus encoder complexity 0..10 (LIMITS.md §4: 24–30 µs per frame at 0, 102–120 µs at 10).
  int opus_complexity = 1;  // encoder cost per 20 ms: ~25 µs at 0, ~60 at 5, ~110 at 10
};

struct HttpConfig {
  SocketAddress listen;
  // Directory of the demo page (index.html, phone.js, phone.css) and the built JsSIP bundle.
  std::string web_root;
  std::string jssip_bundle;
};

// The built-in legacy test endpoint: a SIP UAS that answers extension `echo` by echoing RTP and
// `tone` by sending a PCMU tone. When enabled, [pbx] uri defaults to its address.
struct TestEndpointConfig {
  bool enabled = false;
  ListenAddress listen;
  std::uint16_t port_min = 0;
  std::uint16_t port_max = 0;
};

struct LogConfig {
  LogLevel level = LogLevel::Info;
};

struct Config {
  SipConfig sip;
  MediaConfig media;
  PbxConfig pbx;
  std::vector<LocalUser> users;
  RegistrationConfig registration;
  CodecConfig codecs;
  HttpConfig http;
  TestEndpointConfig test_endpoint;
  LogConfig log;
  // True only for the configuration built in when no file is given: the demo page may then
  // show the demo user's password, since it is public (gateway/docs/configuration.md).
  bool builtin = false;

  // First ws:/wss: listener, which the demo page connects to.
  std::optional<ListenAddress> websocket_listener() const;
};

// The configuration used when no file is given: everything on 127.0.0.1, SIP over WS on 8080 and
// UDP on 5060, admin HTTP and the demo page on 8088, media on 20000–20999, one demo user
// ("demo"/"demo") and the built-in test endpoint on udp:127.0.0.1:5070 as the PBX.
Config default_config();

// Media worker count when the file does not say: one per core.
unsigned default_worker_count();

// Compile-time locations of the demo page and the JsSIP bundle (set by gateway/CMakeLists.txt).
std::string default_web_root();
std::string default_jssip_bundle();

}  // namespace rtcgate::gateway
