#include <rtcgate/sdp/attributes/candidate.hpp>

#include <array>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

namespace {

constexpr std::array<std::string_view, 4> kTypes = {"host", "srflx", "prflx", "relay"};
constexpr std::array<std::string_view, 3> kTcpTypes = {"active", "passive", "so"};

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i) {
    if (detail::iequals(names[i], s)) return static_cast<E>(i);
  }
  return std::nullopt;
}

bool is_foundation(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

// connection-address: IPv4, IPv6 or FQDN. Only the character set is checked here; the ICE layer
// resolves (or, for mDNS names, ignores) what it cannot use.
bool is_address(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == ':' || c == '-' || c == '%' || c == '_';
    if (!ok) return false;
  }
  return true;
}

using Fields = std::vector<std::string_view>;

// The optional part after "typ <type>": name/value pairs (RFC 8839 §5.1).
std::expected<void, ParseError> parse_extensions(const Fields& f, std::size_t i, Candidate& c) {
  if ((f.size() - i) % 2 != 0) return detail::bad_attribute("candidate extension without a value");
  for (; i < f.size(); i += 2) {
    const auto name = f[i];
    const auto value = f[i + 1];
    if (name == "raddr") {
      if (!is_address(value)) return detail::bad_attribute("bad candidate raddr");
      c.related_address = std::string(value);
    } else if (name == "rport") {
      auto port = detail::parse_uint<std::uint16_t>(value);
      if (!port) return detail::bad_attribute("bad candidate rport");
      c.related_port = *port;
    } else if (name == "tcptype") {
      c.tcp_type = lookup<TcpType>(kTcpTypes, value);
      if (!c.tcp_type) return detail::bad_attribute("bad candidate tcptype");
    } else if (name == "generation") {
      auto gen = detail::parse_uint<std::uint32_t>(value);
      if (!gen) return detail::bad_attribute("bad candidate generation");
      c.generation = *gen;
    } else {
      if (!detail::is_token(name) || !detail::is_token(value)) {
        return detail::bad_attribute("bad candidate extension");
      }
      c.extensions.emplace_back(name, value);
    }
  }
  return {};
}

}  // namespace

std::string_view to_string(CandidateType t) {
  return kTypes[static_cast<std::size_t>(t)];
}
std::string_view to_string(TcpType t) {
  return kTcpTypes[static_cast<std::size_t>(t)];
}

bool Candidate::is_udp() const {
  return detail::iequals(transport, "udp");
}
bool Candidate::is_tcp() const {
  return detail::iequals(transport, "tcp");
}
bool Candidate::is_mdns() const {
  return address.size() > 6 &&
         detail::iequals(std::string_view(address).substr(address.size() - 6), ".local");
}

std::expected<Candidate, ParseError> parse_candidate(std::string_view value) {
  if (value.starts_with("a=")) value.remove_prefix(2);
  if (value.starts_with("candidate:")) value.remove_prefix(10);
  const Fields f = detail::split_spaces(value);
  if (f.size() < 8) return detail::bad_attribute("candidate needs at least 8 fields");
  Candidate c;
  if (!is_foundation(f[0])) return detail::bad_attribute("bad candidate foundation");
  c.foundation = std::string(f[0]);
  auto component = detail::parse_uint<std::uint16_t>(f[1], 256);
  if (!component || *component == 0) return detail::bad_attribute("candidate component must be 1-256");
  c.component = *component;
  if (!detail::is_token(f[2])) return detail::bad_attribute("bad candidate transport");
  c.transport = std::string(f[2]);
  auto priority = detail::parse_uint<std::uint32_t>(f[3]);
  if (!priority || *priority == 0) return detail::bad_attribute("candidate priority must be 1-(2^31-1)");
  c.priority = *priority;
  if (!is_address(f[4])) return detail::bad_attribute("bad candidate address");
  c.address = std::string(f[4]);
  auto port = detail::parse_uint<std::uint16_t>(f[5]);
  if (!port) return detail::bad_attribute("candidate port is not 0-65535");
  c.port = *port;
  if (f[6] != "typ") return detail::bad_attribute("candidate needs 'typ' after the port");
  auto type = lookup<CandidateType>(kTypes, f[7]);
  if (!type) return detail::bad_attribute("unknown candidate type");
  c.type = *type;
  if (auto ext = parse_extensions(f, 8, c); !ext) return std::unexpected(ext.error());
  // RFC 6544 §4.5 requires tcptype on TCP candidates; a missing one is tolerated (the ICE layer
  // then skips the candidate) rather than failing the whole description.
  return c;
}

std::string to_value(const Candidate& c) {
  std::string out = c.foundation;
  out.push_back(' ');
  detail::append_uint(out, c.component);
  out += ' ' + c.transport + ' ';
  detail::append_uint(out, c.priority);
  out += ' ' + c.address + ' ';
  detail::append_uint(out, c.port);
  out += " typ ";
  out += to_string(c.type);
  if (c.related_address) out += " raddr " + *c.related_address;
  if (c.related_port) {
    out += " rport ";
    detail::append_uint(out, *c.related_port);
  }
  if (c.tcp_type) {
    out += " tcptype ";
    out += to_string(*c.tcp_type);
  }
  if (c.generation) {
    out += " generation ";
    detail::append_uint(out, *c.generation);
  }
  for (const auto& [name, value] : c.extensions)
    out += ' ' + name + ' ' + value;
  return out;
}

}  // namespace rtcgate::sdp
