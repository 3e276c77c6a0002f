// MD5 message digest (RFC 1321), used only for SIP digest authentication (RFC 2617, RFC 7616
// algorithm "MD5"). Not for anything that needs collision resistance.
//
// Ownership: value type, no heap use. Thread affinity: none (each instance is independent).
// Units: bytes in, 16-byte digest out; md5_hex() returns 32 lowercase hex characters.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace rtcgate::sip::auth {

class Md5 {
 public:
  static constexpr std::size_t kDigestSize = 16;
  using Digest = std::array<std::uint8_t, kDigestSize>;

  Md5() = default;

  void update(std::span<const std::uint8_t> data);
  void update(std::string_view data);
  // Pads, returns the digest and leaves the object reset for a new message.
  Digest finish();

 private:
  void transform(const std::uint8_t* block);

  std::array<std::uint32_t, 4> state_{0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u};
  std::array<std::uint8_t, 64> buffer_{};
  std::uint64_t total_bytes_ = 0;
};

Md5::Digest md5(std::string_view data);
std::string md5_hex(std::string_view data);

}  // namespace rtcgate::sip::auth
