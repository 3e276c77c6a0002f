#include "line_fields.hpp"

#include "text.hpp"

namespace rtcgate::sdp::detail {

namespace {

std::unexpected<ParseError> fail(ParseErrc code, std::string reason) {
  return std::unexpected(ParseError{code, 0, std::move(reason)});
}

bool is_field(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7F) return false;
  }
  return !s.empty();
}

}  // namespace

// RFC 8866 §5.2: o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
std::expected<Origin, ParseError> parse_origin(std::string_view v) {
  const auto f = split_spaces(v);
  if (f.size() != 6) return fail(ParseErrc::BadOrigin, "o= needs 6 fields");
  for (auto field : f) {
    if (!is_field(field)) return fail(ParseErrc::BadOrigin, "o= field has control characters");
  }
  if (f[1].find_first_not_of("0123456789") != std::string_view::npos) {
    return fail(ParseErrc::BadOrigin, "o= session id is not numeric");
  }
  if (f[2].find_first_not_of("0123456789") != std::string_view::npos) {
    return fail(ParseErrc::BadOrigin, "o= session version is not numeric");
  }
  return Origin{std::string(f[0]), std::string(f[1]), std::string(f[2]),
                std::string(f[3]), std::string(f[4]), std::string(f[5])};
}

// RFC 8866 §5.7: c=<nettype> <addrtype> <connection-address>; multicast suffixes per §5.7.
std::expected<Connection, ParseError> parse_connection(std::string_view v) {
  const auto f = split_spaces(v);
  if (f.size() != 3) return fail(ParseErrc::BadConnection, "c= needs 3 fields");
  for (auto field : f) {
    if (!is_field(field)) return fail(ParseErrc::BadConnection, "c= field has control characters");
  }
  Connection c{std::string(f[0]), std::string(f[1]), {}, std::nullopt, std::nullopt};
  const auto parts = split(f[2], '/');
  if (parts.size() > 3 || parts[0].empty()) return fail(ParseErrc::BadConnection, "bad c= address");
  c.address = std::string(parts[0]);
  const bool ip6 = c.addr_type == "IP6";
  if (parts.size() >= 2) {
    auto n = parse_uint<std::uint32_t>(parts[1]);
    if (!n) return fail(ParseErrc::BadConnection, "bad c= ttl or address count");
    if (ip6) {
      if (parts.size() == 3) return fail(ParseErrc::BadConnection, "IP6 c= has no ttl");
      c.address_count = *n;
    } else {
      if (*n > 255) return fail(ParseErrc::BadConnection, "c= ttl above 255");
      c.ttl = *n;
    }
  }
  if (parts.size() == 3) {
    auto n = parse_uint<std::uint32_t>(parts[2]);
    if (!n) return fail(ParseErrc::BadConnection, "bad c= address count");
    c.address_count = *n;
  }
  return c;
}

// RFC 8866 §5.8: b=<bwtype>:<bandwidth>
std::expected<Bandwidth, ParseError> parse_bandwidth(std::string_view v) {
  const auto colon = v.find(':');
  if (colon == std::string_view::npos) return fail(ParseErrc::BadBandwidth, "b= needs type:value");
  const auto type = v.substr(0, colon);
  if (!is_token(type)) return fail(ParseErrc::BadBandwidth, "bad b= type");
  auto n = parse_uint<std::uint64_t>(v.substr(colon + 1));
  if (!n) return fail(ParseErrc::BadBandwidth, "bad b= value");
  return Bandwidth{std::string(type), *n};
}

// RFC 8866 §5.9: t=<start-time> <stop-time>
std::expected<Timing, ParseError> parse_timing(std::string_view v) {
  const auto f = split_spaces(v);
  if (f.size() != 2) return fail(ParseErrc::BadTiming, "t= needs 2 fields");
  auto start = parse_uint<std::uint64_t>(f[0]);
  auto stop = parse_uint<std::uint64_t>(f[1]);
  if (!start || !stop) return fail(ParseErrc::BadTiming, "t= times must be decimal");
  return Timing{*start, *stop, {}};
}

// RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
std::expected<MediaDescription, ParseError> parse_media_line(std::string_view v) {
  const auto f = split_spaces(v);
  if (f.size() < 3) return fail(ParseErrc::BadMedia, "m= needs media, port and proto");
  if (!is_token(f[0])) return fail(ParseErrc::BadMedia, "bad m= media type");
  MediaDescription m;
  m.media = std::string(f[0]);
  const auto port_parts = split(f[1], '/');
  if (port_parts.size() > 2) return fail(ParseErrc::BadMedia, "bad m= port");
  auto port = parse_uint<std::uint16_t>(port_parts[0]);
  if (!port) return fail(ParseErrc::BadMedia, "m= port is not 0-65535");
  m.port = *port;
  if (port_parts.size() == 2) {
    auto count = parse_uint<std::uint16_t>(port_parts[1]);
    if (!count) return fail(ParseErrc::BadMedia, "bad m= port count");
    m.port_count = *count;
  }
  for (char c : f[2]) {
    if (c != '/' && !is_token(std::string_view(&c, 1))) return fail(ParseErrc::BadMedia, "bad m= proto");
  }
  m.proto = std::string(f[2]);
  for (std::size_t i = 3; i < f.size(); ++i) {
    if (!is_field(f[i])) return fail(ParseErrc::BadMedia, "bad m= format");
    m.formats.emplace_back(f[i]);
  }
  return m;
}

// RFC 8866 §5.13: a=<attribute-name>[:<attribute-value>]
std::expected<Attribute, ParseError> parse_attribute(std::string_view v) {
  const auto colon = v.find(':');
  const auto name = v.substr(0, colon);
  if (name.empty()) return fail(ParseErrc::BadAttribute, "empty attribute name");
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7F) {
      return fail(ParseErrc::BadAttribute, "attribute name has spaces or control characters");
    }
  }
  if (colon == std::string_view::npos) return Attribute{std::string(name), std::nullopt};
  return Attribute{std::string(name), std::string(v.substr(colon + 1))};
}

}  // namespace rtcgate::sdp::detail
