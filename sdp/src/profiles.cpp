// The WebRTC and legacy description builders (see profiles.hpp for what each must and must not
// contain).
#include <rtcgate/sdp/profiles.hpp>

#include <rtcgate/sdp/attributes/group.hpp>
#include <rtcgate/sdp/attributes/rtcp.hpp>

#include "text.hpp"

namespace rtcgate::sdp {

namespace {

std::string addr_type_of(const std::string& address) {
  return address.find(':') != std::string::npos ? "IP6" : "IP4";
}

SessionDescription session_skeleton(const SessionParams& s) {
  SessionDescription d;
  d.origin = Origin{s.username, s.session_id, s.session_version, "IN", addr_type_of(s.address), s.address};
  d.session_name = s.session_name.empty() ? "-" : s.session_name;
  d.timings.push_back(Timing{});
  return d;
}

std::string pt_string(const Codec& c) {
  std::string out;
  detail::append_uint(out, c.payload_type.value_or(0));
  return out;
}

// m= line formats plus rtpmap/fmtp lines for every codec.
void add_codecs(MediaDescription& m, const MediaSectionParams& p) {
  for (const Codec& c : p.codecs)
    m.formats.push_back(pt_string(c));
  for (const Codec& c : p.codecs) {
    Rtpmap r{c.payload_type.value_or(0), c.name, c.clock_rate, std::nullopt};
    if (c.channels != 1) r.channels = c.channels;
    m.attributes.add("rtpmap", to_value(r));
    if (!c.fmtp.empty()) m.attributes.add("fmtp", pt_string(c) + ' ' + params_to_string(c.fmtp));
  }
}

void add_ptime(MediaDescription& m, const MediaSectionParams& p) {
  std::string v;
  if (p.ptime_ms > 0) {
    detail::append_uint(v, p.ptime_ms);
    m.attributes.add("ptime", v);
  }
  if (p.maxptime_ms > 0) {
    v.clear();
    detail::append_uint(v, p.maxptime_ms);
    m.attributes.add("maxptime", v);
  }
}

// A rejected section keeps the offered media, proto and formats, with port 0 (RFC 3264 §6).
MediaDescription rejected_section(const MediaSectionParams& p, std::string_view default_proto) {
  MediaDescription m;
  m.media = p.media;
  m.port = 0;
  m.proto = p.proto.empty() ? std::string(default_proto) : p.proto;
  m.formats = p.formats;
  if (m.formats.empty()) {
    for (const Codec& c : p.codecs)
      m.formats.push_back(pt_string(c));
  }
  if (m.formats.empty()) m.formats.emplace_back("0");
  return m;
}

Connection connection_for(const std::string& address) {
  return Connection{"IN", addr_type_of(address), address, std::nullopt, std::nullopt};
}

void add_ice_and_dtls(MediaDescription& m, const WebRtcDescriptionParams& p) {
  m.attributes.add("ice-ufrag", p.ice.ufrag);
  m.attributes.add("ice-pwd", p.ice.pwd);
  if (p.trickle) m.attributes.add("ice-options", "trickle");
  m.attributes.add("fingerprint", to_value(p.fingerprint));
  m.attributes.add("setup", std::string(to_string(p.setup)));
  if (p.tls_id) m.attributes.add("tls-id", *p.tls_id);
}

void add_ssrc(MediaDescription& m, const MediaSectionParams& s) {
  if (s.msid) m.attributes.add("msid", to_value(*s.msid));
  if (!s.ssrc) return;
  std::string id;
  detail::append_uint(id, *s.ssrc);
  if (!s.cname.empty()) m.attributes.add("ssrc", id + " cname:" + s.cname);
  if (s.msid) m.attributes.add("ssrc", id + " msid:" + to_value(*s.msid));
}

MediaDescription webrtc_section(const WebRtcDescriptionParams& p, const MediaSectionParams& s, bool first) {
  MediaDescription m;
  m.media = s.media;
  m.port = s.port;
  m.proto = s.proto.empty() ? "UDP/TLS/RTP/SAVPF" : s.proto;
  add_codecs(m, s);
  m.connections.push_back(connection_for(p.session.address));
  // With BUNDLE only the first section carries candidates (RFC 8843 §7.1.3, JSEP §5.2.1).
  m.attributes.add("rtcp", "9 IN " + addr_type_of(p.session.address) +
                               (addr_type_of(p.session.address) == "IP6" ? " ::" : " 0.0.0.0"));
  if (first) {
    for (const Candidate& c : p.candidates)
      m.attributes.add("candidate", to_value(c));
    if (p.end_of_candidates) m.attributes.add("end-of-candidates");
  }
  add_ice_and_dtls(m, p);
  m.attributes.add("mid", s.mid);
  m.attributes.add(std::string(to_string(s.direction)));
  m.attributes.add("rtcp-mux");
  if (s.rtcp_rsize) m.attributes.add("rtcp-rsize");
  add_ptime(m, s);
  add_ssrc(m, s);
  return m;
}

}  // namespace

SessionDescription build_webrtc_description(const WebRtcDescriptionParams& p) {
  SessionDescription d = session_skeleton(p.session);
  Group bundle{"BUNDLE", {}};
  for (const auto& s : p.media) {
    if (!s.rejected) bundle.mids.push_back(s.mid);
  }
  if (p.ice_lite) d.attributes.add("ice-lite");
  if (!bundle.mids.empty()) d.attributes.add("group", to_value(bundle));
  d.attributes.add("msid-semantic", " WMS");
  bool first = true;
  for (const auto& s : p.media) {
    if (s.rejected) {
      MediaDescription m = rejected_section(s, "UDP/TLS/RTP/SAVPF");
      // No session-level c= here, and RFC 8866 §5.7 wants one in every section then.
      m.connections.push_back(connection_for(p.session.address));
      if (!s.mid.empty()) m.attributes.add("mid", s.mid);  // JSEP §5.3.1 keeps the mid
      d.media.push_back(std::move(m));
      continue;
    }
    d.media.push_back(webrtc_section(p, s, first));
    first = false;
  }
  return d;
}

SessionDescription build_legacy_description(const LegacyDescriptionParams& p) {
  SessionDescription d = session_skeleton(p.session);
  d.connection = connection_for(p.session.address);
  for (const auto& s : p.media) {
    const std::string_view default_proto = s.crypto.empty() ? "RTP/AVP" : "RTP/SAVP";
    if (s.rejected) {
      d.media.push_back(rejected_section(s, default_proto));
      continue;
    }
    MediaDescription m;
    m.media = s.media;
    m.port = s.port;
    m.proto = s.proto.empty() ? std::string(default_proto) : s.proto;
    add_codecs(m, s);
    if (p.rtcp_mux) {
      m.attributes.add("rtcp-mux");
    } else {
      m.attributes.add("rtcp", to_value(RtcpAttribute{static_cast<std::uint16_t>(s.port + 1), std::nullopt}));
    }
    for (const Crypto& c : s.crypto)
      m.attributes.add("crypto", to_value(c));
    add_ptime(m, s);
    m.attributes.add(std::string(to_string(s.direction)));
    d.media.push_back(std::move(m));
  }
  return d;
}

}  // namespace rtcgate::sdp
