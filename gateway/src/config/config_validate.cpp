#include "config_validate.hpp"

#include "toml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>

namespace rtcgate::gateway::detail {
namespace {

bool is_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
  });
}

// RFC 3261 §25.1 "user": unreserved, escaped and user-unreserved characters.
bool is_user_part(std::string_view user) {
  if (user.empty() || user.size() > 128) return false;
  return std::all_of(user.begin(), user.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("-_.!~*'()&=+$,;?/%").find(c) != std::string_view::npos;
  });
}

void check_port_range(TomlReader& in, const std::string& table, std::uint16_t min, std::uint16_t max) {
  std::string min_key = table + ".port_min";
  std::string max_key = table + ".port_max";
  if (min >= max) {
    unsigned line = in.has(max_key) ? in.line_of(max_key) : in.line_of(min_key);
    in.error(max_key, line,
             "port_max (" + std::to_string(max) + ") must be above port_min (" + std::to_string(min) + ")");
  }
  if (min % 2 != 0) {
    in.error(min_key, in.line_of(min_key),
             "must be even: RTP takes the even port, RTCP the next (RFC 3550 §11)");
  }
}

// UDP listeners and stream (TCP-based) listeners live in separate port spaces.
class AddressClaims {
 public:
  explicit AddressClaims(TomlReader& in) : in_(in) {}
  void claim(bool stream, const SocketAddress& address, const std::string& key, unsigned line) {
    if (address.port == 0) return;  // any free port: cannot clash
    if (!seen_.emplace(stream, address.to_string()).second) {
      in_.error(
          key, line,
          address.to_string() + (stream ? " (tcp)" : " (udp)") + " is already used by another listener");
    }
  }

 private:
  TomlReader& in_;
  std::set<std::pair<bool, std::string>> seen_;
};

void check_listeners(TomlReader& in, const Config& config) {
  unsigned line = in.line_of("sip.listen");
  AddressClaims claims(in);
  bool has_web = false;
  bool has_legacy = false;
  for (const ListenAddress& listener : config.sip.listen) {
    has_web = has_web || listener.is_websocket();
    has_legacy = has_legacy || !listener.is_websocket();
    claims.claim(listener.transport != SipTransport::Udp, listener.address, "sip.listen", line);
  }
  if (!has_web) in.error("sip.listen", line, "needs a ws: or wss: listener, or browsers cannot connect");
  if (!has_legacy) in.error("sip.listen", line, "needs a udp:, tcp: or tls: listener for the PBX side");
  claims.claim(true, config.http.listen, "http.listen", in.line_of("http.listen"));
  if (config.test_endpoint.enabled) {
    claims.claim(false, config.test_endpoint.listen.address, "test_endpoint.listen",
                 in.line_of("test_endpoint.listen"));
  }
}

void check_tls(TomlReader& in, const SipConfig& sip) {
  bool has_cert = !sip.tls_cert.empty();
  bool has_key = !sip.tls_key.empty();
  if (has_cert != has_key) {
    std::string missing = has_cert ? "sip.tls_key" : "sip.tls_cert";
    std::string present = has_cert ? "sip.tls_cert" : "sip.tls_key";
    in.error(present, in.line_of(present), "set together with " + missing);
  }
  for (const auto& [key, path] :
       {std::pair{"sip.tls_cert", sip.tls_cert}, std::pair{"sip.tls_key", sip.tls_key}}) {
    if (!path.empty() && !std::ifstream(path).good()) {
      in.error(key, in.line_of(key), "cannot read '" + path + "'");
    }
  }
  bool secure =
      std::any_of(sip.listen.begin(), sip.listen.end(), [](const auto& l) { return l.is_secure(); });
  if (secure && !has_cert) {
    in.note("sip.listen", in.line_of("sip.listen"),
            "tls:/wss: listeners without tls_cert/tls_key use a self-signed certificate generated at start");
  }
}

void check_media(TomlReader& in, const Config& config) {
  const MediaConfig& media = config.media;
  if (!is_ip_literal(media.bind_address)) {
    in.error("media.bind_address", in.line_of("media.bind_address"),
             "'" + media.bind_address + "' is not an IP address");
  }
  if (!media.public_address.empty() && !is_ip_literal(media.public_address)) {
    in.error("media.public_address", in.line_of("media.public_address"),
             "'" + media.public_address + "' is not an IP address");
  }
  check_port_range(in, "media", media.port_min, media.port_max);
  const TestEndpointConfig& endpoint = config.test_endpoint;
  if (!endpoint.enabled) return;
  check_port_range(in, "test_endpoint", endpoint.port_min, endpoint.port_max);
  if (endpoint.port_min <= media.port_max && media.port_min <= endpoint.port_max) {
    in.error("test_endpoint.port_min", in.line_of("test_endpoint.port_min"),
             "range overlaps media.port_min..media.port_max");
  }
}

