// RFC 3264 offer/answer for rtcgate's two legs, as pure functions.
//
// Purpose: turn (local policy, remote description) into (our description, NegotiatedMedia per
// m= line). NegotiatedMedia is everything the media engine needs to build its fixed per-call plan
// (DESIGN.md "Decide at negotiation"): codec and payload-type map, telephone-event paired by clock
// rate, ptime, direction, remote RTP/RTCP addresses, ICE credentials and candidates, DTLS
// fingerprint and role, SRTP profiles or SDES keys, rtcp-mux, mid and BUNDLE group.
//
//   answer_offer(policy, offer)           we answer a remote offer (browser INVITE, PBX INVITE)
//   create_offer(policy)                  we offer (PBX leg of a browser call, browser leg of a PBX call)
//   process_answer(policy, offer, answer) the remote answered our offer
//
// Rules (RFC 3264 §6): the answer has one m= line per offered line in the same order; a line we
// cannot or will not use is rejected with port 0 and its reason recorded. We answer with exactly
// one codec (our first preference that was offered) plus telephone-event at that codec's clock
// rate, so the media route never has to follow a mid-call codec switch. Direction is the offered
// one reversed and intersected with our policy (sendonly → recvonly); `c=0.0.0.0` (RFC 3264 §8.4,
// RFC 2543 hold) counts as "the offerer will not receive". WebRTC answers take the DTLS role
// `active` for an `actpass` offer (RFC 5763 §5). Only m= lines of `policy.media_types` are
// accepted, at most `policy.max_streams` of them.
//
// Ownership: inputs are borrowed for the call; results are owned values. No I/O, no clock, no
// randomness (ids, keys and credentials come in through the policy). Thread affinity: none.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rtcgate/sdp/attributes/candidate.hpp>
#include <rtcgate/sdp/attributes/crypto.hpp>
#include <rtcgate/sdp/attributes/direction.hpp>
#include <rtcgate/sdp/attributes/fingerprint.hpp>
#include <rtcgate/sdp/attributes/ice.hpp>
#include <rtcgate/sdp/codec.hpp>
#include <rtcgate/sdp/profiles.hpp>
#include <rtcgate/sdp/session_description.hpp>

namespace rtcgate::sdp {

/// Which leg a description belongs to; selects the profile we write and what we require.
enum class Leg : std::uint8_t {
  WebRtc,  // UDP/TLS/RTP/SAVPF, ICE and DTLS-SRTP required
  Legacy,  // RTP/AVP (or RTP/SAVP with SDES when policy allows), no ICE/DTLS
};

/// What we can and want to do on one leg.
struct LocalPolicy {
  Leg leg = Leg::Legacy;
  SessionParams session;   // o=, c= (our media address)
  std::uint16_t port = 0;  // our RTP port for the accepted stream (WebRTC: 9 when trickling)
  std::vector<Codec> codecs = {pcmu_codec(), pcma_codec()};  // preference order
  bool telephone_event = true;                               // offer/accept RFC 4733 at each codec clock rate
  std::vector<std::string> media_types = {"audio"};
  std::size_t max_streams = 1;                // accepted m= lines; later acceptable ones are rejected
  std::uint32_t ptime_ms = 20;                // used when the offer has none; 0 = do not write a=ptime
  Direction direction = Direction::SendRecv;  // our side (SendOnly when we put the peer on hold)
  // Legacy leg
  bool allow_plain_rtp = true;  // accept/offer RTP/AVP
  std::vector<Crypto> sdes;     // our SDES keys, one per acceptable suite, preference order
  bool rtcp_mux = false;        // offer rtcp-mux (legacy); answers accept it when offered
  // WebRTC leg
  std::vector<std::string> srtp_profiles = {"SRTP_AEAD_AES_128_GCM", "SRTP_AES128_CM_SHA1_80",
                                            "SRTP_AES128_CM_SHA1_32"};  // DTLS-SRTP, RFC 5764 §4.1.2 names
  IceCredentials ice;
  std::vector<Candidate> candidates;
  bool ice_lite = false;
  bool trickle = true;
  bool end_of_candidates = false;
  std::optional<Fingerprint> fingerprint;
  std::optional<std::string> tls_id;
  std::optional<std::uint32_t> ssrc;  // written with cname/msid when set
  std::string cname;
  std::string mid = "0";  // mid of the section we offer
};

enum class RejectReason : std::uint8_t {
  None,
  PortZero,          // the remote rejected or disabled it
  UnsupportedMedia,  // media type not in policy.media_types
  UnsupportedProto,  // transport profile we do not speak on this leg
  NoCommonCodec,
  MissingIce,          // WebRTC leg without usable ice-ufrag/ice-pwd
  MissingFingerprint,  // WebRTC leg without a usable a=fingerprint / a=setup
  NoCryptoMatch,       // RTP/SAVP without an SDES suite we allow
  Surplus,             // more streams than policy.max_streams
  BadAttribute,        // a required attribute is malformed
};
std::string_view to_string(RejectReason r);

enum class DtlsRole : std::uint8_t { Client, Server };  // Client = we send ClientHello (setup active)
enum class Security : std::uint8_t { None, DtlsSrtp, Sdes };

struct Endpoint {
  std::string address;
  std::uint16_t port = 0;
  bool operator==(const Endpoint&) const = default;
};

/// One payload type both sides agreed on.
struct NegotiatedCodec {
  std::uint8_t payload_type = 0;        // PT in the remote's description: we send with it
  std::uint8_t local_payload_type = 0;  // PT in our description: the remote sends with it
  std::string name;
  std::uint32_t clock_rate = 0;
  std::uint16_t channels = 1;
  std::vector<FmtpParam> fmtp;  // the remote's fmtp (what it can receive)
  bool operator==(const NegotiatedCodec&) const = default;
};

struct RemoteIce {
  IceCredentials credentials;
  std::vector<Candidate> candidates;  // parseable ones; others are skipped (RFC 8839 §5.1)
  std::vector<std::string> options;
  bool lite = false;
  bool trickle = false;
  bool end_of_candidates = false;
  bool operator==(const RemoteIce&) const = default;
};

/// The outcome for one m= line, index-aligned with the offer's m= lines.
struct NegotiatedMedia {
  std::size_t index = 0;
  std::string media;
  std::string mid;
  bool accepted = false;
  RejectReason reject_reason = RejectReason::None;

