// FlowTokens: RFC 5626 §5.2 flow tokens — a Flow packed into a short opaque string that upper
// layers store (the registrar's binding `flow`, a Path or Record-Route user part) and later turn
// back into the Flow, so a request for a WebSocket client goes out over the connection its
// REGISTER came on (RFC 7118 §5, RFC 5626 §5.3).
//
// Format: base64url (no padding; only URI-unreserved characters, so it fits a SIP URI user part)
// of kind(1) | connection(8) | local IP(16, IPv4 as v4-mapped) | local port(2) | remote IP(16) |
// remote port(2) | HMAC-SHA256 over those bytes, truncated to 10 bytes (RFC 5626 §5.2: the token
// must not be forgeable, or anyone could inject requests onto another client's connection).
// Encoding is deterministic: the same Flow always gives the same token (registrar.remove_flow()
// relies on it). The key is random per FlowTokens object, so tokens do not survive a restart —
// neither do the connections they name.
//
// Ownership: owns its key. Thread: const members are safe from any thread.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rtcgate/sip/flow.hpp"

namespace rtcgate::sip::asio {

class FlowTokens {
 public:
  static constexpr std::size_t kKeySize = 32;

  // A fresh random key (OpenSSL RAND_bytes).
  FlowTokens();
  // A given key (tests; several processes sharing tokens).
  explicit FlowTokens(std::span<const unsigned char, kKeySize> key);

  // "" when the flow's addresses are not numeric IPs (never the case for flows a transport made).
  std::string encode(const Flow& flow) const;
  // nullopt for anything that is not a token this object produced (wrong size, bad characters,
  // bad MAC, unknown transport kind).
  std::optional<Flow> decode(std::string_view token) const;

 private:
  std::array<unsigned char, kKeySize> key_{};
};

}  // namespace rtcgate::sip::asio
