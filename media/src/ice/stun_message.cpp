// OpenSSL 3 deprecates the low-level SHA1_* calls, but they are the ones that hash on caller-owned
// state (the EVP interface allocates a context per use, which the packet path must not do).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "rtcgate/media/ice/stun_message.hpp"

#include <netinet/in.h>
#include <openssl/sha.h>

#include <cstring>

#include "rtcgate/media/rtp/wire.hpp"

namespace rtcgate::media {
namespace {

static_assert(sizeof(SHA_CTX) <= 128);
constexpr std::size_t kShaBlock = 64;

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = (c & 1u) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = make_crc_table();

std::uint32_t crc_update(std::uint32_t crc, std::span<const std::byte> bytes) noexcept {
  for (const std::byte b : bytes)
    crc = kCrcTable[(crc ^ static_cast<std::uint8_t>(b)) & 0xffu] ^ (crc >> 8);
  return crc;
}

// The header with its length field rewritten as if the message ended right after the attribute
// starting at `attribute_at` (RFC 5389 §15.4/§15.5: integrity and fingerprint cover that length).
std::array<std::byte, stun::kHeaderSize> header_ending_at(std::span<const std::byte> bytes,
                                                          std::size_t attribute_end) noexcept {
  std::array<std::byte, stun::kHeaderSize> header{};
  std::memcpy(header.data(), bytes.data(), header.size());
  wire::put16(header, 2, static_cast<std::uint16_t>(attribute_end - stun::kHeaderSize));
  return header;
}

std::size_t padded(std::size_t length) noexcept {
  return (length + 3) & ~std::size_t{3};
}

}  // namespace

StunKey::StunKey(std::string_view password) noexcept : set_(true) {
  std::array<unsigned char, kShaBlock> key{};
  if (password.size() > kShaBlock) {
    SHA1(reinterpret_cast<const unsigned char*>(password.data()), password.size(), key.data());
  } else {
    std::memcpy(key.data(), password.data(), password.size());
  }
  std::array<unsigned char, kShaBlock> pad{};
  SHA_CTX ctx;
  for (std::size_t i = 0; i < kShaBlock; ++i)
    pad[i] = static_cast<unsigned char>(key[i] ^ 0x36u);
  SHA1_Init(&ctx);
  SHA1_Update(&ctx, pad.data(), pad.size());
  std::memcpy(inner_.data(), &ctx, sizeof(ctx));
  for (std::size_t i = 0; i < kShaBlock; ++i)
    pad[i] = static_cast<unsigned char>(key[i] ^ 0x5cu);
  SHA1_Init(&ctx);
  SHA1_Update(&ctx, pad.data(), pad.size());
  std::memcpy(outer_.data(), &ctx, sizeof(ctx));
}

std::array<std::byte, 20> StunKey::mac(std::span<const std::byte> a,
                                       std::span<const std::byte> b) const noexcept {
  std::array<std::byte, 20> out{};
  SHA_CTX ctx;
  std::memcpy(&ctx, inner_.data(), sizeof(ctx));
  SHA1_Update(&ctx, a.data(), a.size());
  SHA1_Update(&ctx, b.data(), b.size());
  std::array<unsigned char, SHA_DIGEST_LENGTH> inner{};
  SHA1_Final(inner.data(), &ctx);
  std::memcpy(&ctx, outer_.data(), sizeof(ctx));
  SHA1_Update(&ctx, inner.data(), inner.size());
  SHA1_Final(reinterpret_cast<unsigned char*>(out.data()), &ctx);
  return out;
}

std::uint32_t stun_crc32(std::span<const std::byte> a, std::span<const std::byte> b) noexcept {
  return ~crc_update(crc_update(0xffffffffu, a), b);
}

// ---- StunMessage ---------------------------------------------------------------------------------

std::expected<StunMessage, StunError> StunMessage::parse(std::span<const std::byte> datagram) noexcept {
  if (datagram.size() < stun::kHeaderSize) return std::unexpected(StunError::TooShort);
  // RFC 5389 §6: the two top bits are zero and the magic cookie is there (RFC 7983 demux agrees).
  if ((wire::u8(datagram, 0) & 0xc0u) != 0 || wire::be32(datagram, 4) != stun::kMagicCookie)
    return std::unexpected(StunError::NotStun);
  const std::size_t length = wire::be16(datagram, 2);
  if (length % 4 != 0 || stun::kHeaderSize + length != datagram.size())
    return std::unexpected(StunError::BadLength);
  StunMessage message(datagram);
  message.type_ = wire::be16(datagram, 0);
  std::size_t at = stun::kHeaderSize;
  while (at < datagram.size()) {
    if (datagram.size() - at < 4) return std::unexpected(StunError::BadAttribute);
    const std::uint16_t type = wire::be16(datagram, at);
    const std::size_t value_length = wire::be16(datagram, at + 2);
    if (datagram.size() - at - 4 < value_length) return std::unexpected(StunError::BadAttribute);
    const auto value = datagram.subspan(at + 4, value_length);
    if (type == stun::kFingerprint) {
      // Always the last attribute (§15.5).
      if (value_length != 4 || at + 8 != datagram.size()) return std::unexpected(StunError::BadAttribute);
      message.fingerprint_at_ = at;
    } else if (message.integrity_at_ == 0) {  // after MESSAGE-INTEGRITY only FINGERPRINT counts
      if (!message.read_attribute(type, value)) return std::unexpected(StunError::BadAttribute);
      if (type == stun::kMessageIntegrity) message.integrity_at_ = at;
    }
    at += 4 + padded(value_length);
  }
  if (at != datagram.size()) return std::unexpected(StunError::BadAttribute);
  return message;
}

bool StunMessage::read_attribute(std::uint16_t type, std::span<const std::byte> value) noexcept {
  switch (type) {
    case stun::kUsername:
      if (value.size() > 513) return false;  // RFC 5389 §15.3
      username_ = std::string_view(reinterpret_cast<const char*>(value.data()), value.size());
      return true;
    case stun::kMessageIntegrity:
      return value.size() == 20;
    case stun::kPriority:
      if (value.size() != 4) return false;
      priority_ = wire::be32(value, 0);
      return true;
    case stun::kUseCandidate:
      use_candidate_ = true;
      return value.empty();
    case stun::kIceControlling:
    case stun::kIceControlled: {
      if (value.size() != 8) return false;
      const std::uint64_t tie = (std::uint64_t{wire::be32(value, 0)} << 32) | wire::be32(value, 4);
      (type == stun::kIceControlling ? controlling_ : controlled_) = tie;
      return true;
    }
    case stun::kErrorCode:
      if (value.size() < 4) return false;
      error_code_ = static_cast<std::uint16_t>((wire::u8(value, 2) & 0x7u) * 100 + wire::u8(value, 3));
      return true;
    case stun::kXorMappedAddress: {
      if (value.size() < 8) return false;
      SocketAddress address;
      const std::uint16_t port = wire::be16(value, 2) ^ static_cast<std::uint16_t>(stun::kMagicCookie >> 16);
      if (wire::u8(value, 1) == 1 && value.size() == 8) {
        auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage);
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        v4->sin_addr.s_addr = htonl(wire::be32(value, 4) ^ stun::kMagicCookie);
        address.length = sizeof(sockaddr_in);
      } else if (wire::u8(value, 1) == 2 && value.size() == 20) {
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        auto* out = reinterpret_cast<std::byte*>(&v6->sin6_addr);
        for (std::size_t i = 0; i < 16; ++i)
          out[i] = value[4 + i] ^ bytes_[4 + i];  // cookie then transaction id (§15.2)
        address.length = sizeof(sockaddr_in6);
      } else {
        return false;
      }
      mapped_ = address;
      return true;
    }
    default:
      // Not needed here. A comprehension-required one is noted for a 420 (RFC 8489 §6.3.1).
      if (type < 0x8000 && unknown_count_ < unknown_.size()) unknown_[unknown_count_++] = type;
      return true;
  }
}

