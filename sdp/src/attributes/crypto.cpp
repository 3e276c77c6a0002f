#include <rtcgate/sdp/attributes/crypto.hpp>

#include <array>

#include <rtcgate/sdp/base64.hpp>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

namespace {

struct SuiteInfo {
  std::string_view name;
  std::size_t key_salt;
};

// RFC 4568 §6.2 (AES_CM_128_*, F8), RFC 6188 §7 (AES_192/256_CM), RFC 7714 §12 (AEAD GCM).
constexpr std::array<SuiteInfo, 9> kSuites = {{{"AES_CM_128_HMAC_SHA1_80", 30},
                                               {"AES_CM_128_HMAC_SHA1_32", 30},
                                               {"F8_128_HMAC_SHA1_80", 30},
                                               {"AES_192_CM_HMAC_SHA1_80", 38},
                                               {"AES_192_CM_HMAC_SHA1_32", 38},
                                               {"AES_256_CM_HMAC_SHA1_80", 46},
                                               {"AES_256_CM_HMAC_SHA1_32", 46},
                                               {"AEAD_AES_128_GCM", 28},
                                               {"AEAD_AES_256_GCM", 44}}};

// "inline:" key||salt ["|" lifetime] ["|" MKI ":" length]  (RFC 4568 §9.2)
std::expected<CryptoKey, ParseError> parse_key_param(std::string_view kp, std::optional<std::size_t> size) {
  if (!kp.starts_with("inline:")) return detail::bad_attribute("crypto key method must be inline");
  const auto parts = detail::split(kp.substr(7), '|');
  if (parts.size() > 3) return detail::bad_attribute("too many crypto key fields");
  auto bytes = base64_decode(parts[0]);
  if (!bytes || bytes->empty()) return detail::bad_attribute("crypto key is not base64");
  if (size && bytes->size() != *size) return detail::bad_attribute("crypto key||salt has the wrong length");
  CryptoKey key{std::move(*bytes), std::nullopt, std::nullopt, std::nullopt};
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const auto colon = parts[i].find(':');
    if (colon == std::string_view::npos) {
      // lifetime: ["2^"] 1*DIGIT, before any MKI
      const auto digits = parts[i].starts_with("2^") ? parts[i].substr(2) : parts[i];
      if (key.lifetime || key.mki || !detail::parse_uint<std::uint64_t>(digits)) {
        return detail::bad_attribute("bad crypto key lifetime");
      }
      key.lifetime = std::string(parts[i]);
    } else {
      auto mki = detail::parse_uint<std::uint32_t>(parts[i].substr(0, colon));
      auto len = detail::parse_uint<std::uint8_t>(parts[i].substr(colon + 1), 128);
      if (key.mki || !mki || !len || *len == 0) return detail::bad_attribute("bad crypto MKI");
      key.mki = *mki;
      key.mki_length = *len;
    }
  }
  return key;
}

}  // namespace

std::optional<std::size_t> crypto_key_salt_size(std::string_view suite) {
  for (const auto& s : kSuites) {
    if (s.name == suite) return s.key_salt;
  }
  return std::nullopt;
}

std::expected<Crypto, ParseError> parse_crypto(std::string_view value) {
  const auto f = detail::split_spaces(value);
  if (f.size() < 3) return detail::bad_attribute("crypto needs '<tag> <suite> <key-params>'");
  auto tag = detail::parse_uint<std::uint32_t>(f[0], 999999999);
  if (!tag) return detail::bad_attribute("crypto tag must be 1-9 digits");
  if (!detail::is_token(f[1])) return detail::bad_attribute("bad crypto suite");
  Crypto c{*tag, std::string(f[1]), {}, {}};
  const auto size = crypto_key_salt_size(c.suite);
  for (auto kp : detail::split(f[2], ';')) {
    auto key = parse_key_param(kp, size);
    if (!key) return std::unexpected(key.error());
    c.keys.push_back(std::move(*key));
  }
  for (std::size_t i = 3; i < f.size(); ++i)
    c.session_params.emplace_back(f[i]);
  return c;
}

std::string to_value(const Crypto& c) {
  std::string out;
  detail::append_uint(out, c.tag);
  out += ' ' + c.suite + ' ';
  for (std::size_t i = 0; i < c.keys.size(); ++i) {
    const CryptoKey& k = c.keys[i];
    if (i > 0) out.push_back(';');
    out += "inline:" + base64_encode(k.key_salt);
    if (k.lifetime) out += '|' + *k.lifetime;
    if (k.mki) {
      out.push_back('|');
      detail::append_uint(out, *k.mki);
      out.push_back(':');
      detail::append_uint(out, k.mki_length.value_or(1));
    }
  }
  for (const auto& p : c.session_params)
    out += ' ' + p;
  return out;
}

}  // namespace rtcgate::sdp
