// Offerer side of RFC 3264: create_offer, process_answer, and bridge_offer (one leg's offer
// rewritten for the other leg).
#include <rtcgate/sdp/negotiate.hpp>

#include <algorithm>
#include <array>

#include "negotiate_detail.hpp"
#include "text.hpp"

namespace rtcgate::sdp {

namespace {

using detail::RemoteFormat;

// Dynamic payload types (RFC 3551 §3) not yet taken by an explicit or static type.
class PayloadTypes {
 public:
  bool take(std::uint8_t pt) {
    if (pt > 127 || used_[pt]) return false;
    used_[pt] = true;
    return true;
  }
  std::uint8_t next_dynamic() {
    for (std::uint8_t pt = 96; pt <= 127; ++pt) {
      if (take(pt)) return pt;
    }
    return 127;
  }

 private:
  std::array<bool, 128> used_{};
};

std::uint8_t preferred_event_pt(std::uint32_t clock) {
  return clock == 48000 ? 110 : 101;
}

}  // namespace

std::vector<Codec> offer_codecs(const LocalPolicy& policy) {
  PayloadTypes pts;
  std::vector<Codec> out;
  for (Codec c : policy.codecs) {
    if (c.payload_type && !pts.take(*c.payload_type)) c.payload_type.reset();
    out.push_back(std::move(c));
  }
  std::vector<std::uint32_t> clocks;
  for (const Codec& c : out) {
    if (policy.telephone_event && std::find(clocks.begin(), clocks.end(), c.clock_rate) == clocks.end()) {
      clocks.push_back(c.clock_rate);
    }
  }
  for (std::uint32_t clock : clocks) {
    Codec te = telephone_event_codec(clock);
    if (pts.take(preferred_event_pt(clock))) te.payload_type = preferred_event_pt(clock);
    out.push_back(std::move(te));
  }
  for (Codec& c : out) {
    if (!c.payload_type) c.payload_type = pts.next_dynamic();
  }
  return out;
}

std::expected<SessionDescription, NegotiationError> create_offer(const LocalPolicy& policy) {
  if (auto ok = detail::check_local_policy(policy); !ok) return std::unexpected(ok.error());
  MediaSectionParams s;
  s.media = policy.media_types.empty() ? "audio" : policy.media_types.front();
  s.mid = policy.mid;
  s.port = policy.port;
  s.codecs = offer_codecs(policy);
  s.direction = policy.direction;
  s.ssrc = policy.ssrc;
  s.cname = policy.cname;
  if (policy.leg == Leg::Legacy) {
    s.ptime_ms = policy.ptime_ms;
    s.crypto = policy.allow_plain_rtp ? std::vector<Crypto>{} : policy.sdes;
    return build_legacy_description(LegacyDescriptionParams{policy.session, policy.rtcp_mux, {std::move(s)}});
  }
  return build_webrtc_description(WebRtcDescriptionParams{policy.session,
                                                          policy.ice,
                                                          policy.candidates,
                                                          policy.ice_lite,
                                                          policy.trickle,
                                                          policy.end_of_candidates,
                                                          *policy.fingerprint,
                                                          Setup::ActPass,
                                                          policy.tls_id,
                                                          {std::move(s)}});
}

namespace {

// The answer's first format that is one of our offered codecs (RFC 3264 §6.1: the answerer lists
// what it will receive, most preferred first).
void match_answer_codecs(const MediaDescription& ours, const MediaDescription& theirs, NegotiatedMedia& out) {
  const auto offered = detail::remote_formats(ours);
  const auto answered = detail::remote_formats(theirs);
  auto local_pt = [&](const Rtpmap& r) -> std::optional<std::uint8_t> {
    for (const RemoteFormat& o : offered) {
      if (detail::iequals(o.rtpmap.encoding, r.encoding) && o.rtpmap.clock_rate == r.clock_rate &&
          o.rtpmap.channels.value_or(1) == r.channels.value_or(1)) {
        return o.rtpmap.payload_type;
      }
    }
    return std::nullopt;
  };
  for (const RemoteFormat& a : answered) {
    if (is_auxiliary(a.rtpmap.encoding)) continue;
    if (auto pt = local_pt(a.rtpmap)) {
      out.codec = detail::negotiated(a, *pt);
      break;
    }
  }
  if (!out.codec) return;
  out.payload_types.push_back(*out.codec);
  for (const RemoteFormat& a : answered) {
    if (!is_telephone_event(a.rtpmap.encoding) || a.rtpmap.clock_rate != out.codec->clock_rate) continue;
    if (auto pt = local_pt(a.rtpmap)) {
      out.telephone_event = detail::negotiated(a, *pt);
      out.payload_types.push_back(*out.telephone_event);
      break;
    }
  }
}

// RFC 4568 §7.1.3: the answer names which of our offered tags it accepted.
RejectReason match_answer_sdes(const MediaDescription& ours, const MediaDescription& theirs,
                               NegotiatedMedia& out) {
  const auto answered = detail::remote_cryptos(theirs);
  const auto offered = detail::remote_cryptos(ours);
  for (const Crypto& a : answered) {
    for (const Crypto& o : offered) {
      if (o.tag == a.tag && o.suite == a.suite) {
        out.remote_crypto = a;
        out.local_crypto = o;
        return RejectReason::None;
      }
    }
  }
  return RejectReason::NoCryptoMatch;
}

NegotiatedMedia answered_line(const LocalPolicy& policy, const SessionDescription& offer,
                              const SessionDescription& answer, std::size_t i) {
  const MediaDescription& ours = offer.media[i];
  const MediaDescription& theirs = answer.media[i];
  NegotiatedMedia out;
  out.index = i;
  out.media = ours.media;
  out.mid = std::string(ours.attributes.value("mid").value_or(""));
  auto reject = [&](RejectReason why) {
    NegotiatedMedia rejected;
    rejected.index = i;
    rejected.media = ours.media;
    rejected.mid = out.mid;
    rejected.reject_reason = why;
    out = std::move(rejected);
    return out;
  };
  if (ours.port == 0 || theirs.port == 0) return reject(RejectReason::PortZero);
  auto security = detail::security_for_proto(policy, theirs.proto);
  if (!security) return reject(RejectReason::UnsupportedProto);
  out.security = *security;
  match_answer_codecs(ours, theirs, out);
  if (!out.codec) return reject(RejectReason::NoCommonCodec);
  RejectReason why = RejectReason::None;
  if (out.security == Security::DtlsSrtp) {
    const auto group = detail::bundle_group_of(answer, out.mid);
    const MediaDescription* tag = group.empty() ? nullptr : detail::find_by_mid(answer, group.front());
    why = detail::read_ice_dtls(answer, theirs, tag, out);
    out.srtp_profiles = policy.srtp_profiles;
    out.bundle = group;
  } else if (out.security == Security::Sdes) {
    why = match_answer_sdes(ours, theirs, out);
  }
  if (why != RejectReason::None) return reject(why);
  detail::read_transport(answer, theirs, out);
  out.rtcp_mux = out.security == Security::DtlsSrtp || (out.rtcp_mux && ours.attributes.has("rtcp-mux"));
  if (out.rtcp_mux) out.remote_rtcp = out.remote_rtp;
  out.direction = intersect(out.direction, effective_direction(offer, ours));
  if (out.ptime_ms == 0) out.ptime_ms = detail::ptime_of(ours, "ptime");
  out.accepted = true;
  return out;
}

}  // namespace

std::expected<std::vector<NegotiatedMedia>, NegotiationError> process_answer(
    const LocalPolicy& policy, const SessionDescription& offer, const SessionDescription& answer) {
  if (offer.media.empty())
    return std::unexpected(NegotiationError{NegotiationErrc::NoMedia, "offer has no m= line"});
  if (answer.media.size() != offer.media.size()) {
    return std::unexpected(NegotiationError{NegotiationErrc::MediaCountMismatch,
                                            "answer m= lines do not match the offer (RFC 3264 §6)"});
  }
  std::vector<NegotiatedMedia> out;
  for (std::size_t i = 0; i < offer.media.size(); ++i)
    out.push_back(answered_line(policy, offer, answer, i));
  return out;
}

std::expected<SessionDescription, NegotiationError> bridge_offer(const LocalPolicy& policy,
                                                                 const SessionDescription& remote_offer) {
  LocalPolicy p = policy;
  const auto live_audio = [](const MediaDescription& m) { return m.media == "audio" && m.port != 0; };
  // Nothing to bridge: offering audio the caller never asked for would set up a one-sided call.
  if (std::none_of(remote_offer.media.begin(), remote_offer.media.end(), live_audio)) {
    return std::unexpected(
        NegotiationError{NegotiationErrc::NoMedia, "the offer has no audio m= line with a port"});
  }
  for (const auto& m : remote_offer.media) {
    if (!live_audio(m)) continue;
    NegotiatedMedia probe;
    detail::read_transport(remote_offer, m, probe);
    // The remote's direction, as we must now ask of the other leg (a browser's sendonly hold
    // becomes our sendonly offer to the PBX).
    p.direction = intersect(reverse(probe.direction), policy.direction);
    if (probe.ptime_ms != 0 && p.leg == Leg::Legacy) p.ptime_ms = probe.ptime_ms;
    break;
  }
  return create_offer(p);
}

}  // namespace rtcgate::sdp
