#include "rtcgate/media/srtp/srtp_session.hpp"

#include <climits>
#include <cstring>
#include <mutex>

#include <srtp2/srtp.h>

#include "srtp/srtp_backend_detect.hpp"

namespace rtcgate::media {

static_assert(SRTP_MAX_TRAILER_LEN + 4 == kSrtpMaxTrailer, "kSrtpMaxTrailer must follow libsrtp2");

namespace {

constexpr std::size_t kRtpHeader = 12;
constexpr std::size_t kRtcpHeader = 8;

SrtpStatus map_status(srtp_err_status_t status) noexcept {
  switch (status) {
    case srtp_err_status_ok:
      return SrtpStatus::Ok;
    case srtp_err_status_auth_fail:
      return SrtpStatus::AuthFail;
    case srtp_err_status_replay_fail:
      return SrtpStatus::ReplayFail;
    case srtp_err_status_replay_old:
      return SrtpStatus::ReplayOld;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
      return SrtpStatus::BadPacket;
    default:
      return SrtpStatus::Failure;
  }
}

void set_crypto_policy(SrtpProfile profile, srtp_policy_t& policy) noexcept {
  switch (profile) {
    case SrtpProfile::AeadAes128Gcm:
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
      break;
    case SrtpProfile::AeadAes256Gcm:
      srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp);
      srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp);
      break;
    case SrtpProfile::AesCm128HmacSha1_80:
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      break;
    case SrtpProfile::AesCm128HmacSha1_32:
      // RFC 5764 §4.1.2: the _32 profile shortens only the SRTP tag; SRTCP keeps 80 bits.
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
      break;
  }
}

std::expected<detail::SrtpContextPtr, SrtpStatus> create_context(const SrtpMasterKey& key,
                                                                 const SrtpOptions& options,
                                                                 srtp_ssrc_type_t direction) noexcept {
  if (const SrtpStatus init = srtp_library_initialise(); init != SrtpStatus::Ok) return std::unexpected(init);
  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof(policy));
  set_crypto_policy(key.profile(), policy);
  policy.ssrc.type = direction;
  // libsrtp2 copies the key during srtp_create; the buffer only has to live for this call.
  std::array<unsigned char, SrtpMasterKey::kMaxLength> material{};
  std::memcpy(material.data(), key.material().data(), key.material().size());
  policy.key = material.data();
  policy.window_size = options.replay_window;
  policy.allow_repeat_tx = options.allow_repeat_tx ? 1 : 0;
  policy.next = nullptr;
  srtp_t session = nullptr;
  const srtp_err_status_t status = srtp_create(&session, &policy);
  std::memset(material.data(), 0, material.size());
  if (status != srtp_err_status_ok) return std::unexpected(SrtpStatus::BadKey);
  return detail::SrtpContextPtr(session);
}

// The NSS sentinel session of srtp_library_initialise(), held here so it stays reachable (it is never
// freed on purpose; a leak checker must not count it).
srtp_t g_sentinel = nullptr;

// The four SSRC bytes as they are on the wire: libsrtp2 keys its streams by this raw (network byte
// order) value, and identity is all the cap needs.
std::uint32_t wire_ssrc(std::span<const std::byte> bytes, std::size_t at) noexcept {
  std::uint32_t raw = 0;
  std::memcpy(&raw, bytes.data() + at, sizeof(raw));
  return raw;
}

bool fits_int(std::size_t size) noexcept {
  return size <= static_cast<std::size_t>(INT_MAX);
}

}  // namespace

void detail::SrtpContextDeleter::operator()(srtp_ctx_t_* context) const noexcept {
  if (context != nullptr) srtp_dealloc(context);
}

std::string_view to_string(SrtpStatus status) noexcept {
  switch (status) {
    case SrtpStatus::Ok:
      return "ok";
    case SrtpStatus::AuthFail:
      return "auth_fail";
    case SrtpStatus::ReplayFail:
      return "replay_fail";
    case SrtpStatus::ReplayOld:
      return "replay_old";
    case SrtpStatus::NoTailroom:
      return "no_tailroom";
    case SrtpStatus::TooManySsrcs:
      return "too_many_ssrcs";
    case SrtpStatus::BadPacket:
      return "bad_packet";
    case SrtpStatus::BadKey:
      return "bad_key";
    case SrtpStatus::InitFailed:
      return "init_failed";
    case SrtpStatus::Failure:
      return "failure";
  }
  return "unknown";
}

Drop to_drop(SrtpStatus status) noexcept {
  switch (status) {
    case SrtpStatus::AuthFail:
      return Drop::SrtpAuth;
    case SrtpStatus::ReplayFail:
    case SrtpStatus::ReplayOld:
      return Drop::SrtpReplay;
    case SrtpStatus::NoTailroom:
      return Drop::TooLarge;
    case SrtpStatus::TooManySsrcs:
      return Drop::UnknownSsrc;
    case SrtpStatus::BadPacket:
      return Drop::Malformed;
    default:
      return Drop::SrtpError;
  }
}

SrtpStatus srtp_library_initialise() noexcept {
  static std::once_flag once;
  static SrtpStatus result = SrtpStatus::InitFailed;
  std::call_once(once, [] {
    if (srtp_init() != srtp_err_status_ok) return;
    if (detail::detect_srtp_crypto_backend() != SrtpCryptoBackend::Nss) {
      result = SrtpStatus::Ok;
      return;
    }
    // NSS only: an outbound GCM session that lives until exit keeps NSS's softokn loaded, so later
    // srtp_create calls cost microseconds instead of milliseconds (NSS unloads it with its last
    // context). OpenSSL has no such cost, so its build needs no sentinel.
    srtp_policy_t policy;
    std::memset(&policy, 0, sizeof(policy));
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
    policy.ssrc.type = ssrc_any_outbound;
    std::array<unsigned char, 28> key{};
    policy.key = key.data();
    if (srtp_create(&g_sentinel, &policy) != srtp_err_status_ok) return;
    result = SrtpStatus::Ok;  // the sentinel is intentionally never freed
  });
  return result;
}

