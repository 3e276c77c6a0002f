// answer_offer: RFC 3264 §6 answerer. Each offered m= line goes through a short pipeline of
// checks (media type → proto → codecs → transport security); the first failing step names the
// reject reason. The answer description is then written by the leg's profile builder.
#include <rtcgate/sdp/negotiate.hpp>

#include <algorithm>

#include "negotiate_detail.hpp"
#include "text.hpp"

namespace rtcgate::sdp {

namespace {

using detail::RemoteFormat;

struct LineContext {
  const LocalPolicy& policy;
  const SessionDescription& offer;
  const MediaDescription& m;
  NegotiatedMedia& out;
  MediaSectionParams& section;
};

RejectReason check_media(const LineContext& c, std::size_t accepted_so_far) {
  if (c.m.port == 0) return RejectReason::PortZero;
  const auto& types = c.policy.media_types;
  if (std::find(types.begin(), types.end(), c.m.media) == types.end()) return RejectReason::UnsupportedMedia;
  if (accepted_so_far >= c.policy.max_streams) return RejectReason::Surplus;
  auto security = detail::security_for_proto(c.policy, c.m.proto);
  if (!security) return RejectReason::UnsupportedProto;
  c.out.security = *security;
  return RejectReason::None;
}

// Our first codec preference that the offer has; telephone-event at its clock rate.
RejectReason choose_codecs(const LineContext& c) {
  const auto formats = detail::remote_formats(c.m);
  for (const Codec& local : c.policy.codecs) {
    auto it = std::find_if(formats.begin(), formats.end(),
                           [&](const RemoteFormat& f) { return matches(local, f.rtpmap); });
    if (it == formats.end()) continue;
    c.out.codec = detail::negotiated(*it, it->rtpmap.payload_type);
    Codec ours = local;
    ours.payload_type = it->rtpmap.payload_type;
    c.section.codecs.push_back(std::move(ours));
    break;
  }
  if (!c.out.codec) return RejectReason::NoCommonCodec;
  c.out.payload_types.push_back(*c.out.codec);
  if (!c.policy.telephone_event) return RejectReason::None;
  for (const RemoteFormat& f : formats) {
    if (is_telephone_event(f.rtpmap.encoding) && f.rtpmap.clock_rate == c.out.codec->clock_rate) {
      c.out.telephone_event = detail::negotiated(f, f.rtpmap.payload_type);
      c.out.payload_types.push_back(*c.out.telephone_event);
      Codec te = telephone_event_codec(f.rtpmap.clock_rate);
      te.payload_type = f.rtpmap.payload_type;
      c.section.codecs.push_back(std::move(te));
      break;
    }
  }
  return RejectReason::None;
}

// RFC 4568 §7.1.1: answer with one offered crypto line whose suite we allow, keeping its tag.
RejectReason choose_sdes(const LineContext& c) {
  const auto offered = detail::remote_cryptos(c.m);
  for (const Crypto& ours : c.policy.sdes) {
    auto it =
        std::find_if(offered.begin(), offered.end(), [&](const Crypto& o) { return o.suite == ours.suite; });
    if (it == offered.end()) continue;
    c.out.remote_crypto = *it;
    Crypto answer = ours;
    answer.tag = it->tag;
    c.out.local_crypto = answer;
    c.section.crypto.push_back(std::move(answer));
    return RejectReason::None;
  }
  return RejectReason::NoCryptoMatch;
}

RejectReason check_security(const LineContext& c) {
  switch (c.out.security) {
    case Security::DtlsSrtp: {
      const auto group = detail::bundle_group_of(c.offer, c.out.mid);
      const MediaDescription* tag = group.empty() ? nullptr : detail::find_by_mid(c.offer, group.front());
      c.out.srtp_profiles = c.policy.srtp_profiles;
      c.out.rtcp_mux = true;  // RFC 8834 §4.5: WebRTC endpoints always multiplex
      return detail::read_ice_dtls(c.offer, c.m, tag, c.out);
    }
    case Security::Sdes:
      return choose_sdes(c);
    case Security::None:
      return RejectReason::None;
  }
  return RejectReason::None;
}

void finish_accepted(const LineContext& c) {
  detail::read_transport(c.offer, c.m, c.out);
  if (c.out.security == Security::DtlsSrtp) c.out.rtcp_mux = true;
  c.out.direction = intersect(c.out.direction, c.policy.direction);
  if (c.out.ptime_ms == 0) c.out.ptime_ms = c.policy.ptime_ms;
  c.section.port = c.policy.port;
  c.section.direction = c.out.direction;
  c.section.ptime_ms = c.policy.leg == Leg::Legacy ? c.out.ptime_ms : 0;
  c.section.rtcp_rsize = c.out.rtcp_rsize;
  c.section.ssrc = c.policy.ssrc;
  c.section.cname = c.policy.cname;
  c.out.accepted = true;
}

void reject(const LineContext& c, RejectReason why) {
  c.out.accepted = false;
  c.out.reject_reason = why;
  c.out.codec.reset();
  c.out.telephone_event.reset();
  c.out.payload_types.clear();
  c.section = MediaSectionParams{};
  c.section.media = c.m.media;
  c.section.mid = c.out.mid;
  c.section.rejected = true;
  c.section.proto = c.m.proto;
  c.section.formats = c.m.formats;
}

NegotiatedMedia negotiate_line(const LocalPolicy& policy, const SessionDescription& offer, std::size_t index,
                               std::size_t accepted_so_far, MediaSectionParams& section) {
  const MediaDescription& m = offer.media[index];
  NegotiatedMedia out;
  out.index = index;
  out.media = m.media;
  out.mid = std::string(m.attributes.value("mid").value_or(""));
  section.media = m.media;
  section.mid = out.mid;
  section.proto = m.proto;
  LineContext c{policy, offer, m, out, section};
  RejectReason why = check_media(c, accepted_so_far);
  if (why == RejectReason::None) why = choose_codecs(c);
  if (why == RejectReason::None) why = check_security(c);
  if (why == RejectReason::None) {
    finish_accepted(c);
  } else {
    reject(c, why);
  }
  return out;
}

}  // namespace

std::expected<void, NegotiationError> detail::check_local_policy(const LocalPolicy& p) {
  if (p.session.address.empty() || p.port == 0) {
    return std::unexpected(NegotiationError{NegotiationErrc::MissingLocalParams, "no local address or port"});
  }
  if (p.leg == Leg::WebRtc && (!p.fingerprint || p.ice.ufrag.empty() || p.ice.pwd.empty())) {
    return std::unexpected(NegotiationError{NegotiationErrc::MissingLocalParams,
                                            "WebRTC leg needs a fingerprint and ICE credentials"});
  }
  return {};
}

namespace {

SessionDescription build_answer(const LocalPolicy& policy, const SessionDescription& offer,
                                std::vector<MediaSectionParams> sections,
                                const std::vector<NegotiatedMedia>& media) {
  if (policy.leg == Leg::Legacy) {
    const bool mux = std::any_of(media.begin(), media.end(),
                                 [](const NegotiatedMedia& n) { return n.accepted && n.rtcp_mux; });
    return build_legacy_description(LegacyDescriptionParams{policy.session, mux, std::move(sections)});
  }
  Setup setup = Setup::Active;
  for (const auto& n : media) {
    if (n.accepted && n.dtls_role) setup = *n.dtls_role == DtlsRole::Client ? Setup::Active : Setup::Passive;
  }
  const bool trickle = policy.trickle && !ice_options(offer, offer.media.front()).empty();
  return build_webrtc_description(WebRtcDescriptionParams{
      policy.session, policy.ice, policy.candidates, policy.ice_lite, trickle, policy.end_of_candidates,
      *policy.fingerprint, setup, policy.tls_id, std::move(sections)});
}

}  // namespace

bool Answer::any_accepted() const {
  return std::any_of(media.begin(), media.end(), [](const NegotiatedMedia& m) { return m.accepted; });
}

std::expected<Answer, NegotiationError> answer_offer(const LocalPolicy& policy,
                                                     const SessionDescription& offer) {
  if (offer.media.empty())
    return std::unexpected(NegotiationError{NegotiationErrc::NoMedia, "offer has no m= line"});
  if (auto ok = detail::check_local_policy(policy); !ok) return std::unexpected(ok.error());
  Answer answer;
  std::vector<MediaSectionParams> sections(offer.media.size());
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    answer.media.push_back(negotiate_line(policy, offer, i, accepted, sections[i]));
    if (answer.media.back().accepted) ++accepted;
  }
  // RFC 9143 §7.3.1: every accepted line of the group shares the answerer's group.
  std::vector<std::string> group;
  for (const auto& n : answer.media) {
    if (n.accepted && policy.leg == Leg::WebRtc && !n.mid.empty()) group.push_back(n.mid);
  }
  for (auto& n : answer.media) {
    if (n.accepted && !detail::bundle_group_of(offer, n.mid).empty()) n.bundle = group;
  }
  answer.description = build_answer(policy, offer, std::move(sections), answer.media);
  return answer;
}

}  // namespace rtcgate::sdp
