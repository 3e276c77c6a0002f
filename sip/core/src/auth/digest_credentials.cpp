#include "rtcgate/sip/auth/digest_credentials.hpp"

#include <charconv>

namespace rtcgate::sip::auth {
namespace {

bool is_nc(std::string_view nc) {
  if (nc.size() != 8) return false;
  for (const char c : nc) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

}  // namespace

std::uint32_t DigestCredentials::nonce_count() const {
  std::uint32_t value = 0;
  std::from_chars(nc.data(), nc.data() + nc.size(), value, 16);
  return value;
}

std::expected<DigestCredentials, AuthParseError> parse_credentials(std::string_view text) {
  auto value = parse_auth_value(text);
  if (!value) return std::unexpected(value.error());
  if (!iequals(value->scheme, "Digest")) return std::unexpected(AuthParseError{AuthErrc::NotDigest, 0});
  const AuthParam* username = value->find("username");
  const AuthParam* realm = value->find("realm");
  const AuthParam* nonce = value->find("nonce");
  const AuthParam* uri = value->find("uri");
  const AuthParam* response = value->find("response");
  if (!username || !realm || !nonce || !uri || !response) {
    return std::unexpected(AuthParseError{AuthErrc::MissingParam, text.size()});
  }
  DigestCredentials out;
  out.username = username->value;
  out.realm = realm->value;
  out.nonce = nonce->value;
  out.uri = uri->value;
  out.response = response->value;
  if (const AuthParam* p = value->find("algorithm")) out.algorithm = p->value;
  if (const AuthParam* p = value->find("cnonce")) out.cnonce = p->value;
  if (const AuthParam* p = value->find("opaque")) {
    out.opaque = p->value;
    out.has_opaque = true;
  }
  if (const AuthParam* p = value->find("qop")) out.qop = p->value;
  if (const AuthParam* p = value->find("nc")) out.nc = p->value;
  // RFC 7616 §3.4: with qop, cnonce and nc MUST be present; nc is exactly 8LHEX.
  if (!out.qop.empty() && (out.cnonce.empty() || !is_nc(out.nc))) {
    return std::unexpected(AuthParseError{AuthErrc::BadParam, text.size()});
  }
  return out;
}

std::string write_credentials(const DigestCredentials& c) {
  AuthValue value;
  value.scheme = "Digest";
  value.params.push_back({"username", c.username, true});
  value.params.push_back({"realm", c.realm, true});
  value.params.push_back({"nonce", c.nonce, true});
  value.params.push_back({"uri", c.uri, true});
  value.params.push_back({"response", c.response, true});
  if (!c.algorithm.empty()) value.params.push_back({"algorithm", c.algorithm, false});
  if (!c.cnonce.empty()) value.params.push_back({"cnonce", c.cnonce, true});
  if (c.has_opaque) value.params.push_back({"opaque", c.opaque, true});
  if (!c.qop.empty()) value.params.push_back({"qop", c.qop, false});
  if (!c.nc.empty()) value.params.push_back({"nc", c.nc, false});
  return write_auth_value(value);
}

}  // namespace rtcgate::sip::auth