bool StunMessage::verify_integrity(const StunKey& key) const noexcept {
  if (integrity_at_ == 0 || key.empty()) return false;
  const auto header = header_ending_at(bytes_, integrity_at_ + 24);
  const auto mac = key.mac(header, bytes_.subspan(stun::kHeaderSize, integrity_at_ - stun::kHeaderSize));
  // Not secret-dependent timing in a way that matters for ICE (the tag is per transaction), but
  // compare it all anyway.
  unsigned diff = 0;
  for (std::size_t i = 0; i < mac.size(); ++i)
    diff |= static_cast<unsigned>(mac[i] ^ bytes_[integrity_at_ + 4 + i]);
  return diff == 0;
}

bool StunMessage::verify_fingerprint() const noexcept {
  if (fingerprint_at_ == 0) return false;
  const auto header = header_ending_at(bytes_, fingerprint_at_ + 8);
  const std::uint32_t crc =
      stun_crc32(header, bytes_.subspan(stun::kHeaderSize, fingerprint_at_ - stun::kHeaderSize)) ^
      0x5354554eu;
  return crc == wire::be32(bytes_, fingerprint_at_ + 4);
}

// ---- StunWriter ----------------------------------------------------------------------------------

StunWriter::StunWriter(std::span<std::byte> buffer, std::uint16_t type,
                       std::span<const std::byte> transaction_id) noexcept
    : buffer_(buffer) {
  if (buffer.size() < stun::kHeaderSize || transaction_id.size() != stun::kTransactionIdSize) {
    ok_ = false;
    return;
  }
  wire::put16(buffer_, 0, type);
  wire::put16(buffer_, 2, 0);
  wire::put32(buffer_, 4, stun::kMagicCookie);
  std::memcpy(buffer_.data() + 8, transaction_id.data(), transaction_id.size());
  size_ = stun::kHeaderSize;
}

