#include "rtcgate/gateway/codec_policy.hpp"

#include <rtcgate/sdp/attributes/rtpmap.hpp>

#include <algorithm>
#include <charconv>

namespace rtcgate::gateway {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

sdp::Leg other(sdp::Leg leg) {
  return leg == sdp::Leg::WebRtc ? sdp::Leg::Legacy : sdp::Leg::WebRtc;
}

std::string_view leg_name(sdp::Leg leg) {
  return leg == sdp::Leg::WebRtc ? "web" : "legacy";
}

std::string names(const std::vector<sdp::Codec>& codecs) {
  std::string out;
  for (const sdp::Codec& c : codecs)
    out += (out.empty() ? "" : ", ") + c.name;
  return out.empty() ? "none" : out;
}

std::string names(const std::vector<sdp::Rtpmap>& formats) {
  std::string out;
  for (const sdp::Rtpmap& f : formats)
    out += (out.empty() ? "" : ", ") + f.encoding;
  return out.empty() ? "none" : out;
}

bool offered(const std::vector<sdp::Rtpmap>& formats, const sdp::Codec& codec) {
  return std::any_of(formats.begin(), formats.end(),
                     [&](const sdp::Rtpmap& f) { return same_codec(codec, f); });
}

bool allows(const LegCodecs& policy, const sdp::Codec& codec) {
  return std::any_of(policy.codecs.begin(), policy.codecs.end(), [&](const sdp::Codec& c) {
    return iequals(c.name, codec.name) && c.clock_rate == codec.clock_rate && c.channels == codec.channels;
  });
}

std::optional<sdp::Rtpmap> rtpmap_for(const sdp::MediaDescription& m, std::uint8_t payload_type) {
  for (std::string_view value : m.attributes.values("rtpmap")) {
    auto map = sdp::parse_rtpmap(value);
    if (map && map->payload_type == payload_type) return *map;
  }
  return sdp::static_rtpmap(payload_type);
}

}  // namespace

sdp::Codec to_sdp_codec(Codec codec) {
  switch (codec) {
    case Codec::Opus:
      return sdp::opus_codec();
    case Codec::Pcmu:
      return sdp::pcmu_codec();
    case Codec::Pcma:
      return sdp::pcma_codec();
    case Codec::G722:
      return sdp::g722_codec();
    case Codec::TelephoneEvent:
      return sdp::telephone_event_codec(8000);
  }
  return sdp::pcmu_codec();
}

LegCodecs leg_codecs(const CodecConfig& config, sdp::Leg leg) {
  LegCodecs out;
  for (Codec codec : leg == sdp::Leg::WebRtc ? config.web : config.legacy) {
    if (codec == Codec::TelephoneEvent) {
      out.telephone_event = true;
    } else {
      out.codecs.push_back(to_sdp_codec(codec));
    }
  }
  return out;
}

std::vector<sdp::Rtpmap> offered_audio_codecs(const sdp::SessionDescription& offer) {
  std::vector<sdp::Rtpmap> out;
  auto m = std::find_if(offer.media.begin(), offer.media.end(), [](const sdp::MediaDescription& d) {
    return d.media == "audio" && d.port != 0 && d.is_rtp();
  });
  if (m == offer.media.end()) return out;
  for (const std::string& format : m->formats) {
    unsigned pt = 0;
    auto [end, ec] = std::from_chars(format.data(), format.data() + format.size(), pt);
    if (ec != std::errc{} || end != format.data() + format.size() || pt > 127) continue;
    auto map = rtpmap_for(*m, static_cast<std::uint8_t>(pt));
    if (map && !sdp::is_auxiliary(map->encoding)) out.push_back(std::move(*map));
  }
  return out;
}

bool same_codec(const sdp::Codec& codec, const sdp::Rtpmap& format) {
  return iequals(codec.name, format.encoding) && codec.clock_rate == format.clock_rate &&
         codec.channels == format.channels.value_or(1);
}

bool same_codec(const sdp::NegotiatedCodec& a, const sdp::NegotiatedCodec& b) {
  return iequals(a.name, b.name) && a.clock_rate == b.clock_rate && a.channels == b.channels;
}

std::expected<BridgePlan, std::string> plan_bridge_codecs(const CodecConfig& config, sdp::Leg from,
                                                          const sdp::SessionDescription& offer) {
  std::vector<sdp::Rtpmap> formats = offered_audio_codecs(offer);
  if (formats.empty()) return std::unexpected(std::string("the offer has no audio codec"));
  LegCodecs from_policy = leg_codecs(config, from);
  LegCodecs to_policy = leg_codecs(config, other(from));
  BridgePlan plan;
  plan.codecs.telephone_event = to_policy.telephone_event;
  for (const sdp::Codec& codec : to_policy.codecs) {
    if (offered(formats, codec) && allows(from_policy, codec)) plan.codecs.codecs.push_back(codec);
  }
  if (!plan.codecs.codecs.empty()) {
    plan.reason = "passthrough: " + names(plan.codecs.codecs) + " allowed on both legs and offered";
    return plan;
  }
  std::vector<sdp::Codec> decodable;
  for (const sdp::Codec& codec : from_policy.codecs) {
    if (offered(formats, codec)) decodable.push_back(codec);
  }
  std::string offer_text = "the offer has " + names(formats) + ", the " + std::string(leg_name(from)) +
                           " leg allows " + names(from_policy.codecs) + ", the " +
                           std::string(leg_name(other(from))) + " leg allows " + names(to_policy.codecs);
  if (decodable.empty()) return std::unexpected("no allowed codec: " + offer_text);
  if (!config.transcode) return std::unexpected("no common codec and transcode = false: " + offer_text);
  plan.mode = BridgeMode::Transcode;
  plan.codecs.codecs = to_policy.codecs;
  plan.reason = "transcode: " + offer_text;
  return plan;
}

std::expected<BridgePlan, std::string> answer_codecs(const CodecConfig& config, sdp::Leg leg,
                                                     const sdp::SessionDescription& offer,
                                                     const sdp::NegotiatedCodec& other_leg_codec) {
  std::vector<sdp::Rtpmap> formats = offered_audio_codecs(offer);
  LegCodecs policy = leg_codecs(config, leg);
  BridgePlan plan;
  plan.codecs.telephone_event = policy.telephone_event;
  for (const sdp::Codec& codec : policy.codecs) {
    bool same = iequals(codec.name, other_leg_codec.name) && codec.clock_rate == other_leg_codec.clock_rate &&
                codec.channels == other_leg_codec.channels;
    if (same && offered(formats, codec)) {
      plan.codecs.codecs.push_back(codec);
      plan.reason = "passthrough: " + codec.name + " on both legs";
      return plan;
    }
  }
  std::string text = "the other leg settled on " + other_leg_codec.name + ", the offer has " + names(formats);
  if (!config.transcode) return std::unexpected("no common codec and transcode = false: " + text);
  for (const sdp::Codec& codec : policy.codecs) {
    if (offered(formats, codec)) plan.codecs.codecs.push_back(codec);
  }
  if (plan.codecs.codecs.empty()) return std::unexpected("no allowed codec: " + text);
  plan.mode = BridgeMode::Transcode;
  plan.reason = "transcode: " + text;
  return plan;
}

}  // namespace rtcgate::gateway
