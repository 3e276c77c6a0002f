// MD5 per RFC 1321 §3.4: 64 steps in four rounds over 512-bit blocks, little-endian words.
#include "rtcgate/sip/auth/md5.hpp"

#include <bit>
#include <cstring>

#include "rtcgate/sip/auth/hex.hpp"

namespace rtcgate::sip::auth {
namespace {

// RFC 1321 §3.4: T[i] = floor(2^32 * abs(sin(i + 1))).
constexpr std::array<std::uint32_t, 64> kT{
    0xd76aa478u, 0xe8c7b756u, 0x242070dbu, 0xc1bdceeeu, 0xf57c0fafu, 0x4787c62au, 0xa8304613u, 0xfd469501u,
    0x698098d8u, 0x8b44f7afu, 0xffff5bb1u, 0x895cd7beu, 0x6b901122u, 0xfd987193u, 0xa679438eu, 0x49b40821u,
    0xf61e2562u, 0xc040b340u, 0x265e5a51u, 0xe9b6c7aau, 0xd62f105du, 0x02441453u, 0xd8a1e681u, 0xe7d3fbc8u,
    0x21e1cde6u, 0xc33707d6u, 0xf4d50d87u, 0x455a14edu, 0xa9e3e905u, 0xfcefa3f8u, 0x676f02d9u, 0x8d2a4c8au,
    0xfffa3942u, 0x8771f681u, 0x6d9d6122u, 0xfde5380cu, 0xa4beea44u, 0x4bdecfa9u, 0xf6bb4b60u, 0xbebfbc70u,
    0x289b7ec6u, 0xeaa127fau, 0xd4ef3085u, 0x04881d05u, 0xd9d4d039u, 0xe6db99e5u, 0x1fa27cf8u, 0xc4ac5665u,
    0xf4292244u, 0x432aff97u, 0xab9423a7u, 0xfc93a039u, 0x655b59c3u, 0x8f0ccc92u, 0xffeff47du, 0x85845dd1u,
    0x6fa87e4fu, 0xfe2ce6e0u, 0xa3014314u, 0x4e0811a1u, 0xf7537e82u, 0xbd3af235u, 0x2ad7d2bbu, 0xeb86d391u};

// Per-round shift amounts, RFC 1321 §3.4.
constexpr std::array<int, 16> kShift{7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

std::uint32_t load_le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
         (std::uint32_t{p[3]} << 24);
}

}  // namespace

void Md5::transform(const std::uint8_t* block) {
  std::array<std::uint32_t, 16> x{};
  for (std::size_t i = 0; i < 16; ++i)
    x[i] = load_le32(block + 4 * i);
  std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  for (std::size_t i = 0; i < 64; ++i) {
    std::uint32_t f = 0;
    std::size_t g = 0;
    const std::size_t round = i / 16;
    if (round == 0) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (round == 1) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) % 16;
    } else if (round == 2) {
      f = b ^ c ^ d;
      g = (3 * i + 5) % 16;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) % 16;
    }
    const std::uint32_t rotated = std::rotl(a + f + kT[i] + x[g], kShift[round * 4 + i % 4]);
    a = d;
    d = c;
    c = b;
    b = b + rotated;
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
}

void Md5::update(std::span<const std::uint8_t> data) {
  std::size_t used = total_bytes_ % 64;
  total_bytes_ += data.size();
  std::size_t pos = 0;
  if (used != 0) {
    const std::size_t take = std::min(64 - used, data.size());
    std::memcpy(buffer_.data() + used, data.data(), take);
    pos = take;
    used += take;
    if (used < 64) return;
    transform(buffer_.data());
  }
  for (; pos + 64 <= data.size(); pos += 64)
    transform(data.data() + pos);
  if (pos < data.size()) std::memcpy(buffer_.data(), data.data() + pos, data.size() - pos);
}

void Md5::update(std::string_view data) {
  update(std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
}

Md5::Digest Md5::finish() {
  const std::uint64_t bit_length = total_bytes_ * 8;
  // RFC 1321 §3.1–3.2: a 1 bit, zeros to 56 mod 64, then the length as 64-bit little endian.
  std::array<std::uint8_t, 72> pad{};
  pad[0] = 0x80;
  const std::size_t used = total_bytes_ % 64;
  const std::size_t pad_len = used < 56 ? 56 - used : 120 - used;
  for (std::size_t i = 0; i < 8; ++i)
    pad[pad_len + i] = static_cast<std::uint8_t>(bit_length >> (8 * i));
  update(std::span<const std::uint8_t>(pad.data(), pad_len + 8));
  Digest out{};
  for (std::size_t i = 0; i < 4; ++i) {
    for (std::size_t j = 0; j < 4; ++j)
      out[4 * i + j] = static_cast<std::uint8_t>(state_[i] >> (8 * j));
  }
  *this = Md5{};
  return out;
}

Md5::Digest md5(std::string_view data) {
  Md5 h;
  h.update(data);
  return h.finish();
}

std::string md5_hex(std::string_view data) {
  return to_hex(md5(data));
}

}  // namespace rtcgate::sip::auth
