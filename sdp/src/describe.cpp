#include <rtcgate/sdp/negotiate.hpp>

#include <array>

#include "text.hpp"

namespace rtcgate::sdp {

std::string_view to_string(RejectReason r) {
  static constexpr std::array<std::string_view, 10> kNames = {
      "none",        "port-zero",           "unsupported-media", "unsupported-proto", "no-common-codec",
      "missing-ice", "missing-fingerprint", "no-crypto-match",   "surplus",           "bad-attribute"};
  return kNames[static_cast<std::size_t>(r)];
}

namespace {

void codec_line(std::string& out, std::string_view key, const NegotiatedCodec& c) {
  out += key;
  out += ": ";
  out += c.name + '/';
  detail::append_uint(out, c.clock_rate);
  if (c.channels != 1) {
    out += '/';
    detail::append_uint(out, c.channels);
  }
  out += " pt ";
  detail::append_uint(out, c.payload_type);
  out += " local-pt ";
  detail::append_uint(out, c.local_payload_type);
  if (!c.fmtp.empty()) out += " fmtp " + params_to_string(c.fmtp);
  out += '\n';
}

void endpoint_line(std::string& out, std::string_view key, const Endpoint& e) {
  out += key;
  out += ": " + e.address + ' ';
  detail::append_uint(out, e.port);
  out += '\n';
}

std::string_view security_name(Security s) {
  switch (s) {
    case Security::None:
      return "none";
    case Security::DtlsSrtp:
      return "dtls-srtp";
    case Security::Sdes:
      return "sdes";
  }
  return "none";
}

void describe_security(std::string& out, const NegotiatedMedia& m) {
  out += "security: ";
  out += security_name(m.security);
  out += '\n';
  if (m.ice) {
    out += "ice: ufrag " + m.ice->credentials.ufrag + " candidates ";
    detail::append_uint(out, m.ice->candidates.size());
    out += m.ice->lite ? " lite" : "";
    out += m.ice->trickle ? " trickle" : "";
    out += m.ice->end_of_candidates ? " end-of-candidates" : "";
    out += '\n';
  }
  if (m.remote_fingerprint) out += "fingerprint: " + to_value(*m.remote_fingerprint) + '\n';
  if (m.dtls_role) out += *m.dtls_role == DtlsRole::Client ? "dtls-role: client\n" : "dtls-role: server\n";
  if (m.remote_crypto) out += "remote-crypto: " + m.remote_crypto->suite + '\n';
  if (m.local_crypto) out += "local-crypto: " + m.local_crypto->suite + '\n';
}

}  // namespace

std::string describe(const NegotiatedMedia& m) {
  std::string out = "m-line ";
  detail::append_uint(out, m.index);
  out += ": " + m.media + (m.mid.empty() ? "" : " mid " + m.mid) + '\n';
  if (!m.accepted) {
    out += "rejected: ";
    out += to_string(m.reject_reason);
    out += '\n';
    return out;
  }
  if (m.codec) codec_line(out, "codec", *m.codec);
  if (m.telephone_event) codec_line(out, "telephone-event", *m.telephone_event);
  out += "ptime: ";
  detail::append_uint(out, m.ptime_ms);
  out += "\ndirection: ";
  out += to_string(m.direction);
  out += m.remote_hold ? " (remote hold)\n" : "\n";
  endpoint_line(out, "remote-rtp", m.remote_rtp);
  endpoint_line(out, "remote-rtcp", m.remote_rtcp);
  out += m.rtcp_mux ? "rtcp-mux: yes\n" : "rtcp-mux: no\n";
  if (m.rtcp_rsize) out += "rtcp-rsize: yes\n";
  describe_security(out, m);
  if (!m.bundle.empty()) {
    out += "bundle:";
    for (const auto& mid : m.bundle)
      out += ' ' + mid;
    out += '\n';
  }
  return out;
}

}  // namespace rtcgate::sdp
