#include "negotiate_detail.hpp"

#include <rtcgate/sdp/attributes/group.hpp>
#include <rtcgate/sdp/attributes/ptime.hpp>
#include <rtcgate/sdp/attributes/rtcp.hpp>
#include <rtcgate/sdp/attributes/setup.hpp>
#include <rtcgate/sdp/attributes/ssrc.hpp>

#include "text.hpp"

namespace rtcgate::sdp::detail {

std::vector<RemoteFormat> remote_formats(const MediaDescription& m) {
  std::vector<RemoteFormat> out;
  for (const auto& f : m.formats) {
    auto pt = parse_uint<std::uint8_t>(f, 127);
    if (!pt) continue;
    std::optional<Rtpmap> rtpmap;
    for (auto v : m.attributes.values("rtpmap")) {
      auto r = parse_rtpmap(v);
      if (r && r->payload_type == *pt) {
        rtpmap = std::move(*r);
        break;
      }
    }
    if (!rtpmap) rtpmap = static_rtpmap(*pt);
    if (!rtpmap) continue;
    RemoteFormat rf{std::move(*rtpmap), {}};
    for (auto v : m.attributes.values("fmtp")) {
      auto fmtp = parse_fmtp(v);
      if (fmtp && fmtp->format == f) {
        rf.fmtp = std::move(fmtp->params);
        break;
      }
    }
    out.push_back(std::move(rf));
  }
  return out;
}

std::optional<Security> security_for_proto(const LocalPolicy& policy, std::string_view proto) {
  if (policy.leg == Leg::WebRtc) {
    // RFC 5764 §8 / JSEP §5.1.2: UDP/TLS/RTP/SAVP(F), also over TCP.
    if (proto == "UDP/TLS/RTP/SAVPF" || proto == "UDP/TLS/RTP/SAVP" || proto == "TCP/TLS/RTP/SAVPF") {
      return Security::DtlsSrtp;
    }
    return std::nullopt;
  }
  if ((proto == "RTP/AVP" || proto == "RTP/AVPF") && policy.allow_plain_rtp) return Security::None;
  if ((proto == "RTP/SAVP" || proto == "RTP/SAVPF") && !policy.sdes.empty()) return Security::Sdes;
  return std::nullopt;
}

void read_transport(const SessionDescription& d, const MediaDescription& m, NegotiatedMedia& out) {
  const Connection* c = d.connection_for(m);
  out.remote_rtp = Endpoint{c ? c->address : std::string(), m.port};
  out.rtcp_mux = m.attributes.has("rtcp-mux");
  out.rtcp_rsize = m.attributes.has("rtcp-rsize");
  Direction remote = effective_direction(d, m);
  if (c && c->is_hold_address()) remote = intersect(remote, Direction::SendOnly);
  out.remote_hold = !receives(remote);
  out.direction = reverse(remote);
  if (out.rtcp_mux) {
    out.remote_rtcp = out.remote_rtp;
  } else if (auto v = m.attributes.value("rtcp"); v && parse_rtcp(*v)) {
    auto r = *parse_rtcp(*v);
    out.remote_rtcp = Endpoint{r.address ? r.address->address : out.remote_rtp.address, r.port};
  } else {
    out.remote_rtcp = Endpoint{out.remote_rtp.address, static_cast<std::uint16_t>(m.port + 1)};
  }
  for (auto v : m.attributes.values("ssrc")) {
    if (auto s = parse_ssrc(v)) {
      out.remote_ssrc = s->ssrc;
      break;
    }
  }
  out.ptime_ms = ptime_of(m, "ptime");
  out.maxptime_ms = ptime_of(m, "maxptime");
}

namespace {

std::optional<std::string_view> media_or_session(const SessionDescription& d, const MediaDescription& m,
                                                 std::string_view name) {
  if (auto v = m.attributes.value(name)) return v;
  return d.attributes.value(name);
}

std::vector<Candidate> candidates_of(const MediaDescription& m) {
  std::vector<Candidate> out;
  for (auto v : m.attributes.values("candidate")) {
    if (auto c = parse_candidate(v)) out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace

RejectReason read_ice_dtls(const SessionDescription& d, const MediaDescription& m,
                           const MediaDescription* bundle_tag, NegotiatedMedia& out) {
  const MediaDescription& t = bundle_tag ? *bundle_tag : m;
  auto creds = ice_credentials(d, t);
  if (!creds) return RejectReason::BadAttribute;
  if (!*creds) return RejectReason::MissingIce;
  RemoteIce ice{std::move(**creds),
                candidates_of(t),
                ice_options(d, t),
                ice_lite(d),
                false,
                t.attributes.has("end-of-candidates") || d.attributes.has("end-of-candidates")};
  for (const auto& o : ice.options)
    ice.trickle = ice.trickle || o == "trickle";
  out.ice = std::move(ice);

  auto fp_value = media_or_session(d, t, "fingerprint");
  if (!fp_value) return RejectReason::MissingFingerprint;
  auto fp = parse_fingerprint(*fp_value);
  if (!fp) return RejectReason::BadAttribute;
  out.remote_fingerprint = std::move(*fp);
  // RFC 4145 §4: a missing a=setup means active.
  Setup setup = Setup::Active;
  if (auto v = media_or_session(d, t, "setup")) {
    auto s = parse_setup(*v);
    if (!s) return RejectReason::BadAttribute;
    setup = *s;
  }
  if (setup == Setup::HoldConn) return RejectReason::MissingFingerprint;
  // The remote's role decides ours: actpass/passive remote → we are the DTLS client.
  out.dtls_role = setup == Setup::Active ? DtlsRole::Server : DtlsRole::Client;
  if (auto v = media_or_session(d, t, "tls-id")) out.remote_tls_id = std::string(*v);
  return RejectReason::None;
}

std::vector<Crypto> remote_cryptos(const MediaDescription& m) {
  std::vector<Crypto> out;
  for (auto v : m.attributes.values("crypto")) {
    if (auto c = parse_crypto(v)) out.push_back(std::move(*c));
  }
  return out;
}

std::vector<std::string> bundle_group_of(const SessionDescription& d, const std::string& mid) {
  if (mid.empty()) return {};
  for (auto v : d.attributes.values("group")) {
    auto g = parse_group(v);
    if (!g || g->semantics != "BUNDLE") continue;
    for (const auto& id : g->mids) {
      if (id == mid) return g->mids;
    }
  }
  return {};
}

const MediaDescription* find_by_mid(const SessionDescription& d, const std::string& mid) {
  for (const auto& m : d.media) {
    if (m.attributes.value("mid") == mid) return &m;
  }
  return nullptr;
}

NegotiatedCodec negotiated(const RemoteFormat& f, std::uint8_t local_pt) {
  return NegotiatedCodec{f.rtpmap.payload_type,         local_pt, f.rtpmap.encoding, f.rtpmap.clock_rate,
                         f.rtpmap.channels.value_or(1), f.fmtp};
}

std::uint32_t ptime_of(const MediaDescription& m, std::string_view name) {
  auto v = m.attributes.value(name);
  if (!v) return 0;
  auto p = parse_ptime(*v);
  return p ? *p : 0;
}

}  // namespace rtcgate::sdp::detail
