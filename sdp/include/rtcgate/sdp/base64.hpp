// RFC 4648 §4 base64 (standard alphabet), as SDES inline keys use it (RFC 4568 §6.1).
// Decoding accepts input with or without '=' padding and rejects anything else (whitespace,
// the URL-safe alphabet, bits left over). Pure functions, no thread affinity.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::sdp {

std::string base64_encode(std::span<const std::uint8_t> bytes);
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace rtcgate::sdp
