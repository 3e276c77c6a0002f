// `rtcgate policy explain [--config FILE] OFFER.sdp` (DESIGN.md "Transcoding and codec policy"):
// what the codec policy makes of an offer, without starting anything. The offer's leg follows from
// its profile (UDP/TLS/RTP/SAVPF: a browser's; otherwise a PBX's).
#include "rtcgate/gateway/cli.hpp"
#include "rtcgate/gateway/codec_policy.hpp"

#include <rtcgate/sdp/parser.hpp>

#include <fstream>
#include <ostream>
#include <sstream>

namespace rtcgate::gateway {
namespace {

std::string list(const LegCodecs& codecs) {
  std::string out;
  for (const sdp::Codec& c : codecs.codecs)
    out += (out.empty() ? "" : ", ") + c.name + "/" + std::to_string(c.clock_rate);
  if (codecs.telephone_event) out += (out.empty() ? "" : ", ") + std::string("telephone-event");
  return out.empty() ? "none" : out;
}

bool from_browser(const sdp::SessionDescription& offer) {
  for (const sdp::MediaDescription& m : offer.media)
    if (m.media == "audio" && m.port != 0) return m.proto.find("UDP/TLS/") != std::string::npos;
  return false;
}

}  // namespace

int run_policy_explain(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  const char* usage = "usage: rtcgate policy explain [--config FILE] OFFER.sdp\n";
  if (args.empty() || args[0] != "explain") {
    err << usage;
    return kExitUsage;
  }
  CliOptions options;
  std::string offer_path;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if ((args[i] == "--config" || args[i] == "-c") && i + 1 < args.size()) {
      options.config_path = std::string(args[++i]);
    } else if (args[i].starts_with("--config=")) {
      options.config_path = std::string(args[i].substr(9));
    } else if (offer_path.empty() && !args[i].starts_with("-")) {
      offer_path = std::string(args[i]);
    } else {
      err << "rtcgate: unexpected argument '" << args[i] << "'\n" << usage;
      return kExitUsage;
    }
  }
  if (offer_path.empty()) {
    err << usage;
    return kExitUsage;
  }
  Config config;
  if (int code = load_config_for_cli(options, out, err, config); code != kExitOk) return code;
  std::ifstream in(offer_path, std::ios::binary);
  if (!in) {
    err << "rtcgate: cannot read " << offer_path << '\n';
    return kExitUsage;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto offer = sdp::parse(text.str());
  if (!offer) {
    err << offer_path << ":" << offer.error().line << ": not a session description: " << offer.error().reason
        << '\n';
    return kExitBadConfig;
  }
  const sdp::Leg from = from_browser(*offer) ? sdp::Leg::WebRtc : sdp::Leg::Legacy;
  const char* from_name = from == sdp::Leg::WebRtc ? "web" : "legacy";
  const char* to_name = from == sdp::Leg::WebRtc ? "legacy" : "web";
  out << "offer:     from the " << from_name << " leg (a " << (from == sdp::Leg::WebRtc ? "browser" : "PBX")
      << "), audio codecs: ";
  std::string offered;
  for (const sdp::Rtpmap& f : offered_audio_codecs(*offer))
    offered += (offered.empty() ? "" : ", ") + f.encoding + "/" + std::to_string(f.clock_rate);
  out << (offered.empty() ? "none" : offered) << '\n';
  out << "policy:    web " << list(leg_codecs(config.codecs, sdp::Leg::WebRtc)) << "; legacy "
      << list(leg_codecs(config.codecs, sdp::Leg::Legacy))
      << "; transcode = " << (config.codecs.transcode ? "true" : "false") << '\n';
  auto plan = plan_bridge_codecs(config.codecs, from, *offer);
  if (!plan) {
    out << "decision:  refused with 488 Not Acceptable Here\nwhy:       " << plan.error() << '\n';
    return kExitOk;
  }
  const bool transcode = plan->mode == BridgeMode::Transcode;
  out << "decision:  " << (transcode ? "transcode" : "passthrough") << '\n';
  out << "why:       " << plan->reason << '\n';
  out << "offered to the " << to_name << " leg: " << list(plan->codecs) << '\n';
  if (!plan->codecs.codecs.empty()) {
    const sdp::Codec& first = plan->codecs.codecs.front();
    sdp::NegotiatedCodec chosen;
    chosen.name = first.name;
    chosen.clock_rate = first.clock_rate;
    chosen.channels = first.channels;
    auto answer = answer_codecs(config.codecs, from, *offer, chosen);
    out << "if the " << to_name << " leg answers " << first.name << ": the " << from_name
        << " leg is answered with ";
    if (answer) {
      out << list(answer->codecs) << '\n';
    } else {
      out << "488 (" << answer.error() << ")\n";
    }
  }
  if (transcode) {
    out << "transcoding: Opus decoded to / encoded from 8 kHz, encoder complexity "
        << config.codecs.opus_complexity << ", " << config.codecs.ptime_ms
        << " ms packets to the legacy leg unless it asks for another a=ptime\n";
  }
  return kExitOk;
}

}  // namespace rtcgate::gateway
