// The SDP steps of a browser → PBX call (DESIGN.md "Call flows" 1), as pure functions over the
// configuration and the descriptions, so the call logic only sequences them.
//
//   check_web_offer   the browser's offer: parseable, acceptable on the web leg (ICE, DTLS
//                     fingerprint and setup, a codec), and bridgeable to the legacy leg
//   legacy_offer      our offer to the PBX on the media session's legacy port
//   web_answer        our answer to the browser once the PBX settled on a codec
//
// Errors carry the SIP status to answer with (400 unparseable, 488 not acceptable, RFC 3261
// §21.4.26) and a reason for the log and the Warning header. Thread affinity: none.
#pragma once

#include "rtcgate/gateway/codec_policy.hpp"
#include "rtcgate/gateway/config.hpp"
#include "rtcgate/gateway/media_params.hpp"

#include <rtcgate/media/dtls/fingerprint.hpp>
#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sdp/session_description.hpp>
#include <rtcgate/sip/message.hpp>

#include <cstdint>
#include <expected>
#include <string>

namespace rtcgate::gateway::b2bua {

struct SdpRefusal {
  int status = 488;
  std::string reason;
};

// The application/sdp body of `message` (400 when absent, of another type or unparseable).
std::expected<sdp::SessionDescription, SdpRefusal> sdp_body(const sip::Message& message);

struct WebOffer {
  sdp::SessionDescription description;
  RemoteWebParams remote;
  BridgePlan bridge;  // what we offer the PBX
};

std::expected<WebOffer, SdpRefusal> check_web_offer(const Config& config, const media::Fingerprint& ours,
                                                    const sip::Message& invite);

// o= values: a session id per call and a version that grows with each description we send.
sdp::SessionParams session_params(std::uint64_t session_id, std::uint64_t version);

std::expected<sdp::SessionDescription, SdpRefusal> legacy_offer(const Config& config, std::uint16_t rtp_port,
                                                                const LegCodecs& codecs,
                                                                const sdp::SessionParams& session);

// The PBX's INVITE came without SDP (RFC 3261 §13.2.1: our 2xx then carries the offer and its
// ACK the answer). What we would offer the PBX, every codec of the legacy policy, stands in for
// its offer while the browser's leg is planned.
std::expected<sdp::SessionDescription, SdpRefusal> assumed_pbx_offer(const Config& config);

// The PBX's answer to `offer` (the first accepted audio stream), or 488 when it accepted none.
std::expected<sdp::NegotiatedMedia, SdpRefusal> legacy_answer(const Config& config, std::uint16_t rtp_port,
                                                              const LegCodecs& codecs,
                                                              const sdp::SessionParams& session,
                                                              const sdp::SessionDescription& offer,
                                                              const sip::Message& response);

struct WebAnswer {
  sdp::SessionDescription description;
  sdp::NegotiatedMedia media;
};

std::expected<WebAnswer, SdpRefusal> web_answer(const Config& config, const LocalWebParams& local,
                                                const sdp::SessionDescription& offer,
                                                const sdp::NegotiatedCodec& legacy_codec,
                                                const sdp::SessionParams& session);

}  // namespace rtcgate::gateway::b2bua
