// SHA-256 (FIPS 180-4 §6.2), used for SIP digest authentication with algorithm "SHA-256"
// (RFC 7616, RFC 8760) and for the integrity tag of server nonces.
//
// Ownership: value type, no heap use. Thread affinity: none (each instance is independent).
// Units: bytes in, 32-byte digest out; sha256_hex() returns 64 lowercase hex characters.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace rtcgate::sip::auth {

class Sha256 {
 public:
  static constexpr std::size_t kDigestSize = 32;
  using Digest = std::array<std::uint8_t, kDigestSize>;

  Sha256() = default;

  void update(std::span<const std::uint8_t> data);
  void update(std::string_view data);
  // Pads, returns the digest and leaves the object reset for a new message.
  Digest finish();

 private:
  void transform(const std::uint8_t* block);

  // FIPS 180-4 §5.3.3 initial hash value.
  std::array<std::uint32_t, 8> state_{0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au,
                                      0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u};
  std::array<std::uint8_t, 64> buffer_{};
  std::uint64_t total_bytes_ = 0;
};

Sha256::Digest sha256(std::string_view data);
std::string sha256_hex(std::string_view data);

}  // namespace rtcgate::sip::auth
