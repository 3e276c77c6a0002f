// Value types of the ICE layer (RFC 8445, RFC 8838 trickle, RFC 7675 consent): what the owner gives an
// IceTransport and what it gets back. Candidates are structured values, never SDP text: media/ knows
// no SDP, the gateway formats and parses a=candidate lines (RFC 8839 §5.1).
//
// Plain values: copyable, safe to send between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::media {

enum class IceCandidateType : std::uint8_t { Host, ServerReflexive, PeerReflexive, Relayed };
enum class IceRole : std::uint8_t { Controlling, Controlled };
// Mirrors libnice's component states; Failed after Connected/Ready with consent freshness on means
// consent was lost (RFC 7675 §5.1).
enum class IceState : std::uint8_t { New, Gathering, Checking, Connected, Ready, Failed, Disconnected };

struct IceCandidate {
  std::string foundation;
  std::uint32_t component = 1;  // 1 = RTP (rtcp-mux: the only one)
  std::string transport = "udp";
  std::uint32_t priority = 0;
  std::string address;
  std::uint16_t port = 0;
  IceCandidateType type = IceCandidateType::Host;
  std::string related_address;  // raddr (srflx/relay/prflx), empty for host
  std::uint16_t related_port = 0;

  friend bool operator==(const IceCandidate&, const IceCandidate&) = default;
};

struct IceCredentials {
  std::string ufrag;
  std::string pwd;

  friend bool operator==(const IceCredentials&, const IceCredentials&) = default;
};

struct IceServer {
  enum class Kind : std::uint8_t { Stun, Turn };
  Kind kind = Kind::Stun;
  std::string address;  // an IP literal (no DNS in media/)
  std::uint16_t port = 3478;
  std::string username;  // TURN only
  std::string password;  // TURN only
};

struct IceConfig {
  IceRole role = IceRole::Controlled;
  bool lite = false;  // RFC 8445 §2.5: always controlled; the gateway writes a=ice-lite itself
  bool trickle = true;
  bool consent_freshness = true;
  // Once a pair on a plain UDP socket is selected, read and write that socket directly and answer
  // STUN and run consent ourselves (ice_fast_path.hpp) instead of going through libnice. Only when no
  // TURN server is configured (see ice_transport.hpp for why).
  bool fast_path = true;
  // RFC 7675 §5.1: 30 s without an answer to our consent checks revokes consent. Tests shorten it.
  // Used by the fast path; libnice's own consent (no fast path) has its fixed 10 s (LIMITS.md §1.3).
  std::chrono::milliseconds consent_timeout{30000};
  bool regular_nomination = false;          // default aggressive (faster setup, LIMITS.md §1.2)
  std::vector<std::string> bind_addresses;  // IP literals; empty = every interface libnice finds
  std::string public_address;               // 1:1 NAT: published in place of host addresses
  std::uint16_t port_min = 0;               // 0/0 = ephemeral ports
  std::uint16_t port_max = 0;
  std::vector<IceServer> servers;
};

[[nodiscard]] std::string_view to_string(IceState state) noexcept;
[[nodiscard]] std::string_view to_string(IceCandidateType type) noexcept;

}  // namespace rtcgate::media
