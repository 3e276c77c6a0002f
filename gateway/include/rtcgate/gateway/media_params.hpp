// The SDP ⇄ media translation of the web leg (STYLE.md "gateway/negotiation"): sdp/ and media/
// never see each other, so the gateway converts between sdp's negotiated values and media's ICE
// and DTLS parameters, in both directions.
//
//   remote: sdp::NegotiatedMedia (answer_offer / process_answer)  →  RemoteWebParams (media)
//   local:  media's SessionCreated / LocalCandidate values        →  sdp::LocalPolicy (builders)
//
// Candidates: media/ has no DNS and the web leg always uses rtcp-mux (RFC 8829 §5.2.3 with
// BUNDLE), so only UDP candidates of component 1 with an IP literal address are handed over;
// TCP (RFC 6544), mDNS ".local" names and component-2 candidates are skipped, as RFC 8839 §5.1
// lets an agent ignore candidates it cannot use. DTLS roles keep sdp's meaning (Client = we send
// the ClientHello, RFC 5763 §5).
//
// Pure functions; thread affinity: none (the B2BUA calls them on the signaling thread and posts
// the results to the call's media worker).
#pragma once

#include "rtcgate/gateway/codec_policy.hpp"
#include "rtcgate/gateway/config.hpp"

#include <rtcgate/media/dtls/dtls_endpoint.hpp>
#include <rtcgate/media/dtls/fingerprint.hpp>
#include <rtcgate/media/ice/ice_types.hpp>
#include <rtcgate/sdp/attributes/candidate.hpp>
#include <rtcgate/sdp/attributes/fingerprint.hpp>
#include <rtcgate/sdp/attributes/ice.hpp>
#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sdp/profiles.hpp>

#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <vector>

namespace rtcgate::gateway {

// At most this many remote candidates are handed to media per description (hostile peers).
inline constexpr std::size_t kMaxRemoteCandidates = 32;

media::IceCredentials to_media(const sdp::IceCredentials& credentials);
sdp::IceCredentials to_sdp(const media::IceCredentials& credentials);
// nullopt when media cannot use it (see above).
std::optional<media::IceCandidate> to_media(const sdp::Candidate& candidate);
sdp::Candidate to_sdp(const media::IceCandidate& candidate);
std::expected<media::Fingerprint, std::string> to_media(const sdp::Fingerprint& fingerprint);
sdp::Fingerprint to_sdp(const media::Fingerprint& fingerprint);
media::DtlsRole to_media(sdp::DtlsRole role);

// What the media session of a call needs from the browser's description.
struct RemoteWebParams {
  media::IceCredentials credentials;
  std::vector<media::IceCandidate> candidates;
  std::size_t skipped_candidates = 0;  // not usable by media (logged by the caller)
  bool end_of_candidates = false;
  bool lite = false;  // the browser is ICE-lite: we must be controlling (RFC 8445 §6.1.1)
  media::Fingerprint fingerprint;
  media::DtlsRole dtls_role = media::DtlsRole::Client;  // ours
};

// From the web leg's accepted stream. Errors name what is missing (the B2BUA answers 488).
std::expected<RemoteWebParams, std::string> remote_web_params(const sdp::NegotiatedMedia& media);

// A trickled candidate (RFC 8840 INFO body line, "candidate:…" or its value); nullopt if media
// cannot use it or it does not parse.
std::optional<media::IceCandidate> trickled_candidate(std::string_view value);

// What the media session reported about our side of the web leg.
struct LocalWebParams {
  media::IceCredentials credentials;
  media::Fingerprint fingerprint;
  std::vector<media::IceCandidate> candidates;
  bool gathering_done = false;
  std::optional<std::string> tls_id;  // RFC 8842; set when the DTLS association restarts
};

// The sdp policy for the web leg: [media] ice_lite and addresses from `config`, codecs from the
// codec plan, trickle on (candidates that come later go out in INFO, RFC 8840), the default
// candidate's port in m= (9 while none is known, RFC 8840 §4.1.1).
sdp::LocalPolicy web_policy(const Config& config, const LocalWebParams& local, const LegCodecs& codecs,
                            sdp::SessionParams session);

// The sdp policy for the legacy leg: plain RTP/AVP on our media address (public_address if set)
// and the legacy RTP port media allocated; a=rtcp is written by the builder (RFC 3605).
sdp::LocalPolicy legacy_policy(const Config& config, std::uint16_t rtp_port, const LegCodecs& codecs,
                               sdp::SessionParams session);

// The address we announce in SDP: [media] public_address, else bind_address.
std::string media_address(const Config& config);

}  // namespace rtcgate::gateway
