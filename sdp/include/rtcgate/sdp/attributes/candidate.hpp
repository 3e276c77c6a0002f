// a=candidate — RFC 8839 §5.1:
//   candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP priority SP
//                         connection-address SP port SP "typ" SP cand-type
//                         [SP "raddr" SP connection-address] [SP "rport" SP port]
//                         *(SP extension-att-name SP extension-att-value)
// TCP candidates carry `tcptype active|passive|so` (RFC 6544 §4.5); libwebrtc adds `generation`,
// `ufrag`, `network-id`, `network-cost` — kept as ordered extension pairs. The address may be
// IPv4, IPv6 or an FQDN (mDNS `.local` names, draft-ietf-mmusic-mdns-ice-candidates).
// The value may start with "candidate:" (as in a trickle INFO or a JS RTCIceCandidate string).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

enum class CandidateType : std::uint8_t { Host, Srflx, Prflx, Relay };
enum class TcpType : std::uint8_t { Active, Passive, So };

std::string_view to_string(CandidateType t);
std::string_view to_string(TcpType t);

struct Candidate {
  std::string foundation;         // 1-32 ice-chars
  std::uint16_t component = 1;    // 1 = RTP, 2 = RTCP
  std::string transport = "UDP";  // as written ("udp", "UDP", "tcp")
  std::uint32_t priority = 0;
  std::string address;  // IPv4, IPv6 or FQDN
  std::uint16_t port = 0;
  CandidateType type = CandidateType::Host;
  std::optional<std::string> related_address;
  std::optional<std::uint16_t> related_port;
  std::optional<TcpType> tcp_type;
  std::optional<std::uint32_t> generation;
  std::vector<std::pair<std::string, std::string>> extensions;  // unknown name/value pairs, in order

  bool is_udp() const;
  bool is_tcp() const;
  bool is_ipv6() const { return address.find(':') != std::string::npos; }
  bool is_mdns() const;  // an FQDN ending in ".local"
  bool operator==(const Candidate&) const = default;
};

std::expected<Candidate, ParseError> parse_candidate(std::string_view value);
/// The attribute value (without "candidate:"). Extensions follow raddr/rport/tcptype/generation.
std::string to_value(const Candidate& c);

}  // namespace rtcgate::sdp
