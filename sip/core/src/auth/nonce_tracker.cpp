#include "rtcgate/sip/auth/nonce_tracker.hpp"

#include <array>
#include <charconv>
#include <random>

#include "rtcgate/sip/auth/hex.hpp"
#include "rtcgate/sip/auth/sha256.hpp"

namespace rtcgate::sip::auth {
namespace {

constexpr std::size_t kFieldHex = 16;  // hex digits of the time and random fields
constexpr std::size_t kTagHex = 32;
constexpr std::size_t kNonceHex = 2 * kFieldHex + kTagHex;

std::string hex64(std::uint64_t value) {
  std::array<std::uint8_t, 8> bytes{};
  for (std::size_t i = 0; i < 8; ++i)
    bytes[i] = static_cast<std::uint8_t>(value >> (56 - 8 * i));
  return to_hex(bytes);
}

bool parse_hex64(std::string_view text, std::uint64_t& out) {
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  const auto result = std::from_chars(text.data(), text.data() + text.size(), out, 16);
  return result.ec == std::errc{} && result.ptr == text.data() + text.size();
}

std::int64_t seconds_of(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

RandomSource default_random_source() {
  return [] {
    // std::random_device reads the kernel's CSPRNG (getrandom) or RDRAND with libstdc++ here.
    static thread_local std::random_device device;
    return (std::uint64_t{device()} << 32) | device();
  };
}

NonceTracker::NonceTracker(NonceConfig config, RandomSource random)
    : config_(std::move(config)), random_(std::move(random)) {
  if (config_.secret.empty()) {
    for (int i = 0; i < 4; ++i)
      config_.secret += hex64(random_());
  }
  if (config_.max_entries == 0) config_.max_entries = 1;
}

std::string NonceTracker::tag(std::string_view time_hex, std::string_view random_hex) const {
  std::string input;
  input.reserve(time_hex.size() + random_hex.size() + config_.secret.size() + 2);
  input.append(time_hex).append(":").append(random_hex).append(":").append(config_.secret);
  return sha256_hex(input).substr(0, kTagHex);
}

void NonceTracker::evict(TimePoint now) {
  while (!order_.empty()) {
    auto it = entries_.find(order_.front());
    const bool expired = it == entries_.end() || it->second.issued + config_.lifetime < now;
    if (!expired && entries_.size() < config_.max_entries) break;
    if (it != entries_.end()) entries_.erase(it);
    order_.pop_front();
  }
}

std::string NonceTracker::issue(TimePoint now) {
  evict(now);
  const std::string time_hex = hex64(static_cast<std::uint64_t>(seconds_of(now)));
  const std::string random_hex = hex64(random_());
  std::string nonce = time_hex + random_hex + tag(time_hex, random_hex);
  entries_[nonce] = Entry{now, 0};
  order_.push_back(nonce);
  return nonce;
}

NonceStatus NonceTracker::check(std::string_view nonce, TimePoint now) const {
  if (nonce.size() != kNonceHex) return NonceStatus::Invalid;
  const std::string_view time_hex = nonce.substr(0, kFieldHex);
  const std::string_view random_hex = nonce.substr(kFieldHex, kFieldHex);
  std::uint64_t issued_seconds = 0;
  std::uint64_t random_value = 0;
  if (!parse_hex64(time_hex, issued_seconds) || !parse_hex64(random_hex, random_value)) {
    return NonceStatus::Invalid;
  }
  if (!equal_constant_time_icase(tag(time_hex, random_hex), nonce.substr(2 * kFieldHex))) {
    return NonceStatus::Invalid;
  }
  const auto issued = static_cast<std::int64_t>(issued_seconds);
  if (issued > seconds_of(now)) return NonceStatus::Invalid;  // the steady clock never runs back
  if (seconds_of(now) - issued > config_.lifetime.count()) return NonceStatus::Expired;
  if (entries_.find(std::string(nonce)) == entries_.end()) return NonceStatus::Forgotten;
  return NonceStatus::Valid;
}

CountStatus NonceTracker::use(std::string_view nonce, std::uint32_t nc) {
  auto it = entries_.find(std::string(nonce));
  if (it == entries_.end()) return CountStatus::Unknown;
  // RFC 7616 §3.4: nc counts requests on this nonce; a repeat or lower value is a replay.
  if (nc <= it->second.last_nc) return CountStatus::Replayed;
  it->second.last_nc = nc;
  return CountStatus::Fresh;
}

}  // namespace rtcgate::sip::auth
