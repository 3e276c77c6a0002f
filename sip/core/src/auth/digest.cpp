#include "rtcgate/sip/auth/digest.hpp"

#include <string>

#include "rtcgate/sip/auth/auth_value.hpp"
#include "rtcgate/sip/auth/md5.hpp"
#include "rtcgate/sip/auth/sha256.hpp"

namespace rtcgate::sip::auth {

std::optional<Algorithm> parse_algorithm(std::string_view token) {
  if (iequals(token, "MD5")) return Algorithm::Md5;
  if (iequals(token, "MD5-sess")) return Algorithm::Md5Sess;
  if (iequals(token, "SHA-256")) return Algorithm::Sha256;
  if (iequals(token, "SHA-256-sess")) return Algorithm::Sha256Sess;
  return std::nullopt;
}

std::string_view algorithm_token(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::Md5:
      return "MD5";
    case Algorithm::Md5Sess:
      return "MD5-sess";
    case Algorithm::Sha256:
      return "SHA-256";
    case Algorithm::Sha256Sess:
      return "SHA-256-sess";
  }
  return "MD5";
}

bool is_session(Algorithm algorithm) {
  return algorithm == Algorithm::Md5Sess || algorithm == Algorithm::Sha256Sess;
}

int algorithm_preference(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::Sha256:
      return 4;
    case Algorithm::Sha256Sess:
      return 3;
    case Algorithm::Md5:
      return 2;
    case Algorithm::Md5Sess:
      return 1;
  }
  return 0;
}

std::string hash_hex(Algorithm algorithm, std::string_view data) {
  if (algorithm == Algorithm::Sha256 || algorithm == Algorithm::Sha256Sess) return sha256_hex(data);
  return md5_hex(data);
}

namespace {

// H(a ":" b ":" c ...) without building intermediate strings per part.
template <typename... Parts>
std::string hash_joined(Algorithm algorithm, std::string_view first, Parts... rest) {
  std::string joined(first);
  ((joined += ':', joined += rest), ...);
  return hash_hex(algorithm, joined);
}

}  // namespace

std::string compute_ha1(Algorithm algorithm, std::string_view username, std::string_view realm,
                        std::string_view password) {
  return hash_joined(algorithm, username, realm, password);
}

std::string compute_response(const ResponseInput& in) {
  // RFC 7616 §3.4.2: for -sess, HA1 = H(H(user:realm:password):nonce:cnonce).
  const std::string ha1 =
      is_session(in.algorithm) ? hash_joined(in.algorithm, in.ha1, in.nonce, in.cnonce) : std::string(in.ha1);
  // RFC 7616 §3.4.3: qop=auth (and absent qop) use HA2 = H(method:digest-uri).
  const std::string ha2 = hash_joined(in.algorithm, in.method, in.uri);
  if (in.qop.empty()) return hash_joined(in.algorithm, ha1, in.nonce, ha2);  // RFC 2069
  return hash_joined(in.algorithm, ha1, in.nonce, in.nc, in.cnonce, in.qop, ha2);
}

}  // namespace rtcgate::sip::auth