  std::optional<NegotiatedCodec> codec;            // the one codec of the stream
  std::optional<NegotiatedCodec> telephone_event;  // at codec's clock rate, if both sides have it
  std::vector<NegotiatedCodec> payload_types;      // codec + telephone-event: the full PT map
  std::uint32_t ptime_ms = 0;                      // 0 = unspecified
  std::uint32_t maxptime_ms = 0;

  Direction direction = Direction::SendRecv;  // ours: do we send / receive
  bool remote_hold = false;  // the remote does not want media (sendonly/inactive or c=0.0.0.0)

  Endpoint remote_rtp;
  Endpoint remote_rtcp;  // RFC 3605 a=rtcp, or RTP port + 1, or remote_rtp with rtcp-mux
  bool rtcp_mux = false;
  bool rtcp_rsize = false;

  Security security = Security::None;
  std::optional<RemoteIce> ice;
  std::optional<Fingerprint> remote_fingerprint;
  std::optional<DtlsRole> dtls_role;
  std::optional<std::string> remote_tls_id;
  std::vector<std::string> srtp_profiles;  // DTLS-SRTP profiles we allow, preference order
  std::optional<Crypto> remote_crypto;     // SDES key the remote sends with
  std::optional<Crypto> local_crypto;      // SDES key we send with

  std::vector<std::string> bundle;  // mids of the BUNDLE group this line is in (empty: none)
  std::optional<std::uint32_t> remote_ssrc;
};

struct Answer {
  SessionDescription description;
  std::vector<NegotiatedMedia> media;
  bool any_accepted() const;
};

enum class NegotiationErrc : std::uint8_t {
  NoMedia,             // the offer has no m= line
  MediaCountMismatch,  // an answer's m= lines do not pair with the offer's (RFC 3264 §6)
  MissingLocalParams,  // policy lacks what its leg needs (fingerprint, ICE credentials, address)
};

struct NegotiationError {
  NegotiationErrc code;
  std::string reason;
};

std::expected<Answer, NegotiationError> answer_offer(const LocalPolicy& policy,
                                                     const SessionDescription& offer);
std::expected<SessionDescription, NegotiationError> create_offer(const LocalPolicy& policy);
std::expected<std::vector<NegotiatedMedia>, NegotiationError> process_answer(
    const LocalPolicy& policy, const SessionDescription& offer, const SessionDescription& answer);

/// The codecs of an offer we would write for `policy`, with payload types assigned (static types
/// for G.711/G.722, then 96-127; telephone-event 101 at 8000 Hz and 110 at 48000 Hz when free).
std::vector<Codec> offer_codecs(const LocalPolicy& policy);

/// A bridge offer: what an offer from one leg becomes on the other (the gateway's B2BUA step and
/// `rtcgate-sdp to-legacy`). The first audio line's direction and ptime carry over (so hold
/// propagates); codecs, transport and security come from `policy`. NoMedia when the offer has no
/// audio m= line with a non-zero port.
std::expected<SessionDescription, NegotiationError> bridge_offer(const LocalPolicy& policy,
                                                                 const SessionDescription& remote_offer);

/// Stable multi-line text of a NegotiatedMedia ("key: value" lines), for logs, golden tests and
/// `rtcgate policy explain`.
std::string describe(const NegotiatedMedia& m);

}  // namespace rtcgate::sdp
