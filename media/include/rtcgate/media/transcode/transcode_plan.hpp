// TranscodePlan: what one direction of a transcoding bridge decodes, what it encodes, and how
// telephone-events are carried across (DESIGN.md "Transcoding and codec policy").
//
// Decided at negotiation by the owner (the gateway, from the two SDPs) and installed with the
// direction's RoutePlan; the media session allocates the codec state for it then, never per packet.
// A plain value type.
#pragma once

#include <cstdint>
#include <optional>

namespace rtcgate::media {

enum class AudioCodec : std::uint8_t { Opus, Pcmu, Pcma };

// RTP clock rate of a codec (RFC 7587 §4.1: Opus is always 48000; RFC 3551: G.711 8000).
[[nodiscard]] constexpr std::uint32_t rtp_clock_rate(AudioCodec codec) noexcept {
  return codec == AudioCodec::Opus ? 48000 : 8000;
}

struct TelephoneEventMapping {
  std::uint8_t from = 0;  // payload type as received (at the source codec's clock rate)
  std::uint8_t to = 0;    // payload type to send (at the destination codec's clock rate)
};

struct TranscodePlan {
  AudioCodec from = AudioCodec::Opus;
  std::uint8_t from_payload_type = 111;
  AudioCodec to = AudioCodec::Pcmu;
  std::uint8_t to_payload_type = 0;
  std::optional<TelephoneEventMapping> telephone_event;  // RFC 4733, rescaled, never decoded
  std::uint32_t ptime_ms = 20;                           // of what we send: 10-60 ms (Opus: 10, 20, 40 or 60)
  int opus_complexity = 1;                               // 0-10, used when `to` is Opus
};

}  // namespace rtcgate::media
