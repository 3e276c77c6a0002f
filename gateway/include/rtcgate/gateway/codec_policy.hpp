// Codec policy of the two legs from [codecs] web/legacy/transcode (DESIGN.md "Transcoding and codec
// policy"), in the terms of sdp/'s offer/answer functions.
//
// The B2BUA step for an offer arriving on one leg (browser INVITE, or PBX INVITE):
//   1. plan_bridge_codecs(): what we offer on the other leg. Passthrough first: the codecs the offer
//      has that both legs' policies allow, in the other leg's policy order. None in common: with
//      transcode = true the other leg's whole list (the call then needs the transcoder), else
//      refuse (the B2BUA answers 488, RFC 3261 §21.4.26).
//   2. The other leg answers with one codec X (sdp::process_answer).
//   3. answer_codecs(): what we may answer the first offerer with: X itself when it offered X
//      (passthrough end to end), otherwise its leg's policy (transcoding) or nothing (refuse).
// telephone-event (RFC 4733) is never transcoded: it is offered on a leg when that leg's policy
// lists it, and the route maps its payload type and clock rate.
//
// Pure functions, no I/O; thread affinity: none.
#pragma once

#include "rtcgate/gateway/config.hpp"

#include <rtcgate/sdp/codec.hpp>
#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sdp/session_description.hpp>

#include <expected>
#include <span>
#include <string>
#include <vector>

namespace rtcgate::gateway {

// One leg's codecs as sdp::LocalPolicy takes them.
struct LegCodecs {
  std::vector<sdp::Codec> codecs;  // preference order, no telephone-event
  bool telephone_event = false;
};

sdp::Codec to_sdp_codec(Codec codec);
// The [codecs] list of `leg` (web or legacy).
LegCodecs leg_codecs(const CodecConfig& config, sdp::Leg leg);

// The audio formats of the first audio m= line with a non-zero port, in the offer's order, from
// a=rtpmap or the RFC 3551 static table; telephone-event, CN and formats without a known mapping
// are left out. Empty when the offer has no such line.
std::vector<sdp::Rtpmap> offered_audio_codecs(const sdp::SessionDescription& offer);

// The same codec: encoding name (case-insensitive, RFC 8866 §6.6), clock rate and channels
// (absent channels = 1, RFC 8866 §6.6).
bool same_codec(const sdp::Codec& codec, const sdp::Rtpmap& format);
bool same_codec(const sdp::NegotiatedCodec& a, const sdp::NegotiatedCodec& b);

enum class BridgeMode { Passthrough, Transcode };

struct BridgePlan {
  BridgeMode mode = BridgeMode::Passthrough;
  // The codecs of the description we write next: the other leg's offer (step 1) or our answer
  // to the first offerer (step 3).
  LegCodecs codecs;
  std::string reason;  // one line for logs and `policy explain`
};

// Step 1. `from` is the leg the offer arrived on. An error (with the reason) means refuse: 488.
std::expected<BridgePlan, std::string> plan_bridge_codecs(const CodecConfig& config, sdp::Leg from,
                                                          const sdp::SessionDescription& offer);

// Step 3. `other_leg_codec` is what the other leg's answer settled on.
std::expected<BridgePlan, std::string> answer_codecs(const CodecConfig& config, sdp::Leg leg,
                                                     const sdp::SessionDescription& offer,
                                                     const sdp::NegotiatedCodec& other_leg_codec);

}  // namespace rtcgate::gateway
