// Random identifiers for new transactions and dialogs (RFC 3261 §8.1.1.4 Call-ID, §8.1.1.7 branch,
// §19.3 tags).
//
// Each draws 128 bits (branch, Call-ID) or 64 bits (tag) from a per-thread std::mt19937_64 seeded
// from std::random_device, and writes them in lower-case hex. The standard library offers no
// cryptographic generator; these values must be unique and hard to guess off-path, not secret.
// Thread-safe (the engines are thread_local).
#pragma once

#include <string>
#include <string_view>

namespace rtcgate::sip {

// "z9hG4bK" followed by 32 hex digits (RFC 3261 §8.1.1.7 magic cookie).
std::string make_branch();
// 16 hex digits.
std::string make_tag();
// 32 hex digits, then "@host" when `host` is not empty.
std::string make_call_id(std::string_view host = {});

}  // namespace rtcgate::sip
