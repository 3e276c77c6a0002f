#include "rtcgate/gateway/media_params.hpp"

#include "rtcgate/gateway/config_listen.hpp"

namespace rtcgate::gateway {
namespace {

media::IceCandidateType to_media(sdp::CandidateType type) {
  switch (type) {
    case sdp::CandidateType::Host:
      return media::IceCandidateType::Host;
    case sdp::CandidateType::Srflx:
      return media::IceCandidateType::ServerReflexive;
    case sdp::CandidateType::Prflx:
      return media::IceCandidateType::PeerReflexive;
    case sdp::CandidateType::Relay:
      return media::IceCandidateType::Relayed;
  }
  return media::IceCandidateType::Host;
}

sdp::CandidateType to_sdp(media::IceCandidateType type) {
  switch (type) {
    case media::IceCandidateType::Host:
      return sdp::CandidateType::Host;
    case media::IceCandidateType::ServerReflexive:
      return sdp::CandidateType::Srflx;
    case media::IceCandidateType::PeerReflexive:
      return sdp::CandidateType::Prflx;
    case media::IceCandidateType::Relayed:
      return sdp::CandidateType::Relay;
  }
  return sdp::CandidateType::Host;
}

}  // namespace

media::IceCredentials to_media(const sdp::IceCredentials& credentials) {
  return media::IceCredentials{credentials.ufrag, credentials.pwd};
}

sdp::IceCredentials to_sdp(const media::IceCredentials& credentials) {
  return sdp::IceCredentials{credentials.ufrag, credentials.pwd};
}

std::optional<media::IceCandidate> to_media(const sdp::Candidate& candidate) {
  if (!candidate.is_udp() || candidate.component != 1 || !is_ip_literal(candidate.address) ||
      candidate.port == 0) {
    return std::nullopt;
  }
  media::IceCandidate out;
  out.foundation = candidate.foundation;
  out.component = candidate.component;
  out.transport = "udp";
  out.priority = candidate.priority;
  out.address = candidate.address;
  out.port = candidate.port;
  out.type = to_media(candidate.type);
  // raddr/rport are informational (RFC 8839 §5.1); browsers write 0.0.0.0 0 to hide them.
  if (candidate.related_address && is_ip_literal(*candidate.related_address)) {
    out.related_address = *candidate.related_address;
    out.related_port = candidate.related_port.value_or(0);
  }
  return out;
}

sdp::Candidate to_sdp(const media::IceCandidate& candidate) {
  sdp::Candidate out;
  out.foundation = candidate.foundation;
  out.component = static_cast<std::uint16_t>(candidate.component);
  out.transport = "udp";
  out.priority = candidate.priority;
  out.address = candidate.address;
  out.port = candidate.port;
  out.type = to_sdp(candidate.type);
  if (candidate.type != media::IceCandidateType::Host && !candidate.related_address.empty()) {
    out.related_address = candidate.related_address;
    out.related_port = candidate.related_port;
  }
  return out;
}

std::expected<media::Fingerprint, std::string> to_media(const sdp::Fingerprint& fingerprint) {
  std::string value = sdp::to_value(fingerprint);  // "sha-256 AB:CD:…"
  std::size_t space = value.find(' ');
  if (space == std::string::npos) return std::unexpected("malformed fingerprint '" + value + "'");
  auto parsed = media::Fingerprint::parse(std::string_view(value).substr(0, space),
                                          std::string_view(value).substr(space + 1));
  if (!parsed) return std::unexpected("fingerprint '" + value + "' not usable");
  return *parsed;
}

sdp::Fingerprint to_sdp(const media::Fingerprint& fingerprint) {
  sdp::Fingerprint out;
  switch (fingerprint.hash()) {
    case media::HashFunction::Sha1:
      out.hash = sdp::HashFunction::Sha1;
      break;
    case media::HashFunction::Sha224:
      out.hash = sdp::HashFunction::Sha224;
      break;
    case media::HashFunction::Sha256:
      out.hash = sdp::HashFunction::Sha256;
      break;
    case media::HashFunction::Sha384:
      out.hash = sdp::HashFunction::Sha384;
      break;
    case media::HashFunction::Sha512:
      out.hash = sdp::HashFunction::Sha512;
      break;
  }
  auto digest = fingerprint.digest();
  out.digest.assign(digest.begin(), digest.end());
  return out;
}

media::DtlsRole to_media(sdp::DtlsRole role) {
  return role == sdp::DtlsRole::Client ? media::DtlsRole::Client : media::DtlsRole::Server;
}

std::expected<RemoteWebParams, std::string> remote_web_params(const sdp::NegotiatedMedia& m) {
  if (!m.accepted)
    return std::unexpected("the stream was rejected (" + std::string(sdp::to_string(m.reject_reason)) + ")");
  if (m.security != sdp::Security::DtlsSrtp)
    return std::unexpected(std::string("the stream does not use DTLS-SRTP"));
  if (!m.ice) return std::unexpected(std::string("no ICE credentials"));
  if (!m.remote_fingerprint) return std::unexpected(std::string("no a=fingerprint"));
  if (!m.dtls_role) return std::unexpected(std::string("no usable a=setup"));
  auto fingerprint = to_media(*m.remote_fingerprint);
  if (!fingerprint) return std::unexpected(fingerprint.error());
  RemoteWebParams out;
  out.credentials = to_media(m.ice->credentials);
  out.fingerprint = *fingerprint;
  out.dtls_role = to_media(*m.dtls_role);
  out.lite = m.ice->lite;
  out.end_of_candidates = m.ice->end_of_candidates;
  for (const sdp::Candidate& c : m.ice->candidates) {
    auto candidate = to_media(c);
    if (!candidate || out.candidates.size() >= kMaxRemoteCandidates) {
      ++out.skipped_candidates;
      continue;
    }
    out.candidates.push_back(std::move(*candidate));
  }
  return out;
}

std::optional<media::IceCandidate> trickled_candidate(std::string_view value) {
  auto parsed = sdp::parse_candidate(value);
  if (!parsed) return std::nullopt;
  return to_media(*parsed);
}

std::string media_address(const Config& config) {
  return config.media.public_address.empty() ? config.media.bind_address : config.media.public_address;
}

sdp::LocalPolicy web_policy(const Config& config, const LocalWebParams& local, const LegCodecs& codecs,
                            sdp::SessionParams session) {
  sdp::LocalPolicy policy;
  policy.leg = sdp::Leg::WebRtc;
  session.address = media_address(config);
  policy.session = std::move(session);
  policy.codecs = codecs.codecs;
  policy.telephone_event = codecs.telephone_event;
  policy.ptime_ms = 0;  // browsers pick their own packetization (RFC 7587 §6.1: 20 ms default)
  policy.ice = to_sdp(local.credentials);
  for (const media::IceCandidate& c : local.candidates)
    policy.candidates.push_back(to_sdp(c));
  policy.port = local.candidates.empty() ? 9 : local.candidates.front().port;
  policy.ice_lite = config.media.ice_lite;
  policy.trickle = true;
  policy.end_of_candidates = local.gathering_done;
  policy.fingerprint = to_sdp(local.fingerprint);
  policy.tls_id = local.tls_id;
  return policy;
}

sdp::LocalPolicy legacy_policy(const Config& config, std::uint16_t rtp_port, const LegCodecs& codecs,
                               sdp::SessionParams session) {
  sdp::LocalPolicy policy;
  policy.leg = sdp::Leg::Legacy;
  session.address = media_address(config);
  policy.session = std::move(session);
  policy.port = rtp_port;
  policy.codecs = codecs.codecs;
  policy.telephone_event = codecs.telephone_event;
  policy.ptime_ms = config.codecs.ptime_ms;
  policy.allow_plain_rtp = true;
  policy.rtcp_mux = false;
  return policy;
}

}  // namespace rtcgate::gateway
