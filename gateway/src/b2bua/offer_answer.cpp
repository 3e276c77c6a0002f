#include "rtcgate/gateway/b2bua/offer_answer.hpp"

#include <rtcgate/sdp/parser.hpp>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace rtcgate::gateway::b2bua {
namespace {

bool is_sdp(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ')
    type.remove_suffix(1);
  constexpr std::string_view kSdp = "application/sdp";
  return type.size() == kSdp.size() && std::equal(type.begin(), type.end(), kSdp.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

const sdp::NegotiatedMedia* first_accepted(const std::vector<sdp::NegotiatedMedia>& media) {
  auto it =
      std::find_if(media.begin(), media.end(), [](const sdp::NegotiatedMedia& m) { return m.accepted; });
  return it == media.end() ? nullptr : &*it;
}

std::string rejection(const std::vector<sdp::NegotiatedMedia>& media) {
  if (media.empty()) return "no media";
  return "stream rejected: " + std::string(sdp::to_string(media.front().reject_reason));
}

}  // namespace

std::expected<sdp::SessionDescription, SdpRefusal> sdp_body(const sip::Message& message) {
  if (message.body().empty()) return std::unexpected(SdpRefusal{488, "no SDP offer"});
  auto type = message.content_type();
  if (!type || !is_sdp(*type)) return std::unexpected(SdpRefusal{415, "body is not application/sdp"});
  auto parsed = sdp::parse(message.body());
  if (!parsed) return std::unexpected(SdpRefusal{400, "malformed SDP: " + parsed.error().reason});
  return std::move(*parsed);
}

sdp::SessionParams session_params(std::uint64_t session_id, std::uint64_t version) {
  sdp::SessionParams params;
  params.session_id = std::to_string(session_id);
  params.session_version = std::to_string(version);
  return params;
}

std::expected<WebOffer, SdpRefusal> check_web_offer(const Config& config, const media::Fingerprint& ours,
                                                    const sip::Message& invite) {
  auto description = sdp_body(invite);
  if (!description) return std::unexpected(description.error());
  // Negotiate once with placeholder local credentials: this runs every web-leg check of
  // answer_offer (profile, ICE, fingerprint, setup, a codec) before anything is allocated.
  LocalWebParams probe;
  probe.credentials = {"prob", "probeprobeprobeprobepr"};
  probe.fingerprint = ours;
  auto answer = sdp::answer_offer(
      web_policy(config, probe, leg_codecs(config.codecs, sdp::Leg::WebRtc), session_params(1, 1)),
      *description);
  if (!answer) return std::unexpected(SdpRefusal{488, answer.error().reason});
  const sdp::NegotiatedMedia* media = first_accepted(answer->media);
  if (!media) return std::unexpected(SdpRefusal{488, rejection(answer->media)});
  auto remote = remote_web_params(*media);
  if (!remote) return std::unexpected(SdpRefusal{488, remote.error()});
  auto bridge = plan_bridge_codecs(config.codecs, sdp::Leg::WebRtc, *description);
  if (!bridge) return std::unexpected(SdpRefusal{488, bridge.error()});
  return WebOffer{std::move(*description), std::move(*remote), std::move(*bridge)};
}

std::expected<sdp::SessionDescription, SdpRefusal> legacy_offer(const Config& config, std::uint16_t rtp_port,
                                                                const LegCodecs& codecs,
                                                                const sdp::SessionParams& session) {
  auto offer = sdp::create_offer(legacy_policy(config, rtp_port, codecs, session));
  if (!offer) return std::unexpected(SdpRefusal{500, offer.error().reason});
  return std::move(*offer);
}

std::expected<sdp::SessionDescription, SdpRefusal> assumed_pbx_offer(const Config& config) {
  // The port is never sent: only the codecs of this description are read.
  return legacy_offer(config, 9, leg_codecs(config.codecs, sdp::Leg::Legacy), session_params(1, 1));
}

std::expected<sdp::NegotiatedMedia, SdpRefusal> legacy_answer(const Config& config, std::uint16_t rtp_port,
                                                              const LegCodecs& codecs,
                                                              const sdp::SessionParams& session,
                                                              const sdp::SessionDescription& offer,
                                                              const sip::Message& response) {
  auto description = sdp_body(response);
  if (!description) return std::unexpected(SdpRefusal{488, "PBX answer: " + description.error().reason});
  auto media = sdp::process_answer(legacy_policy(config, rtp_port, codecs, session), offer, *description);
  if (!media) return std::unexpected(SdpRefusal{488, "PBX answer: " + media.error().reason});
  const sdp::NegotiatedMedia* accepted = first_accepted(*media);
  if (!accepted || !accepted->codec)
    return std::unexpected(SdpRefusal{488, "PBX answer: " + rejection(*media)});
  return *accepted;
}

std::expected<WebAnswer, SdpRefusal> web_answer(const Config& config, const LocalWebParams& local,
                                                const sdp::SessionDescription& offer,
                                                const sdp::NegotiatedCodec& legacy_codec,
                                                const sdp::SessionParams& session) {
  auto codecs = answer_codecs(config.codecs, sdp::Leg::WebRtc, offer, legacy_codec);
  if (!codecs) return std::unexpected(SdpRefusal{488, codecs.error()});
  auto answer = sdp::answer_offer(web_policy(config, local, codecs->codecs, session), offer);
  if (!answer) return std::unexpected(SdpRefusal{488, answer.error().reason});
  const sdp::NegotiatedMedia* media = first_accepted(answer->media);
  if (!media) return std::unexpected(SdpRefusal{488, rejection(answer->media)});
  return WebAnswer{std::move(answer->description), *media};
}

}  // namespace rtcgate::gateway::b2bua
