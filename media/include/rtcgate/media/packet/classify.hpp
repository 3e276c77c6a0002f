// classify(): the first-byte demultiplexer of a WebRTC 5-tuple (RFC 7983 §7, updating RFC 5764 §5.1.2).
//
//   first byte   0..3    STUN          (needs a 20-byte header, RFC 5389 §6)
//               16..19   ZRTP          -> Unknown (not supported)
//               20..63   DTLS          (needs a 13-byte record header, RFC 6347 §4.1)
//               64..79   TURN channel  (needs a 4-byte ChannelData header, RFC 8656 §12.4)
//              128..191  RTP or RTCP:  second byte & 0x7f in 192..223 is RTCP (RFC 5761 §4),
//                                      else RTP (12-byte fixed header, RFC 3550 §5.1); RTCP needs
//                                      8 bytes (header + SSRC, RFC 3550 §6.4)
//               anything else, or too short -> Unknown
//
// Pure function on borrowed bytes; no allocation; safe on any input. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace rtcgate::media {

enum class PacketKind : std::uint8_t { Unknown, Stun, Dtls, Rtp, Rtcp, TurnChannel };

[[nodiscard]] PacketKind classify(std::span<const std::byte> datagram) noexcept;

[[nodiscard]] std::string_view to_string(PacketKind kind) noexcept;

}  // namespace rtcgate::media
