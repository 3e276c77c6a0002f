// SrtpOutbound / SrtpInbound: one direction of SRTP and SRTCP (RFC 3711) for one leg, over libsrtp2.
//
// Each object owns one libsrtp2 session (srtp_t) keyed with one SrtpMasterKey and a wildcard SSRC
// template (ssrc_any_outbound / ssrc_any_inbound), so every SSRC of the leg shares the key as
// DTLS-SRTP and SDES intend. Both work in place:
//   - protect_*  grows the packet into the tail room; it refuses (NoTailroom) unless at least
//     kSrtpMaxTrailer bytes follow the packet, because libsrtp2 writes without a capacity check.
//   - unprotect_* shrinks the packet; on failure the bytes are unspecified and must be dropped.
//   - libsrtp2 adds a stream (an allocation) for every new SSRC that authenticates. SrtpInbound caps
//     them at kMaxSsrcs per leg (STYLE.md: cap learned state against hostile peers); a packet from
//     one more SSRC is refused with TooManySsrcs and its stream removed again, so even a keyed peer
//     cannot grow the session without bound. Known SSRCs cost a short scan per packet, no allocation.
// The packet must start 32-bit aligned (PacketBuffer guarantees it).
// Errors come back as SrtpStatus (no exceptions); to_drop() maps them to packet-path drop reasons.
// Global libsrtp2 setup happens once, in srtp_library_initialise() (called by create() too).
// Thread affinity: the owning worker; libsrtp2 sessions are not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <span>
#include <string_view>

#include "rtcgate/media/packet/drop.hpp"
#include "rtcgate/media/packet/packet_buffer.hpp"
#include "rtcgate/media/srtp/srtp_keys.hpp"

struct srtp_ctx_t_;

namespace rtcgate::media {

enum class SrtpStatus : std::uint8_t {
  Ok,
  AuthFail,      // tag mismatch (tampered, wrong key)
  ReplayFail,    // index already seen (RFC 3711 §3.3.2)
  ReplayOld,     // index left of the replay window
  NoTailroom,    // fewer than kSrtpMaxTrailer bytes after the packet
  TooManySsrcs,  // authentic, but from an SSRC beyond SrtpInbound::kMaxSsrcs (its stream is dropped)
  BadPacket,     // too short / malformed for libsrtp2
  BadKey,        // session could not be created with this key
  InitFailed,    // srtp_init failed
  Failure,       // any other libsrtp2 status
};

[[nodiscard]] std::string_view to_string(SrtpStatus status) noexcept;
[[nodiscard]] Drop to_drop(SrtpStatus status) noexcept;

// srtp_init(), then finds the crypto backend (srtp_backend.hpp); on NSS also one long-lived sentinel
// session (LIMITS.md §2: with Debian's NSS-backed libsrtp2 the first srtp_create costs ~2 ms while no
// session exists). Idempotent and thread-safe; call it at start-up before workers run. Returns
// InitFailed if libsrtp2 cannot start.
SrtpStatus srtp_library_initialise() noexcept;

struct SrtpOptions {
  // Replay window in packets (RFC 3711 §3.3.2); libsrtp2 accepts 64..32767.
  unsigned long replay_window = 1024;
  // Allow protecting the same sequence number twice (retransmissions). Off by default: re-protecting
  // different bytes under the same index reuses keystream.
  bool allow_repeat_tx = false;
};

namespace detail {
struct SrtpContextDeleter {
  void operator()(srtp_ctx_t_* context) const noexcept;
};
using SrtpContextPtr = std::unique_ptr<srtp_ctx_t_, SrtpContextDeleter>;
}  // namespace detail

class SrtpOutbound {
 public:
  [[nodiscard]] static std::expected<SrtpOutbound, SrtpStatus> create(
      const SrtpMasterKey& key, const SrtpOptions& options = {}) noexcept;

  // Protects packet.data() in place and grows its size by the trailer.
  [[nodiscard]] SrtpStatus protect_rtp(PacketBuffer& packet) noexcept;
  [[nodiscard]] SrtpStatus protect_rtcp(PacketBuffer& packet) noexcept;
  // The same on a caller buffer: the first `size` bytes are the packet, the rest is room for the
  // trailer. Returns the protected size.
  [[nodiscard]] std::expected<std::size_t, SrtpStatus> protect_rtp(std::span<std::byte> buffer,
                                                                   std::size_t size) noexcept;
  [[nodiscard]] std::expected<std::size_t, SrtpStatus> protect_rtcp(std::span<std::byte> buffer,
                                                                    std::size_t size) noexcept;

  [[nodiscard]] SrtpProfile profile() const noexcept { return profile_; }

 private:
  SrtpOutbound(detail::SrtpContextPtr context, SrtpProfile profile) noexcept
      : context_(std::move(context)), profile_(profile) {}
  detail::SrtpContextPtr context_;
  SrtpProfile profile_;
};

class SrtpInbound {
 public:
  [[nodiscard]] static std::expected<SrtpInbound, SrtpStatus> create(
      const SrtpMasterKey& key, const SrtpOptions& options = {}) noexcept;

  // Authenticates, replay-checks and decrypts packet.data() in place; shrinks its size.
  [[nodiscard]] SrtpStatus unprotect_rtp(PacketBuffer& packet) noexcept;
  [[nodiscard]] SrtpStatus unprotect_rtcp(PacketBuffer& packet) noexcept;
  // The same on borrowed bytes (e.g. a receive callback's buffer). Returns the plain size.
  [[nodiscard]] std::expected<std::size_t, SrtpStatus> unprotect_rtp(std::span<std::byte> packet) noexcept;
  [[nodiscard]] std::expected<std::size_t, SrtpStatus> unprotect_rtcp(std::span<std::byte> packet) noexcept;

  [[nodiscard]] SrtpProfile profile() const noexcept { return profile_; }
  // SSRCs that have authenticated so far (each owns a libsrtp2 stream).
  [[nodiscard]] std::size_t ssrc_count() const noexcept { return ssrc_count_; }

  // Audio, its RTX/FEC and RTCP-only sources, and new sources after renegotiations of one call.
  static constexpr std::size_t kMaxSsrcs = 16;

 private:
  SrtpInbound(detail::SrtpContextPtr context, SrtpProfile profile) noexcept
      : context_(std::move(context)), profile_(profile) {}
  // After a successful unprotect of a packet from `ssrc` (raw wire bytes): remembers it, or refuses
  // it over the cap and removes the stream libsrtp2 just made for it.
  [[nodiscard]] SrtpStatus admit(std::uint32_t ssrc) noexcept;

  detail::SrtpContextPtr context_;
  SrtpProfile profile_;
  std::array<std::uint32_t, kMaxSsrcs> ssrcs_{};  // raw wire bytes of each admitted SSRC
  std::size_t ssrc_count_ = 0;
};

}  // namespace rtcgate::media
