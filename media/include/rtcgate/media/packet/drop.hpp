// Drop reasons of the packet path and a counter array indexed by them.
//
// The packet path never logs or throws per packet: a step that discards a datagram returns the
// reason and the owner bumps DropCounters (STYLE.md "Error handling" 1). Counters are plain integers
// owned by one worker (per call or per session); the owner snapshots them for stats.
// to_string() gives stable snake_case names for metrics labels.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rtcgate::media {

enum class Drop : std::uint8_t {
  NotRtp,          // classify() said Unknown / STUN / DTLS where media was expected
  Malformed,       // RtpView/RtcpView rejected it
  SrtpAuth,        // SRTP/SRTCP authentication tag mismatch
  SrtpReplay,      // replayed or too old (RFC 3711 §3.3.2)
  SrtpError,       // any other libsrtp2 failure (no keys yet, bad parameters)
  UnknownSsrc,     // not an SSRC this route knows
  NoRoute,         // no plan for this payload type / direction
  PoolExhausted,   // PacketPool::acquire() returned nullptr
  WouldBlock,      // the socket or ICE send queue was full
  SourceMismatch,  // latched address differs (RTP bleed / injection guard)
  TooLarge,        // does not fit the buffer (e.g. no tail room for the trailer)
  NotReady,        // transport not connected yet (ICE/DTLS pending)
  Inactive,        // direction is sendonly/inactive for this flow
};

inline constexpr std::size_t kDropReasonCount = static_cast<std::size_t>(Drop::Inactive) + 1;

[[nodiscard]] std::string_view to_string(Drop reason) noexcept;

class DropCounters {
 public:
  void bump(Drop reason) noexcept { ++counts_[static_cast<std::size_t>(reason)]; }
  [[nodiscard]] std::uint64_t operator[](Drop reason) const noexcept {
    return counts_[static_cast<std::size_t>(reason)];
  }
  [[nodiscard]] std::uint64_t total() const noexcept;
  [[nodiscard]] const std::array<std::uint64_t, kDropReasonCount>& raw() const noexcept { return counts_; }
  DropCounters& operator+=(const DropCounters& other) noexcept;

 private:
  std::array<std::uint64_t, kDropReasonCount> counts_{};
};

}  // namespace rtcgate::media
