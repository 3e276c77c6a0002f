#include "rtcgate/gateway/session_params.hpp"

#include "rtcgate/gateway/codec_policy.hpp"
#include "rtcgate/gateway/config_listen.hpp"

#include <rtcgate/sdp/attributes/direction.hpp>

#include <chrono>

namespace rtcgate::gateway {
namespace {

// Packets the source leg sends carry the payload types of our description on that leg; they
// leave with the destination peer's own payload types.
media::RoutePlan plan(const sdp::NegotiatedMedia& from, const sdp::NegotiatedMedia& to) {
  media::RoutePlan out;
  out.payloads.push_back({from.codec->local_payload_type, to.codec->payload_type});
  if (from.telephone_event && to.telephone_event &&
      from.telephone_event->clock_rate == to.telephone_event->clock_rate) {
    out.payloads.push_back({from.telephone_event->local_payload_type, to.telephone_event->payload_type});
  }
  out.clock_rate = from.codec->clock_rate;
  // We receive on `from` and send on `to` (directions are ours on each leg).
  out.enabled = sdp::receives(from.direction) && sdp::sends(to.direction);
  return out;
}

std::optional<media::AudioCodec> audio_codec(const sdp::NegotiatedCodec& codec) {
  std::string name = codec.name;
  for (char& c : name)
    c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  if (name == "OPUS" && codec.clock_rate == 48000) return media::AudioCodec::Opus;
  if (name == "PCMU" && codec.clock_rate == 8000) return media::AudioCodec::Pcmu;
  if (name == "PCMA" && codec.clock_rate == 8000) return media::AudioCodec::Pcma;
  return std::nullopt;
}

media::RoutePlan transcode_plan(const sdp::NegotiatedMedia& from, const sdp::NegotiatedMedia& to,
                                const CodecConfig& codecs) {
  media::RoutePlan out = plan(from, to);
  out.payloads.clear();
  media::TranscodePlan t;
  t.from = *audio_codec(*from.codec);
  t.from_payload_type = from.codec->local_payload_type;
  t.to = *audio_codec(*to.codec);
  t.to_payload_type = to.codec->payload_type;
  if (from.telephone_event && to.telephone_event)
    t.telephone_event = media::TelephoneEventMapping{from.telephone_event->local_payload_type,
                                                     to.telephone_event->payload_type};
  // RFC 7587 §6.1: Opus defaults to 20 ms; the legacy peer's a=ptime is what it wants to receive.
  t.ptime_ms = t.to == media::AudioCodec::Opus ? 20 : (to.ptime_ms != 0 ? to.ptime_ms : codecs.ptime_ms);
  t.opus_complexity = codecs.opus_complexity;
  out.transcode = t;
  return out;
}

}  // namespace

bool transcoded(const sdp::NegotiatedMedia& web, const sdp::NegotiatedMedia& legacy) {
  return web.codec && legacy.codec && !same_codec(*web.codec, *legacy.codec);
}

std::expected<RoutePlans, std::string> route_plans(const sdp::NegotiatedMedia& web,
                                                   const sdp::NegotiatedMedia& legacy,
                                                   const CodecConfig& codecs) {
  if (!web.accepted || !legacy.accepted) return std::unexpected(std::string("a leg's stream was rejected"));
  if (!web.codec || !legacy.codec) return std::unexpected(std::string("a leg has no codec"));
  if (same_codec(*web.codec, *legacy.codec)) return passthrough_plans(web, legacy);
  const std::string pair = web.codec->name + "/" + std::to_string(web.codec->clock_rate) + " and " +
                           legacy.codec->name + "/" + std::to_string(legacy.codec->clock_rate);
  if (!codecs.transcode)
    return std::unexpected("the legs carry different codecs (" + pair + ") and transcode = false");
  const auto a = audio_codec(*web.codec);
  const auto b = audio_codec(*legacy.codec);
  if (!a || !b || (*a != media::AudioCodec::Opus && *b != media::AudioCodec::Opus))
    return std::unexpected("no transcoder for " + pair + " (only Opus <-> PCMU/PCMA)");
  return RoutePlans{transcode_plan(web, legacy, codecs), transcode_plan(legacy, web, codecs)};
}

std::expected<RoutePlans, std::string> passthrough_plans(const sdp::NegotiatedMedia& web,
                                                         const sdp::NegotiatedMedia& legacy) {
  if (!web.accepted || !legacy.accepted) return std::unexpected(std::string("a leg's stream was rejected"));
  if (!web.codec || !legacy.codec) return std::unexpected(std::string("a leg has no codec"));
  if (!same_codec(*web.codec, *legacy.codec)) {
    return std::unexpected("the legs carry different codecs (" + web.codec->name + "/" +
                           std::to_string(web.codec->clock_rate) + " and " + legacy.codec->name + "/" +
                           std::to_string(legacy.codec->clock_rate) + "): the call needs transcoding");
  }
  return RoutePlans{plan(web, legacy), plan(legacy, web)};
}

std::expected<media::LegacyRemote, std::string> legacy_remote(const sdp::NegotiatedMedia& legacy) {
  if (!legacy.accepted) return std::unexpected(std::string("the legacy stream was rejected"));
  if (!is_ip_literal(legacy.remote_rtp.address)) {
    return std::unexpected("the legacy media address '" + legacy.remote_rtp.address +
                           "' is not an IP address");
  }
  if (legacy.remote_rtp.port == 0) return std::unexpected(std::string("the legacy media port is 0"));
  media::LegacyRemote remote;
  remote.address = legacy.remote_rtp.address;
  remote.rtp_port = legacy.remote_rtp.port;
  remote.rtcp_port = legacy.rtcp_mux ? legacy.remote_rtp.port : legacy.remote_rtcp.port;
  return remote;
}

media::MediaSessionConfig session_config(const Config& config, const SessionSetup& setup) {
  media::MediaSessionConfig out;
  out.ice.lite = config.media.ice_lite;
  // RFC 8445 §6.1.1: a lite agent is always controlled; between full agents the offerer controls;
  // facing a lite peer a full agent must control.
  bool controlling = !config.media.ice_lite && (setup.we_offer_web || setup.remote_ice_lite);
  out.ice.role = controlling ? media::IceRole::Controlling : media::IceRole::Controlled;
  out.ice.trickle = true;
  out.ice.consent_freshness = true;
  // RFC 7675 lets consent run 30 s past the last answered check; a call must end within 30 s of its
  // browser vanishing, and that check may be seconds old when it does. 20 s (checks every ~3.3 s,
  // each retransmitted) still rides out several lost answers.
  out.ice.consent_timeout = std::chrono::seconds(20);
  out.ice.bind_addresses = {config.media.bind_address};
  out.ice.public_address = config.media.public_address;
  out.dtls_role = setup.dtls_role;
  out.remote_fingerprint = setup.remote_fingerprint;
  out.legacy.bind_address = config.media.bind_address;
  out.legacy.rtcp_mux = setup.legacy_rtcp_mux;
  return out;
}

}  // namespace rtcgate::gateway
