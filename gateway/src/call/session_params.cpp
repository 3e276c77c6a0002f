#include "rtcgate/gateway/session_params.hpp"

#include "rtcgate/gateway/codec_policy.hpp"
#include "rtcgate/gateway/config_listen.hpp"

#include <rtcgate/sdp/attributes/direction.hpp>

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

}  // namespace

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
  out.ice.bind_addresses = {config.media.bind_address};
  out.ice.public_address = config.media.public_address;
  out.dtls_role = setup.dtls_role;
  out.remote_fingerprint = setup.remote_fingerprint;
  out.legacy.bind_address = config.media.bind_address;
  out.legacy.rtcp_mux = setup.legacy_rtcp_mux;
  return out;
}

}  // namespace rtcgate::gateway
