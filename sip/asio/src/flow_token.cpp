// Flow tokens, see flow_token.hpp (RFC 5626 §5.2).
#include "rtcgate/sip/asio/flow_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdint>
#include <stdexcept>

#include <boost/asio/ip/address.hpp>

namespace rtcgate::sip::asio {
namespace {

namespace ip = boost::asio::ip;

constexpr std::size_t kAddressSize = 16 + 2;
constexpr std::size_t kPayloadSize = 1 + 8 + 2 * kAddressSize;
constexpr std::size_t kMacSize = 10;
constexpr std::size_t kTokenBytes = kPayloadSize + kMacSize;
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

using Payload = std::array<unsigned char, kPayloadSize>;
using TokenBytes = std::array<unsigned char, kTokenBytes>;

bool put_address(const TransportAddress& address, unsigned char* out) {
  boost::system::error_code ec;
  ip::address parsed = ip::make_address(address.ip, ec);
  if (ec) return false;
  const ip::address_v6 v6 =
      parsed.is_v4() ? ip::make_address_v6(ip::v4_mapped, parsed.to_v4()) : parsed.to_v6();
  const ip::address_v6::bytes_type bytes = v6.to_bytes();
  std::copy(bytes.begin(), bytes.end(), out);
  out[16] = static_cast<unsigned char>(address.port >> 8);
  out[17] = static_cast<unsigned char>(address.port & 0xff);
  return true;
}

TransportAddress get_address(const unsigned char* in) {
  ip::address_v6::bytes_type bytes{};
  std::copy(in, in + 16, bytes.begin());
  ip::address_v6 v6(bytes);
  const ip::address address =
      v6.is_v4_mapped() ? ip::address(ip::make_address_v4(ip::v4_mapped, v6)) : ip::address(v6);
  return TransportAddress{address.to_string(), static_cast<std::uint16_t>((in[16] << 8) | in[17])};
}

std::array<unsigned char, EVP_MAX_MD_SIZE> mac(std::span<const unsigned char> key, const Payload& payload) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), payload.data(), payload.size(), out.data(),
       &size);
  return out;
}

std::string base64url(const TokenBytes& bytes) {
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (unsigned char byte : bytes) {
    bits = (bits << 8) | byte;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out += kAlphabet[(bits >> count) & 0x3f];
    }
  }
  if (count > 0) out += kAlphabet[(bits << (6 - count)) & 0x3f];
  return out;
}

std::optional<TokenBytes> unbase64url(std::string_view text) {
  if (text.size() != (kTokenBytes * 8 + 5) / 6) return std::nullopt;
  TokenBytes out{};
  std::size_t at = 0;
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    const std::size_t value = kAlphabet.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      if (at < out.size()) out[at++] = static_cast<unsigned char>((bits >> count) & 0xff);
    }
  }
  // The unused low bits of the last character must be zero, so each token has one spelling.
  if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

FlowTokens::FlowTokens() {
  // Without a random key tokens would be forgeable; a gateway must not start like that.
  if (RAND_bytes(key_.data(), static_cast<int>(key_.size())) != 1) {
    throw std::runtime_error("flow tokens: no randomness for the key");
  }
}

FlowTokens::FlowTokens(std::span<const unsigned char, kKeySize> key) {
  std::copy(key.begin(), key.end(), key_.begin());
}

std::string FlowTokens::encode(const Flow& flow) const {
  Payload payload{};
  payload[0] = static_cast<unsigned char>(flow.kind);
  for (int i = 0; i < 8; ++i)
    payload[1 + i] = static_cast<unsigned char>(flow.connection >> (56 - 8 * i));
  if (!put_address(flow.local, payload.data() + 9) ||
      !put_address(flow.remote, payload.data() + 9 + kAddressSize)) {
    return {};
  }
  const auto digest = mac(key_, payload);
  TokenBytes bytes{};
  std::copy(payload.begin(), payload.end(), bytes.begin());
  std::copy(digest.begin(), digest.begin() + kMacSize, bytes.begin() + kPayloadSize);
  return base64url(bytes);
}

std::optional<Flow> FlowTokens::decode(std::string_view token) const {
  const std::optional<TokenBytes> bytes = unbase64url(token);
  if (!bytes) return std::nullopt;
  Payload payload{};
  std::copy(bytes->begin(), bytes->begin() + kPayloadSize, payload.begin());
  const auto digest = mac(key_, payload);
  if (CRYPTO_memcmp(digest.data(), bytes->data() + kPayloadSize, kMacSize) != 0) return std::nullopt;
  if (payload[0] > static_cast<unsigned char>(TransportKind::Wss)) return std::nullopt;
  Flow flow;
  flow.kind = static_cast<TransportKind>(payload[0]);
  for (int i = 0; i < 8; ++i)
    flow.connection = (flow.connection << 8) | payload[1 + i];
  flow.local = get_address(payload.data() + 9);
  flow.remote = get_address(payload.data() + 9 + kAddressSize);
  return flow;
}

}  // namespace rtcgate::sip::asio
