#include "rtcgate/sip/auth/digest_challenge.hpp"

namespace rtcgate::sip::auth {
namespace {

// qop-options is a quoted, comma-separated list (RFC 7616 §3.3); some servers send it bare.
std::vector<std::string> split_qop(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
      item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
      item.remove_suffix(1);
    if (!item.empty() && out.size() < kMaxAuthParams) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

std::optional<Algorithm> DigestChallenge::parsed_algorithm() const {
  if (algorithm.empty()) return Algorithm::Md5;
  return parse_algorithm(algorithm);
}

bool DigestChallenge::offers_qop_auth() const {
  for (const auto& option : qop_options) {
    if (iequals(option, "auth")) return true;
  }
  return false;
}

std::expected<DigestChallenge, AuthParseError> parse_challenge(std::string_view text) {
  auto value = parse_auth_value(text);
  if (!value) return std::unexpected(value.error());
  if (!iequals(value->scheme, "Digest")) return std::unexpected(AuthParseError{AuthErrc::NotDigest, 0});
  DigestChallenge out;
  const AuthParam* realm = value->find("realm");
  const AuthParam* nonce = value->find("nonce");
  if (realm == nullptr || nonce == nullptr || nonce->value.empty()) {
    return std::unexpected(AuthParseError{AuthErrc::MissingParam, text.size()});
  }
  out.realm = realm->value;
  out.nonce = nonce->value;
  if (const AuthParam* p = value->find("opaque")) {
    out.opaque = p->value;
    out.has_opaque = true;
  }
  if (const AuthParam* p = value->find("domain")) out.domain = p->value;
  if (const AuthParam* p = value->find("algorithm")) out.algorithm = p->value;
  if (const AuthParam* p = value->find("qop")) out.qop_options = split_qop(p->value);
  if (const AuthParam* p = value->find("stale")) out.stale = iequals(p->value, "true");
  return out;
}

std::string write_challenge(const DigestChallenge& c) {
  AuthValue value;
  value.scheme = "Digest";
  value.params.push_back({"realm", c.realm, true});
  if (!c.domain.empty()) value.params.push_back({"domain", c.domain, true});
  value.params.push_back({"nonce", c.nonce, true});
  if (c.has_opaque) value.params.push_back({"opaque", c.opaque, true});
  if (c.stale) value.params.push_back({"stale", "TRUE", false});
  if (!c.algorithm.empty()) value.params.push_back({"algorithm", c.algorithm, false});
  if (!c.qop_options.empty()) {
    std::string qop;
    for (const auto& option : c.qop_options) {
      if (!qop.empty()) qop += ',';
      qop += option;
    }
    value.params.push_back({"qop", qop, true});
  }
  return write_auth_value(value);
}

}  // namespace rtcgate::sip::auth