void check_pbx(TomlReader& in, Config& config) {
  PbxConfig& pbx = config.pbx;
  if (pbx.uri.empty() && in.has("pbx.uri")) {
    in.error("pbx.uri", in.line_of("pbx.uri"), "must not be empty");
  } else if (pbx.uri.empty() && config.test_endpoint.enabled) {
    pbx.uri = "sip:" + config.test_endpoint.listen.address.to_string();
  } else if (pbx.uri.empty()) {
    in.error("pbx.uri", in.line_of("pbx.uri"),
             "missing: name the PBX calls go to, or enable [test_endpoint]");
  } else if (std::string reason = check_sip_uri(pbx.uri); !reason.empty()) {
    in.error("pbx.uri", in.line_of("pbx.uri"), "'" + pbx.uri + "': " + reason);
  }
  if (!pbx.password.empty() && pbx.username.empty()) {
    in.error("pbx.password", in.line_of("pbx.password"), "set pbx.username too");
  } else if (!pbx.username.empty() && pbx.password.empty()) {
    in.error("pbx.username", in.line_of("pbx.username"), "set pbx.password too");
  }
}

void check_users(TomlReader& in, const std::vector<LocalUser>& users) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < users.size(); ++i) {
    std::string prefix = "users[" + std::to_string(i) + "]";
    const LocalUser& user = users[i];
    if (!user.name.empty() && !is_user_part(user.name)) {
      in.error(prefix + ".name", in.line_of(prefix + ".name"),
               "'" + user.name + "' is not a valid SIP user name");
    } else if (!user.name.empty() && !names.insert(user.name).second) {
      in.error(prefix + ".name", in.line_of(prefix + ".name"), "user '" + user.name + "' is defined twice");
    }
    if (in.has(prefix + ".password") && user.password.empty()) {
      in.error(prefix + ".password", in.line_of(prefix + ".password"), "must not be empty");
    }
  }
}

bool has_audio(const std::vector<Codec>& codecs) {
  return std::any_of(codecs.begin(), codecs.end(), [](Codec c) { return c != Codec::TelephoneEvent; });
}

void check_codecs(TomlReader& in, const CodecConfig& codecs) {
  for (const auto& [key, list] :
       {std::pair{"codecs.web", &codecs.web}, std::pair{"codecs.legacy", &codecs.legacy}}) {
    if (!has_audio(*list)) in.error(key, in.line_of(key), "needs at least one audio codec");
  }
  bool shared = std::any_of(codecs.web.begin(), codecs.web.end(), [&](Codec c) {
    return c != Codec::TelephoneEvent &&
           std::find(codecs.legacy.begin(), codecs.legacy.end(), c) != codecs.legacy.end();
  });
  if (!codecs.transcode && !shared && has_audio(codecs.web) && has_audio(codecs.legacy)) {
    in.error("codecs.transcode", in.line_of("codecs.transcode"),
             "false, but codecs.web and codecs.legacy share no audio codec: no call could connect");
  }
}

}  // namespace

std::string check_sip_uri(std::string_view uri) {
  std::string_view rest = uri;
  if (rest.starts_with("sip:")) {
    rest.remove_prefix(4);
  } else if (rest.starts_with("sips:")) {
    rest.remove_prefix(5);
  } else {
    return "must start with sip: or sips:";
  }
  std::string_view params;
  if (std::size_t semi = rest.find(';'); semi != std::string_view::npos) {
    params = rest.substr(semi + 1);
    rest = rest.substr(0, semi);
  }
  if (std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    if (!is_user_part(rest.substr(0, at))) return "bad user part";
    rest.remove_prefix(at + 1);
  }
  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with('[')) {
    std::size_t close = rest.find(']');
    if (close == std::string_view::npos || !is_ipv6_literal(rest.substr(1, close - 1)))
      return "bad IPv6 host";
    host = rest.substr(0, close + 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return "bad text after the host";
      port = rest.substr(close + 2);
    }
  } else if (std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty()) return "empty port";
  }
  if (!host.starts_with('[') && !is_host_name(host)) return "bad host";
  if (!port.empty()) {
    bool digits = port.size() <= 5 &&
                  std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoul(std::string(port)) == 0 || std::stoul(std::string(port)) > 65535)
      return "bad port";
  }
  if (params.find_first_of(" \t\r\n<>\"") != std::string_view::npos) return "bad characters in parameters";
  return {};
}

void validate_config(TomlReader& in, Config& config) {
  check_listeners(in, config);
  check_tls(in, config.sip);
  if (config.sip.domain.empty() || !is_host_name(config.sip.domain)) {
    in.error("sip.domain", in.line_of("sip.domain"),
             "'" + config.sip.domain + "' is not a host name or IPv4 address");
  }
  check_media(in, config);
  check_pbx(in, config);
  check_users(in, config.users);
  check_codecs(in, config.codecs);
}

}  // namespace rtcgate::gateway::detail
