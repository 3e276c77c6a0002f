// rtcgate::sdp::SessionDescription — the value types of an RFC 8866 session description.
//
// Purpose: a lossless, typed-where-it-matters model of one SDP body. Every line the parser
// accepts is kept: known fields in typed members, every a= line as an ordered Attribute (typed
// views live in rtcgate/sdp/attributes/), and lines with an unknown type letter in `extra_lines`
// of the section they appeared in. Writing (writer.hpp) emits RFC 8866 §5 order with CRLF.
// Ownership: plain values (strings are owned copies, nothing points into the parsed input).
// Thread affinity: none. Units: ports are UDP/TCP port numbers, bandwidth in the unit of its
// type (kbit/s for AS/CT, bit/s for TIAS), times are NTP seconds (RFC 8866 §5.9).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::sdp {

/// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address> (RFC 8866 §5.2).
/// Ids are kept as text: some endpoints send values wider than 64 bits.
struct Origin {
  std::string username = "-";
  std::string session_id = "0";
  std::string session_version = "0";
  std::string net_type = "IN";
  std::string addr_type = "IP4";
  std::string address = "0.0.0.0";
  bool operator==(const Origin&) const = default;
};

/// c=<nettype> <addrtype> <connection-address> (RFC 8866 §5.7). Multicast forms keep their
/// suffixes: IP4 `addr/ttl[/count]`, IP6 `addr[/count]`.
struct Connection {
  std::string net_type = "IN";
  std::string addr_type = "IP4";
  std::string address;
  std::optional<std::uint32_t> ttl;
  std::optional<std::uint32_t> address_count;
  /// RFC 3264 §8.4 (and RFC 2543) hold: an all-zero unicast address.
  bool is_hold_address() const { return address == "0.0.0.0" || address == "::"; }
  bool operator==(const Connection&) const = default;
};

/// b=<bwtype>:<bandwidth> (RFC 8866 §5.8; TIAS from RFC 3890).
struct Bandwidth {
  std::string type;
  std::uint64_t value = 0;
  bool operator==(const Bandwidth&) const = default;
};

/// t=<start> <stop> followed by its r= lines (kept verbatim) (RFC 8866 §5.9, §5.10).
struct Timing {
  std::uint64_t start = 0;
  std::uint64_t stop = 0;
  std::vector<std::string> repeats;
  bool operator==(const Timing&) const = default;
};

/// a=<name>[:<value>] (RFC 8866 §5.13). `value` is absent for property attributes (a=rtcp-mux)
/// and present (possibly empty) for value attributes.
struct Attribute {
  std::string name;
  std::optional<std::string> value;
  bool operator==(const Attribute&) const = default;
};

/// A line whose type letter RFC 8866 does not define; kept in order within its section.
struct ExtraLine {
  char type = 'x';
  std::string value;
  bool operator==(const ExtraLine&) const = default;
};

/// Ordered attribute list with the lookups every caller needs.
struct AttributeList {
  std::vector<Attribute> items;

  /// First attribute named `name` (case-sensitive, as RFC 8866 attribute names are compared).
  const Attribute* find(std::string_view name) const;
  /// Value of the first `name` attribute; nullopt if absent or a property attribute.
  std::optional<std::string_view> value(std::string_view name) const;
  /// All values of attributes named `name`, in order.
  std::vector<std::string_view> values(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  std::size_t count(std::string_view name) const;
  void add(std::string name) { items.push_back({std::move(name), std::nullopt}); }
  void add(std::string name, std::string value) { items.push_back({std::move(name), std::move(value)}); }
  /// Removes every attribute named `name`; returns how many were removed.
  std::size_t remove(std::string_view name);
  bool operator==(const AttributeList&) const = default;
};

/// One m= section (RFC 8866 §5.14) with its own i=, c=, b=, k= and a= lines.
struct MediaDescription {
  std::string media = "audio";  // audio, video, application, text, message, or a token
  std::uint16_t port = 0;       // 0 = rejected / disabled (RFC 3264 §6)
  std::optional<std::uint16_t> port_count;
  std::string proto = "RTP/AVP";
  std::vector<std::string> formats;  // payload types for RTP protos, tokens otherwise
  std::optional<std::string> information;
  std::vector<Connection> connections;
  std::vector<Bandwidth> bandwidths;
  std::optional<std::string> key;
  std::vector<ExtraLine> extra_lines;
  AttributeList attributes;

  bool is_rtp() const { return proto.find("RTP/") != std::string::npos; }
  bool operator==(const MediaDescription&) const = default;
};

struct SessionDescription {
  std::uint32_t version = 0;
  Origin origin;
  std::string session_name = "-";
  std::optional<std::string> information;
  std::optional<std::string> uri;
  std::vector<std::string> emails;
  std::vector<std::string> phones;
  std::optional<Connection> connection;
  std::vector<Bandwidth> bandwidths;
  std::vector<Timing> timings;  // at least one after a successful parse
  std::optional<std::string> zone;
  std::optional<std::string> key;
  std::vector<ExtraLine> extra_lines;
  AttributeList attributes;
  std::vector<MediaDescription> media;

  /// The c= that applies to `m` (its own first c=, else the session c=), or nullptr.
  const Connection* connection_for(const MediaDescription& m) const;
  bool operator==(const SessionDescription&) const = default;
};

}  // namespace rtcgate::sdp
