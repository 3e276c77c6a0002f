// Fuzzes the WWW-Authenticate/Authorization value parser with a round-trip property: whatever
// parses must write out and parse back to the same scheme, token68, parameter names and values,
// and writing that again must give the same text. The typed challenge and credentials views are
// exercised the same way.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "rtcgate/sip/auth/auth_value.hpp"
#include "rtcgate/sip/auth/digest_challenge.hpp"
#include "rtcgate/sip/auth/digest_credentials.hpp"

namespace {

using namespace rtcgate::sip::auth;

void check(bool condition) {
  if (!condition) std::abort();
}

void round_trip_value(std::string_view text) {
  const auto first = parse_auth_value(text);
  if (!first) return;
  const std::string written = write_auth_value(*first);
  const auto second = parse_auth_value(written);
  check(second.has_value());
  check(second->scheme == first->scheme);
  check(second->token68 == first->token68);
  check(second->params.size() == first->params.size());
  for (std::size_t i = 0; i < first->params.size(); ++i) {
    check(second->params[i].name == first->params[i].name);
    check(second->params[i].value == first->params[i].value);
  }
  check(write_auth_value(*second) == written);
}

void round_trip_challenge(std::string_view text) {
  const auto first = parse_challenge(text);
  if (!first) return;
  const auto second = parse_challenge(write_challenge(*first));
  check(second.has_value());
  check(second->realm == first->realm && second->nonce == first->nonce && second->opaque == first->opaque);
  check(second->algorithm == first->algorithm && second->stale == first->stale);
  check(second->qop_options == first->qop_options);
}

void round_trip_credentials(std::string_view text) {
  const auto first = parse_credentials(text);
  if (!first) return;
  const auto second = parse_credentials(write_credentials(*first));
  check(second.has_value());
  check(second->username == first->username && second->realm == first->realm &&
        second->nonce == first->nonce);
  check(second->uri == first->uri && second->response == first->response && second->nc == first->nc);
  check(second->cnonce == first->cnonce && second->qop == first->qop && second->opaque == first->opaque);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  round_trip_value(text);
  round_trip_challenge(text);
  round_trip_credentials(text);
  return 0;
}
