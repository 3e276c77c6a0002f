// Profile builders: the two kinds of description rtcgate writes (DESIGN.md "Call flows").
//
//  * build_webrtc_description — UDP/TLS/RTP/SAVPF with BUNDLE (RFC 9143), rtcp-mux (RFC 5761),
//    rtcp-rsize (RFC 5506), ICE credentials, options and candidates (RFC 8839), DTLS fingerprint
//    and setup (RFC 8122, RFC 5763), mid, optional ssrc/msid. What a browser expects.
//  * build_legacy_description — RTP/AVP, or RTP/SAVP with a=crypto (RFC 4568); c= and m= carry the
//    media address and port; a=rtcp:<port+1> (RFC 3605) unless rtcp-mux; codecs, telephone-event,
//    ptime and direction. Never ICE, DTLS, extmap, msid, ssrc, mid or group lines: SIP phones and
//    PBXs reject or mishandle them.
//
// Both are pure functions of their parameters (no clock, no randomness: the caller supplies the
// session id/version, keys and credentials). The result is a SessionDescription; write() it.
// Codecs must carry their payload_type (negotiate.hpp fills them in).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <rtcgate/sdp/attributes/candidate.hpp>
#include <rtcgate/sdp/attributes/crypto.hpp>
#include <rtcgate/sdp/attributes/direction.hpp>
#include <rtcgate/sdp/attributes/fingerprint.hpp>
#include <rtcgate/sdp/attributes/ice.hpp>
#include <rtcgate/sdp/attributes/msid.hpp>
#include <rtcgate/sdp/attributes/setup.hpp>
#include <rtcgate/sdp/codec.hpp>
#include <rtcgate/sdp/session_description.hpp>

namespace rtcgate::sdp {

/// o= and c= of the description we write.
struct SessionParams {
  std::string username = "rtcgate";
  std::string session_id = "0";
  std::string session_version = "0";
  std::string session_name = "rtcgate";
  std::string address = "127.0.0.1";  // our media address (IPv4 or IPv6), used in o= and c=
};

struct MediaSectionParams {
  std::string media = "audio";
  std::string mid;                   // WebRTC only
  std::uint16_t port = 9;            // our RTP port (WebRTC: the default candidate's port, 9 while trickling)
  bool rejected = false;             // written with port 0 (RFC 3264 §6)
  std::string proto;                 // empty = the profile's default; answers echo the offered proto
  std::vector<Codec> codecs;         // with payload types, in preference order
  std::vector<std::string> formats;  // used instead of codecs for rejected sections
  Direction direction = Direction::SendRecv;
  std::uint32_t ptime_ms = 0;  // 0 = no a=ptime
  std::uint32_t maxptime_ms = 0;
  // WebRTC only
  std::optional<std::uint32_t> ssrc;
  std::string cname;
  std::optional<Msid> msid;
  bool rtcp_rsize = true;  // a=rtcp-rsize (RFC 5506 §5: an answer carries it only when offered)
  // Legacy only
  std::vector<Crypto> crypto;  // non-empty = RTP/SAVP
};

struct WebRtcDescriptionParams {
  SessionParams session;
  IceCredentials ice;
  std::vector<Candidate> candidates;
  bool ice_lite = false;
  bool trickle = true;             // a=ice-options:trickle
  bool end_of_candidates = false;  // gathering complete
  Fingerprint fingerprint;
  Setup setup = Setup::ActPass;
  std::optional<std::string> tls_id;
  std::vector<MediaSectionParams> media;
};

struct LegacyDescriptionParams {
  SessionParams session;
  bool rtcp_mux = false;
  std::vector<MediaSectionParams> media;
};

SessionDescription build_webrtc_description(const WebRtcDescriptionParams& params);
SessionDescription build_legacy_description(const LegacyDescriptionParams& params);

}  // namespace rtcgate::sdp
