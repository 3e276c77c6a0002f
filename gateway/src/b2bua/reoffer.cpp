#include "rtcgate/gateway/b2bua/reoffer.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace rtcgate::gateway::b2bua {
namespace {

sdp::Leg leg_of(Side side) {
  return side == Side::Web ? sdp::Leg::WebRtc : sdp::Leg::Legacy;
}

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

bool offers_codec(const sdp::SessionDescription& offer, const sdp::NegotiatedCodec& codec) {
  auto formats = offered_audio_codecs(offer);
  return std::any_of(formats.begin(), formats.end(), [&](const sdp::Rtpmap& f) {
    return same_name(f.encoding, codec.name) && f.clock_rate == codec.clock_rate &&
           f.channels.value_or(1) == codec.channels;
  });
}

namespace {

// The leg's configured entry for the codec it runs on (its fmtp), with the payload type our first
// description gave it, so the peer sees the same mapping again (RFC 3264 §8.3.2).
LegCodecs current_codecs(const Config& config, Side side, const sdp::NegotiatedCodec& codec) {
  LegCodecs all = leg_codecs(config.codecs, leg_of(side));
  LegCodecs out;
  out.telephone_event = all.telephone_event;
  for (sdp::Codec c : all.codecs) {
    if (same_name(c.name, codec.name) && c.clock_rate == codec.clock_rate && c.channels == codec.channels) {
      c.payload_type = codec.local_payload_type;
      out.codecs.push_back(std::move(c));
      break;
    }
  }
  if (out.codecs.empty()) {
    sdp::Codec c;
    c.name = codec.name;
    c.clock_rate = codec.clock_rate;
    c.channels = codec.channels;
    c.payload_type = codec.local_payload_type;
    out.codecs.push_back(std::move(c));
  }
  return out;
}

sdp::LocalPolicy policy_for(const Config& config, const LegState& target, const LegCodecs& codecs,
                            sdp::Direction direction) {
  sdp::LocalPolicy policy = target.side == Side::Web
                                ? web_policy(config, target.local, codecs, target.session)
                                : legacy_policy(config, target.rtp_port, codecs, target.session);
  policy.direction = direction;
  if (target.side == Side::Web) policy.end_of_candidates = target.local.gathering_done;
  return policy;
}

// RFC 8842 §5.3 / RFC 8829 §5.2.2: later descriptions keep the established DTLS role.
void keep_setup(sdp::SessionDescription& description, const LegState& target) {
  if (target.side != Side::Web || !target.dtls_role) return;
  const std::string role = *target.dtls_role == sdp::DtlsRole::Client ? "active" : "passive";
  description.attributes.remove("setup");
  for (sdp::MediaDescription& m : description.media) {
    if (m.port == 0 && !m.attributes.has("bundle-only")) continue;
    m.attributes.remove("setup");
    m.attributes.add("setup", role);
  }
}

const sdp::NegotiatedMedia* first_accepted(const std::vector<sdp::NegotiatedMedia>& media) {
  auto it = std::find_if(media.begin(), media.end(),
                         [](const sdp::NegotiatedMedia& m) { return m.accepted && m.codec; });
  return it == media.end() ? nullptr : &*it;
}

}  // namespace

std::optional<sdp::Direction> stated_direction(const sdp::SessionDescription& description) {
  for (const sdp::MediaDescription& m : description.media) {
    if (m.media != "audio" || m.port == 0) continue;
    sdp::Direction d = sdp::effective_direction(description, m);
    const sdp::Connection* c = description.connection_for(m);
    if (c && c->is_hold_address()) d = sdp::make_direction(sdp::sends(d), false);
    return d;
  }
  return std::nullopt;
}

std::expected<WebReoffer, SdpRefusal> classify_web_reoffer(const Config& config, const LocalWebParams& local,
                                                           const sdp::SessionDescription& offer,
                                                           sdp::Direction previous,
                                                           const sdp::NegotiatedMedia& current) {
  auto direction = stated_direction(offer);
  if (!direction) return std::unexpected(SdpRefusal{488, "re-offer without an audio stream"});
  // Every web-leg check of answer_offer (ICE, fingerprint, a codec) on the new offer.
  auto answer = sdp::answer_offer(
      web_policy(config, local, leg_codecs(config.codecs, sdp::Leg::WebRtc), session_params(1, 1)), offer);
  if (!answer) return std::unexpected(SdpRefusal{488, answer.error().reason});
  const sdp::NegotiatedMedia* media = first_accepted(answer->media);
  if (!media) return std::unexpected(SdpRefusal{488, "re-offer: no acceptable audio stream"});
  auto remote = remote_web_params(*media);
  if (!remote) return std::unexpected(SdpRefusal{488, remote.error()});
  WebReoffer out;
  out.direction = *direction;
  out.direction_changed = *direction != previous;
  out.ice_restart = current.ice && to_media(current.ice->credentials) != remote->credentials;
  out.codec_kept = current.codec && offers_codec(offer, *current.codec);
  out.remote = std::move(*remote);
  return out;
}

std::expected<sdp::SessionDescription, SdpRefusal> bridge_reoffer(
    const Config& config, const LegState& target, const sdp::SessionDescription& remote_offer) {
  LegCodecs codecs;
  if (offers_codec(remote_offer, target.codec)) {
    codecs = current_codecs(config, target.side, target.codec);
  } else {
    const sdp::Leg from = target.side == Side::Web ? sdp::Leg::Legacy : sdp::Leg::WebRtc;
    auto plan = plan_bridge_codecs(config.codecs, from, remote_offer);
    if (!plan) return std::unexpected(SdpRefusal{488, plan.error()});
    if (plan->mode != BridgeMode::Passthrough)
      return std::unexpected(SdpRefusal{488, "codec change needs the transcoder: " + plan->reason});
    codecs = std::move(plan->codecs);
  }
  auto offer = sdp::bridge_offer(policy_for(config, target, codecs, sdp::Direction::SendRecv), remote_offer);
  if (!offer) return std::unexpected(SdpRefusal{488, offer.error().reason});
  keep_setup(*offer, target);
  return std::move(*offer);
}

std::expected<sdp::SessionDescription, SdpRefusal> current_offer(const Config& config, const LegState& target,
                                                                 sdp::Direction direction) {
  auto offer = sdp::create_offer(
      policy_for(config, target, current_codecs(config, target.side, target.codec), direction));
  if (!offer) return std::unexpected(SdpRefusal{500, offer.error().reason});
  keep_setup(*offer, target);
  return std::move(*offer);
}

std::expected<sdp::Answer, SdpRefusal> reanswer(const Config& config, const LegState& target,
                                                const sdp::SessionDescription& offer,
                                                const sdp::NegotiatedCodec& other_leg_codec,
                                                sdp::Direction ours) {
  auto codecs = answer_codecs(config.codecs, leg_of(target.side), offer, other_leg_codec);
  if (!codecs) return std::unexpected(SdpRefusal{488, codecs.error()});
  if (codecs->mode != BridgeMode::Passthrough)
    return std::unexpected(SdpRefusal{488, "codec change needs the transcoder: " + codecs->reason});
  auto answer = sdp::answer_offer(policy_for(config, target, codecs->codecs, ours), offer);
  if (!answer) return std::unexpected(SdpRefusal{488, answer.error().reason});
  if (!first_accepted(answer->media))
    return std::unexpected(SdpRefusal{488, "re-offer: no acceptable audio stream"});
  keep_setup(answer->description, target);
  return std::move(*answer);
}

std::expected<sdp::NegotiatedMedia, SdpRefusal> reoffer_answered(const Config& config, const LegState& target,
                                                                 const sdp::SessionDescription& offer,
                                                                 const sdp::SessionDescription& answer) {
  // Our offer holds only codecs of the leg's list: its whole list lets the answer pick any of them.
  auto media = sdp::process_answer(
      policy_for(config, target, leg_codecs(config.codecs, leg_of(target.side)), sdp::Direction::SendRecv),
      offer, answer);
  if (!media) return std::unexpected(SdpRefusal{488, media.error().reason});
  const sdp::NegotiatedMedia* accepted = first_accepted(*media);
  if (!accepted) return std::unexpected(SdpRefusal{488, "answer: no accepted audio stream"});
  return *accepted;
}

sdp::Direction mirrored(sdp::Direction other_leg_ours) {
  return sdp::make_direction(sdp::receives(other_leg_ours), sdp::sends(other_leg_ours));
}

RelayDirections relay_directions(sdp::Direction web_ours, sdp::Direction legacy_ours) {
  return {sdp::receives(web_ours) && sdp::sends(legacy_ours),
          sdp::receives(legacy_ours) && sdp::sends(web_ours)};
}

}  // namespace rtcgate::gateway::b2bua