std::expected<SrtpOutbound, SrtpStatus> SrtpOutbound::create(const SrtpMasterKey& key,
                                                             const SrtpOptions& options) noexcept {
  auto context = create_context(key, options, ssrc_any_outbound);
  if (!context) return std::unexpected(context.error());
  return SrtpOutbound(std::move(*context), key.profile());
}

std::expected<std::size_t, SrtpStatus> SrtpOutbound::protect_rtp(std::span<std::byte> buffer,
                                                                 std::size_t size) noexcept {
  if (size < kRtpHeader || size > buffer.size() || !fits_int(buffer.size())) {
    return std::unexpected(SrtpStatus::BadPacket);
  }
  // srtp_protect has no capacity argument (srtp.h: "assumes that it can write SRTP_MAX_TRAILER_LEN").
  if (buffer.size() - size < kSrtpMaxTrailer) return std::unexpected(SrtpStatus::NoTailroom);
  int length = static_cast<int>(size);
  const SrtpStatus status = map_status(srtp_protect(context_.get(), buffer.data(), &length));
  if (status != SrtpStatus::Ok) return std::unexpected(status);
  return static_cast<std::size_t>(length);
}

std::expected<std::size_t, SrtpStatus> SrtpOutbound::protect_rtcp(std::span<std::byte> buffer,
                                                                  std::size_t size) noexcept {
  if (size < kRtcpHeader || size > buffer.size() || !fits_int(buffer.size())) {
    return std::unexpected(SrtpStatus::BadPacket);
  }
  if (buffer.size() - size < kSrtpMaxTrailer) return std::unexpected(SrtpStatus::NoTailroom);
  int length = static_cast<int>(size);
  const SrtpStatus status = map_status(srtp_protect_rtcp(context_.get(), buffer.data(), &length));
  if (status != SrtpStatus::Ok) return std::unexpected(status);
  return static_cast<std::size_t>(length);
}

SrtpStatus SrtpOutbound::protect_rtp(PacketBuffer& packet) noexcept {
  auto size = protect_rtp(packet.writable_tail(), packet.size());
  if (!size) return size.error();
  packet.set_size(*size);
  return SrtpStatus::Ok;
}

SrtpStatus SrtpOutbound::protect_rtcp(PacketBuffer& packet) noexcept {
  auto size = protect_rtcp(packet.writable_tail(), packet.size());
  if (!size) return size.error();
  packet.set_size(*size);
  return SrtpStatus::Ok;
}

std::expected<SrtpInbound, SrtpStatus> SrtpInbound::create(const SrtpMasterKey& key,
                                                           const SrtpOptions& options) noexcept {
  auto context = create_context(key, options, ssrc_any_inbound);
  if (!context) return std::unexpected(context.error());
  return SrtpInbound(std::move(*context), key.profile());
}

SrtpStatus SrtpInbound::admit(std::uint32_t ssrc) noexcept {
  for (std::size_t i = 0; i < ssrc_count_; ++i)
    if (ssrcs_[i] == ssrc) return SrtpStatus::Ok;
  if (ssrc_count_ < kMaxSsrcs) {
    ssrcs_[ssrc_count_++] = ssrc;
    return SrtpStatus::Ok;
  }
  (void)srtp_remove_stream(context_.get(), ssrc);
  return SrtpStatus::TooManySsrcs;
}

std::expected<std::size_t, SrtpStatus> SrtpInbound::unprotect_rtp(std::span<std::byte> packet) noexcept {
  if (packet.size() < kRtpHeader || !fits_int(packet.size())) return std::unexpected(SrtpStatus::BadPacket);
  const std::uint32_t ssrc = wire_ssrc(packet, 8);  // RFC 3550 §5.1; left in clear by SRTP
  int length = static_cast<int>(packet.size());
  SrtpStatus status = map_status(srtp_unprotect(context_.get(), packet.data(), &length));
  if (status == SrtpStatus::Ok) status = admit(ssrc);
  if (status != SrtpStatus::Ok) return std::unexpected(status);
  return static_cast<std::size_t>(length);
}

std::expected<std::size_t, SrtpStatus> SrtpInbound::unprotect_rtcp(std::span<std::byte> packet) noexcept {
  if (packet.size() < kRtcpHeader || !fits_int(packet.size())) return std::unexpected(SrtpStatus::BadPacket);
  const std::uint32_t ssrc = wire_ssrc(packet, 4);  // the sender SSRC, in clear (RFC 3711 §3.4)
  int length = static_cast<int>(packet.size());
  SrtpStatus status = map_status(srtp_unprotect_rtcp(context_.get(), packet.data(), &length));
  if (status == SrtpStatus::Ok) status = admit(ssrc);
  if (status != SrtpStatus::Ok) return std::unexpected(status);
  return static_cast<std::size_t>(length);
}

SrtpStatus SrtpInbound::unprotect_rtp(PacketBuffer& packet) noexcept {
  auto size = unprotect_rtp(packet.data());
  if (!size) return size.error();
  packet.set_size(*size);
  return SrtpStatus::Ok;
}

SrtpStatus SrtpInbound::unprotect_rtcp(PacketBuffer& packet) noexcept {
  auto size = unprotect_rtcp(packet.data());
  if (!size) return size.error();
  packet.set_size(*size);
  return SrtpStatus::Ok;
}

}  // namespace rtcgate::media
