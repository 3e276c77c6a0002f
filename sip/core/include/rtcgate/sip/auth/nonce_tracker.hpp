// Server nonces for digest authentication: issue, verify, expire and count uses (RFC 7616 §3.3
// "nonce", §3.4 "nc"; RFC 3261 §22.4).
//
// A nonce is 64 lowercase hex characters: 16 for the issue time (seconds of sip::Clock), 16 for a
// random value, and 32 for the first half of SHA-256(time ":" random ":" secret). The tag lets the
// server recognise its own nonces without a table lookup, so a forged or corrupted nonce is told
// apart from one that merely expired (which earns stale=true, RFC 7616 §3.3). The secret suffix
// construction is not an HMAC; with a 256-bit random secret it still resists forgery because
// SHA-256 length extension only appends after the secret.
// Replay protection: every issued nonce has an entry holding the highest nc seen; a request must
// use a larger nc than any before it on that nonce. The table is bounded (max_entries, oldest
// evicted first) and expired entries are dropped on each issue; a valid nonce that was evicted is
// reported as Forgotten, which callers answer like Stale (a fresh challenge with stale=true).
// Time comes from the caller (`now`), so tests run on a fake clock. The time base is the local
// steady clock, so nonces are only meaningful within one process.
// Ownership: owns its table. Thread affinity: the signaling thread (not synchronised).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "rtcgate/sip/clock.hpp"

namespace rtcgate::sip::auth {

// Source of 64 random bits; the default reads std::random_device.
using RandomSource = std::function<std::uint64_t()>;
RandomSource default_random_source();

enum class NonceStatus : std::uint8_t {
  Valid,      // ours, not expired, in the table
  Expired,    // ours but older than the lifetime
  Forgotten,  // ours and not expired, but evicted from the table (or issued before a restart)
  Invalid,    // not a nonce this server issued
};

enum class CountStatus : std::uint8_t { Fresh, Replayed, Unknown };

struct NonceConfig {
  std::chrono::seconds lifetime{300};
  std::size_t max_entries = 4096;
  std::string secret;  // empty: 32 random bytes drawn at construction
};

class NonceTracker {
 public:
  explicit NonceTracker(NonceConfig config = {}, RandomSource random = default_random_source());

  std::string issue(TimePoint now);
  NonceStatus check(std::string_view nonce, TimePoint now) const;
  // Records nc for a Valid nonce when it is larger than every nc seen before on it.
  CountStatus use(std::string_view nonce, std::uint32_t nc);

  std::size_t size() const { return entries_.size(); }

 private:
  std::string tag(std::string_view time_hex, std::string_view random_hex) const;
  void evict(TimePoint now);

  struct Entry {
    TimePoint issued;
    std::uint32_t last_nc = 0;
  };

  NonceConfig config_;
  RandomSource random_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<std::string> order_;  // issue order, for expiry and bounded eviction
};

}  // namespace rtcgate::sip::auth