void StunWriter::set_length(std::size_t end) noexcept {
  wire::put16(buffer_, 2, static_cast<std::uint16_t>(end - stun::kHeaderSize));
}

std::byte* StunWriter::reserve(std::uint16_t type, std::size_t length) noexcept {
  if (!ok_ || buffer_.size() - size_ < 4 + padded(length) || length > 0xffff) {
    ok_ = false;
    return nullptr;
  }
  wire::put16(buffer_, size_, type);
  wire::put16(buffer_, size_ + 2, static_cast<std::uint16_t>(length));
  std::byte* value = buffer_.data() + size_ + 4;
  std::memset(value, 0, padded(length));
  size_ += 4 + padded(length);
  set_length(size_);
  return value;
}

bool StunWriter::add_bytes(std::uint16_t type, std::span<const std::byte> value) noexcept {
  std::byte* out = reserve(type, value.size());
  if (out == nullptr) return false;
  if (!value.empty()) std::memcpy(out, value.data(), value.size());
  return true;
}

bool StunWriter::add_string(std::uint16_t type, std::string_view value) noexcept {
  return add_bytes(type, std::as_bytes(std::span(value.data(), value.size())));
}

bool StunWriter::add_u32(std::uint16_t type, std::uint32_t value) noexcept {
  std::byte* out = reserve(type, 4);
  if (out == nullptr) return false;
  wire::put32(std::span(out, 4), 0, value);
  return true;
}

bool StunWriter::add_u64(std::uint16_t type, std::uint64_t value) noexcept {
  std::byte* out = reserve(type, 8);
  if (out == nullptr) return false;
  wire::put32(std::span(out, 8), 0, static_cast<std::uint32_t>(value >> 32));
  wire::put32(std::span(out, 8), 4, static_cast<std::uint32_t>(value));
  return true;
}

bool StunWriter::add_xor_mapped_address(const SocketAddress& address) noexcept {
  if (address.storage.ss_family == AF_INET) {
    std::byte* out = reserve(stun::kXorMappedAddress, 8);
    if (out == nullptr) return false;
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address.storage);
    const std::span value(out, 8);
    wire::put8(value, 1, 1);
    wire::put16(value, 2, static_cast<std::uint16_t>(ntohs(v4->sin_port) ^ (stun::kMagicCookie >> 16)));
    wire::put32(value, 4, ntohl(v4->sin_addr.s_addr) ^ stun::kMagicCookie);
    return true;
  }
  if (address.storage.ss_family == AF_INET6) {
    std::byte* out = reserve(stun::kXorMappedAddress, 20);
    if (out == nullptr) return false;
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address.storage);
    const std::span value(out, 20);
    wire::put8(value, 1, 2);
    wire::put16(value, 2, static_cast<std::uint16_t>(ntohs(v6->sin6_port) ^ (stun::kMagicCookie >> 16)));
    const auto* ip = reinterpret_cast<const std::byte*>(&v6->sin6_addr);
    for (std::size_t i = 0; i < 16; ++i)
      value[4 + i] = ip[i] ^ buffer_[4 + i];
    return true;
  }
  ok_ = false;
  return false;
}

bool StunWriter::add_error_code(std::uint16_t code, std::string_view reason) noexcept {
  std::byte* out = reserve(stun::kErrorCode, 4 + reason.size());
  if (out == nullptr) return false;
  const std::span value(out, 4 + reason.size());
  wire::put8(value, 2, static_cast<std::uint8_t>(code / 100));
  wire::put8(value, 3, static_cast<std::uint8_t>(code % 100));
  std::memcpy(out + 4, reason.data(), reason.size());
  return true;
}

bool StunWriter::add_unknown_attributes(std::span<const std::uint16_t> types) noexcept {
  std::byte* out = reserve(stun::kUnknownAttributes, 2 * types.size());
  if (out == nullptr) return false;
  const std::span value(out, 2 * types.size());
  for (std::size_t i = 0; i < types.size(); ++i)
    wire::put16(value, 2 * i, types[i]);
  return true;
}

bool StunWriter::add_integrity(const StunKey& key) noexcept {
  const std::size_t at = size_;
  std::byte* out = reserve(stun::kMessageIntegrity, 20);
  if (out == nullptr) return false;
  // The length field already counts this attribute, as §15.4 wants for the hash.
  const auto mac =
      key.mac(buffer_.first(stun::kHeaderSize), buffer_.subspan(stun::kHeaderSize, at - stun::kHeaderSize));
  std::memcpy(out, mac.data(), mac.size());
  return true;
}

bool StunWriter::add_fingerprint() noexcept {
  const std::size_t at = size_;
  std::byte* out = reserve(stun::kFingerprint, 4);
  if (out == nullptr) return false;
  const std::uint32_t crc = stun_crc32(buffer_.first(stun::kHeaderSize),
                                       buffer_.subspan(stun::kHeaderSize, at - stun::kHeaderSize));
  wire::put32(std::span(out, 4), 0, crc ^ 0x5354554eu);
  return true;
}

}  // namespace rtcgate::media
