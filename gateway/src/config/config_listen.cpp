#include "rtcgate/gateway/config_listen.hpp"

#include <array>
#include <optional>
#include <utility>

namespace rtcgate::gateway {
namespace {

constexpr std::array<std::pair<std::string_view, SipTransport>, 5> kTransports{{
    {"udp", SipTransport::Udp},
    {"tcp", SipTransport::Tcp},
    {"tls", SipTransport::Tls},
    {"ws", SipTransport::Ws},
    {"wss", SipTransport::Wss},
}};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Parses a decimal number of at most max_digits digits; the whole text must be consumed.
std::optional<unsigned> parse_decimal(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

std::size_t count_groups(std::string_view part) {
  if (part.empty()) return 0;
  std::size_t groups = 1;
  for (char c : part)
    groups += c == ':' ? 1 : 0;
  return groups;
}

// A run of colon-separated 1–4 digit hex groups, possibly empty.
bool valid_hex_groups(std::string_view part) {
  if (part.empty()) return true;
  std::size_t len = 0;
  for (char c : part) {
    if (c == ':') {
      if (len == 0) return false;
      len = 0;
    } else if (is_hex(c) && ++len <= 4) {
      continue;
    } else {
      return false;
    }
  }
  return len > 0;
}

}  // namespace

std::string_view to_string(SipTransport transport) {
  for (const auto& [name, value] : kTransports) {
    if (value == transport) return name;
  }
  return "udp";
}

std::string SocketAddress::to_string() const {
  std::string host = is_ipv6() ? "[" + ip + "]" : ip;
  return host + ":" + std::to_string(port);
}

std::string ListenAddress::to_string() const {
  return std::string(gateway::to_string(transport)) + ":" + address.to_string();
}

bool is_ipv4_literal(std::string_view text) {
  std::size_t parts = 0;
  while (true) {
    std::size_t dot = text.find('.');
    std::string_view part = text.substr(0, dot);
    auto value = parse_decimal(part, 3);
    if (!value || *value > 255 || (part.size() > 1 && part[0] == '0')) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    text.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool is_ipv6_literal(std::string_view text) {
  if (text.size() < 2 || text.size() > 45) return false;
  std::size_t groups_needed = 8;
  // RFC 4291 §2.2 form 3: the last 32 bits may be written as dotted IPv4.
  std::size_t last_colon = text.rfind(':');
  if (last_colon == std::string_view::npos) return false;
  if (text.find('.', last_colon) != std::string_view::npos) {
    if (!is_ipv4_literal(text.substr(last_colon + 1))) return false;
    text = text.substr(0, last_colon + 1);
    groups_needed = 6;
    // Keep a "::" that ends right before the IPv4 part; drop a single trailing ':'.
    if (text.size() >= 2 && text.ends_with("::")) {
      // stays "...::"
    } else {
      text.remove_suffix(1);
    }
  }
  std::size_t gap = text.find("::");
  if (gap == std::string_view::npos) {
    return valid_hex_groups(text) && count_groups(text) == groups_needed;
  }
  if (text.find("::", gap + 1) != std::string_view::npos) return false;
  std::string_view head = text.substr(0, gap);
  std::string_view tail = text.substr(gap + 2);
  if (!valid_hex_groups(head) || !valid_hex_groups(tail)) return false;
  return count_groups(head) + count_groups(tail) < groups_needed;
}

bool is_ip_literal(std::string_view text) {
  return is_ipv4_literal(text) || is_ipv6_literal(text);
}

std::expected<SocketAddress, std::string> parse_socket_address(std::string_view text, bool allow_port_zero) {
  std::string_view host;
  std::string_view port_text;
  if (text.starts_with('[')) {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) return std::unexpected("missing ']' after the IPv6 address");
    host = text.substr(1, close - 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') return std::unexpected("missing ':PORT'");
    port_text = text.substr(close + 2);
    if (!is_ipv6_literal(host)) return std::unexpected("'" + std::string(host) + "' is not an IPv6 address");
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::unexpected("missing ':PORT'");
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return std::unexpected("write IPv6 addresses in brackets: [IPv6]:PORT");
    }
    if (!is_ipv4_literal(host)) {
      return std::unexpected("'" + std::string(host) +
                             "' is not an IPv4 address (host names are not allowed)");
    }
  }
  auto port = parse_decimal(port_text, 5);
  unsigned min_port = allow_port_zero ? 0 : 1;
  if (!port || *port < min_port || *port > 65535) {
    return std::unexpected("port '" + std::string(port_text) + "' is not in " + std::to_string(min_port) +
                           "..65535");
  }
  return SocketAddress{std::string(host), static_cast<std::uint16_t>(*port)};
}

std::expected<ListenAddress, std::string> parse_listen_address(std::string_view text) {
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return std::unexpected("expected TRANSPORT:IP:PORT (transport udp, tcp, tls, ws or wss)");
  }
  std::string_view name = text.substr(0, colon);
  ListenAddress result;
  bool known = false;
  for (const auto& [candidate, value] : kTransports) {
    if (candidate == name) {
      result.transport = value;
      known = true;
    }
  }
  if (!known) {
    return std::unexpected("unknown transport '" + std::string(name) + "' (use udp, tcp, tls, ws or wss)");
  }
  auto address = parse_socket_address(text.substr(colon + 1), false);
  if (!address) return std::unexpected(address.error());
  result.address = std::move(*address);
  return result;
}

}  // namespace rtcgate::gateway
