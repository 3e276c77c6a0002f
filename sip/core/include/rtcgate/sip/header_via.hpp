// Via: one via-parm (RFC 3261 §20.42, §25.1; RFC 3581 rport; RFC 7118 WS/WSS transports).
//
// `params` keeps every parameter in order (branch, received, rport, maddr, ttl and any other);
// the accessors below read them. rport is a flag in a request the client sends and gets a value
// when a server fills it in (RFC 3581 §4): has_rport() tells whether it is present at all,
// rport() gives the value if any. The transport is kept upper-case as written ("UDP", "TCP",
// "TLS", "WS", "WSS", "SCTP"); `host` keeps IPv6 brackets. Value type; no thread affinity.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "rtcgate/sip/param.hpp"
#include "rtcgate/sip/parse_error.hpp"

namespace rtcgate::sip {

// RFC 3261 §8.1.1.7: a branch starting with this cookie was made by an RFC 3261 element.
inline constexpr std::string_view kBranchMagicCookie = "z9hG4bK";

struct Via {
  std::string protocol_name = "SIP";
  std::string protocol_version = "2.0";
  std::string transport = "UDP";
  std::string host;
  std::optional<std::uint16_t> port;
  Params params;

  std::optional<std::string_view> param(std::string_view name) const { return param_value(params, name); }
  std::string_view branch() const { return param("branch").value_or(std::string_view{}); }
  bool has_rfc3261_branch() const { return branch().starts_with(kBranchMagicCookie); }
  std::optional<std::string_view> received() const { return param("received"); }
  std::optional<std::string_view> maddr() const { return param("maddr"); }
  std::optional<std::uint8_t> ttl() const;
  bool has_rport() const { return find_param(params, "rport") != nullptr; }
  std::optional<std::uint16_t> rport() const;  // the value, when the parameter has one

  void set_branch(std::string_view branch) { set_param(params, "branch", branch); }
  void set_received(std::string_view address) { set_param(params, "received", address); }
  void set_rport(std::uint16_t port);  // fills in rport=port (adds it when absent)

  std::string to_string() const;
  void append_to(std::string& out) const;
};

// Parses one via-parm (a single list element, already split on commas).
std::expected<Via, ParseError> parse_via(std::string_view text);

}  // namespace rtcgate::sip
