// Lowercase hexadecimal encoding and a constant-time string comparison for digest
// authentication (RFC 7616 §3.4.1: digests are written as lowercase hex).
//
// Ownership: returns owned strings. Thread affinity: none.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace rtcgate::sip::auth {

std::string to_hex(std::span<const std::uint8_t> bytes);

// True when a and b have the same length and bytes, ASCII case folded. The time taken depends
// only on the lengths, never on where the first difference is, so a response cannot be guessed
// byte by byte from timing.
bool equal_constant_time_icase(std::string_view a, std::string_view b);

}  // namespace rtcgate::sip::auth
