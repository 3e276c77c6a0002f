#include "rtcgate/gateway/config.hpp"

#include <thread>

// gateway/CMakeLists.txt defines these to the source tree's web/ and the build tree's bundle.
#ifndef RTCGATE_WEB_ROOT
#define RTCGATE_WEB_ROOT ""
#endif
#ifndef RTCGATE_JSSIP_BUNDLE
#define RTCGATE_JSSIP_BUNDLE ""
#endif

namespace rtcgate::gateway {

std::string_view to_string(Codec codec) {
  switch (codec) {
    case Codec::Opus:
      return "opus";
    case Codec::Pcmu:
      return "PCMU";
    case Codec::Pcma:
      return "PCMA";
    case Codec::G722:
      return "G722";
    case Codec::TelephoneEvent:
      return "telephone-event";
  }
  return "?";
}

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::Error:
      return "error";
    case LogLevel::Warn:
      return "warn";
    case LogLevel::Info:
      return "info";
    case LogLevel::Debug:
      return "debug";
  }
  return "?";
}

std::optional<ListenAddress> Config::websocket_listener() const {
  for (const ListenAddress& listener : sip.listen) {
    if (listener.is_websocket()) return listener;
  }
  return std::nullopt;
}

unsigned default_worker_count() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

std::string default_web_root() {
  return RTCGATE_WEB_ROOT;
}
std::string default_jssip_bundle() {
  return RTCGATE_JSSIP_BUNDLE;
}

Config default_config() {
  Config config;
  config.sip.listen = {
      ListenAddress{SipTransport::Udp, SocketAddress{"127.0.0.1", 5060}},
      ListenAddress{SipTransport::Ws, SocketAddress{"127.0.0.1", 8080}},
  };
  config.sip.domain = "localhost";
  config.media.bind_address = "127.0.0.1";
  config.media.port_min = 20000;
  config.media.port_max = 20999;
  config.media.workers = default_worker_count();
  config.users = {LocalUser{"demo", "demo"}};
  config.codecs.web = {Codec::Opus, Codec::Pcmu, Codec::Pcma, Codec::TelephoneEvent};
  config.codecs.legacy = {Codec::Pcmu, Codec::Pcma, Codec::TelephoneEvent};
  config.http.listen = SocketAddress{"127.0.0.1", 8088};
  config.http.web_root = default_web_root();
  config.http.jssip_bundle = default_jssip_bundle();
  config.test_endpoint.enabled = true;
  config.test_endpoint.listen = ListenAddress{SipTransport::Udp, SocketAddress{"127.0.0.1", 5070}};
  config.test_endpoint.port_min = 21000;
  config.test_endpoint.port_max = 21099;
  config.pbx.uri = "sip:127.0.0.1:5070";
  config.builtin = true;
  return config;
}

}  // namespace rtcgate::gateway
