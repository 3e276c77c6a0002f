#include "rtcgate/media/srtp/sdes.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace rtcgate::media {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kInline = "inline:";

int base64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// RFC 4648 §4 base64 with padding; returns the decoded length or -1.
int base64_decode(std::string_view text, std::span<std::byte> out) noexcept {
  if (text.size() % 4 != 0) return -1;
  std::size_t written = 0;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::array<int, 4> v{};
    int pad = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=' && i + 4 == text.size() && j >= 2) {
        ++pad;
        v[j] = 0;
        continue;
      }
      if (pad > 0) return -1;  // data after padding
      v[j] = base64_value(c);
      if (v[j] < 0) return -1;
    }
    const std::uint32_t triple = (static_cast<std::uint32_t>(v[0]) << 18) |
                                 (static_cast<std::uint32_t>(v[1]) << 12) |
                                 (static_cast<std::uint32_t>(v[2]) << 6) | static_cast<std::uint32_t>(v[3]);
    const std::size_t bytes = 3 - static_cast<std::size_t>(pad);
    if (written + bytes > out.size()) return -1;
    for (std::size_t k = 0; k < bytes; ++k)
      out[written++] = static_cast<std::byte>((triple >> (16 - 8 * k)) & 0xffU);
  }
  return static_cast<int>(written);
}

}  // namespace

std::string format_sdes_inline(const SrtpMasterKey& key) {
  const auto material = key.material();
  std::string out(kInline);
  for (std::size_t i = 0; i < material.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, material.size() - i);
    std::uint32_t triple = 0;
    for (std::size_t k = 0; k < n; ++k)
      triple |= static_cast<std::uint32_t>(material[i + k]) << (16 - 8 * k);
    for (std::size_t k = 0; k < 4; ++k) {
      out.push_back(k <= n ? kAlphabet[(triple >> (18 - 6 * k)) & 0x3fU] : '=');
    }
  }
  return out;
}

std::expected<SrtpMasterKey, SrtpKeyError> parse_sdes_inline(SrtpProfile profile,
                                                             std::string_view key_params) noexcept {
  if (!key_params.starts_with(kInline)) return std::unexpected(SrtpKeyError::BadEncoding);
  std::string_view rest = key_params.substr(kInline.size());
  const std::size_t bar = rest.find('|');
  const std::string_view encoded = rest.substr(0, bar);
  if (bar != std::string_view::npos) {
    // RFC 4568 §6.1: "|" lifetime ["|" MKI ":" length] or "|" MKI ":" length.
    std::string_view options = rest.substr(bar + 1);
    while (!options.empty()) {
      const std::size_t next = options.find('|');
      const std::string_view option = options.substr(0, next);
      if (option.find(':') != std::string_view::npos) return std::unexpected(SrtpKeyError::Unsupported);
      if (option.empty()) return std::unexpected(SrtpKeyError::BadEncoding);
      options = next == std::string_view::npos ? std::string_view{} : options.substr(next + 1);
    }
  }
  std::array<std::byte, SrtpMasterKey::kMaxLength + 3> decoded{};
  const int length = base64_decode(encoded, decoded);
  if (length < 0) return std::unexpected(SrtpKeyError::BadEncoding);
  return SrtpMasterKey::from_concatenated(profile,
                                          std::span(decoded).first(static_cast<std::size_t>(length)));
}

}  // namespace rtcgate::media
