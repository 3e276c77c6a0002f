// RoutePlan and RouteState: the passthrough relay rule of one direction of a call.
//
// RoutePlan is decided at negotiation (by the gateway, from the two SDPs) and is immutable while
// packets flow (DESIGN.md "decide at negotiation"): which payload types pass and what they become on
// the other leg (telephone-event included, RFC 4733), the SSRC the other leg sees, and the clock rate
// used to keep timestamps continuous. A renegotiation installs a new plan; RouteState carries the
// sequence/timestamp offsets across it, so the far leg sees one unbroken stream (same SSRC, sequence
// +1, timestamp advanced by the wall-clock gap) even when the source restarts with new numbers.
//
// Packet path: RouteState::apply() rewrites a validated RTP header in place; no allocation.
// Value types; owned by one MediaSession on its worker.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rtcgate/media/packet/drop.hpp"
#include "rtcgate/media/transcode/transcode_plan.hpp"

namespace rtcgate::media {

struct PayloadMapping {
  std::uint8_t from = 0;  // payload type as received on the source leg
  std::uint8_t to = 0;    // payload type to send on the destination leg
};

struct RoutePlan {
  std::vector<PayloadMapping> payloads;  // empty = nothing passes (NoRoute)
  // SSRC the destination leg sees; nullopt keeps the source's SSRC.
  std::optional<std::uint32_t> ssrc;
  std::uint32_t clock_rate = 8000;  // of the main codec: timestamp continuity, jitter
  bool enabled = true;              // false: direction inactive (counted as Drop::Inactive)
  // Set: this direction decodes and re-encodes (Transcoder) instead of relaying; `payloads` is not
  // used and `ssrc` (or a random one) names the new stream.
  std::optional<TranscodePlan> transcode;
};

class RouteState {
 public:
  using Clock = std::chrono::steady_clock;

  // Installs a plan (at creation or renegotiation). Allocation happens here, never in apply().
  void set_plan(const RoutePlan& plan);

  // Rewrites PT, SSRC, sequence and timestamp of the RTP packet `rtp` (already parsed and valid).
  // Returns the drop reason when the packet must not be forwarded.
  [[nodiscard]] std::optional<Drop> apply(std::span<std::byte> rtp, Clock::time_point now) noexcept;

  [[nodiscard]] std::uint32_t output_ssrc() const noexcept { return out_ssrc_; }
  [[nodiscard]] std::uint32_t input_ssrc() const noexcept { return in_ssrc_; }
  [[nodiscard]] bool started() const noexcept { return started_; }
  [[nodiscard]] bool enabled() const noexcept { return enabled_; }
  [[nodiscard]] std::uint32_t clock_rate() const noexcept { return clock_rate_; }
  void set_enabled(bool enabled) noexcept { enabled_ = enabled; }

 private:
  void rebase(std::uint32_t ssrc, std::uint16_t seq, std::uint32_t ts, Clock::time_point now) noexcept;

  std::array<std::int16_t, 128> pt_map_{};  // -1: not routed
  std::optional<std::uint32_t> plan_ssrc_;
  std::uint32_t clock_rate_ = 8000;
  bool enabled_ = true;
  bool rebase_pending_ = true;

  bool started_ = false;
  std::uint32_t in_ssrc_ = 0;
  std::uint32_t out_ssrc_ = 0;
  std::uint16_t seq_offset_ = 0;
  std::uint32_t ts_offset_ = 0;
  std::uint16_t last_out_seq_ = 0;
  std::uint32_t last_out_ts_ = 0;
  Clock::time_point last_out_time_{};
};

}  // namespace rtcgate::media
