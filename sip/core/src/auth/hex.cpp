#include "rtcgate/sip/auth/hex.hpp"

namespace rtcgate::sip::auth {

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.resize(bytes.size() * 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return out;
}

bool equal_constant_time_icase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    // Folding with a mask of 0x20 for letters only keeps the loop free of data-dependent branches.
    const auto fold = [](unsigned char c) -> unsigned {
      const unsigned is_upper = static_cast<unsigned>(c >= 'A') & static_cast<unsigned>(c <= 'Z');
      return c | (is_upper << 5);
    };
    diff |= fold(static_cast<unsigned char>(a[i])) ^ fold(static_cast<unsigned char>(b[i]));
  }
  return diff == 0;
}

}  // namespace rtcgate::sip::auth
