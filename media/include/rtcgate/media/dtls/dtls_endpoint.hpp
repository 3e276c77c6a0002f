// DtlsEndpoint: one DTLS 1.2 association (RFC 6347) for DTLS-SRTP (RFC 5764), sans I/O.
//
// The owner feeds received DTLS datagrams (classify() == Dtls) with feed(), sends every datagram the
// endpoint emits through DtlsObserver::on_dtls_send() (one call = one UDP datagram, never merged),
// and drives retransmissions: after each call, next_timeout() tells when handle_timeout() is due.
// Retransmission timers start at DtlsOptions::initial_timeout (100 ms, not OpenSSL's 1 s; never below
// kMinTimeout) and double up to max_timeout. OpenSSL 3.0 keeps its own wall-clock deadline and has no
// clock hook, so handle_timeout() retransmits once both the caller's clock and OpenSSL's agree (it
// counts the last 15 ms as expired); next_timeout() maps OpenSSL's remaining time onto the caller's
// clock after every call, so in production the two stay in step.
//
// Role comes from a=setup (RFC 5763 §5): active = Client, passive = Server. The peer's certificate
// must match the fingerprint from its SDP (set_remote_fingerprint(), before or after the handshake;
// a mismatch, or a missing fingerprint, never yields keys). On success the endpoint exports the SRTP
// master keys (RFC 5764 §4.2, "EXTRACTOR-dtls_srtp"; 12-byte salts for GCM per RFC 7714 §12) and
// reports them as SrtpKeys with `local` for what this side sends.
//
// Events, called synchronously from inside feed/start/handle_timeout/set_remote_fingerprint:
//   on_dtls_connected(keys) once; on_dtls_failed(error) once (terminal); on_dtls_closed() when the
//   peer's close_notify arrives (terminal). The observer must not destroy the endpoint from a callback.
// Ownership: created as unique_ptr (OpenSSL holds its address). Borrows the DtlsContext and observer,
// which must outlive it. Thread affinity: the owning worker.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>

#include "rtcgate/media/dtls/dtls_context.hpp"
#include "rtcgate/media/dtls/dtls_error.hpp"
#include "rtcgate/media/dtls/fingerprint.hpp"
#include "rtcgate/media/srtp/srtp_keys.hpp"

struct ssl_st;
struct bio_st;

namespace rtcgate::media {

enum class DtlsRole : std::uint8_t { Client, Server };
enum class DtlsState : std::uint8_t { New, Connecting, Connected, Failed, Closed };

class DtlsObserver {
 public:
  virtual void on_dtls_send(std::span<const std::byte> datagram) = 0;
  virtual void on_dtls_connected(const SrtpKeys& keys) = 0;
  virtual void on_dtls_failed(DtlsError error) = 0;
  virtual void on_dtls_closed() = 0;

 protected:
  ~DtlsObserver() = default;
};

struct DtlsOptions {
  std::chrono::milliseconds initial_timeout{100};
  std::chrono::milliseconds max_timeout{4000};
  std::uint16_t mtu = 1200;  // UDP payload bytes; OpenSSL may overshoot by a few (LIMITS.md §3.2)
};

class DtlsEndpoint {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMaxDatagram = 16384 + 2048;  // one DTLS record plus headers
  // OpenSSL 3.0 treats the last 15 ms of its timer as expired (d1_lib.c dtls1_get_timeout), so a
  // shorter interval would fire at once, from inside its own read path, over and over.
  static constexpr std::chrono::milliseconds kMinTimeout{20};

  [[nodiscard]] static std::expected<std::unique_ptr<DtlsEndpoint>, DtlsError> create(
      DtlsContext& context, DtlsRole role, DtlsObserver& observer, const DtlsOptions& options = {});
  ~DtlsEndpoint();
  DtlsEndpoint(const DtlsEndpoint&) = delete;
  DtlsEndpoint& operator=(const DtlsEndpoint&) = delete;

  void set_remote_fingerprint(const Fingerprint& fingerprint);
  // Client: sends the ClientHello. Server: begins waiting (feed() also starts a server).
  void start(Clock::time_point now);
  void feed(std::span<const std::byte> datagram, Clock::time_point now);
  void handle_timeout(Clock::time_point now);
  [[nodiscard]] std::optional<Clock::time_point> next_timeout() const noexcept { return deadline_; }
  // Sends close_notify (RFC 5246 §7.2.1) if connected; the endpoint is Closed afterwards.
  void close();

  [[nodiscard]] DtlsState state() const noexcept { return state_; }
  [[nodiscard]] DtlsRole role() const noexcept { return role_; }
  [[nodiscard]] std::optional<SrtpProfile> srtp_profile() const noexcept { return profile_; }
  // Retransmission back-off: initial_timeout for a new timer, then doubling, capped at max_timeout.
  [[nodiscard]] static std::chrono::microseconds next_retransmit_interval(
      std::chrono::microseconds previous, const DtlsOptions& options) noexcept;

 private:
  DtlsEndpoint(DtlsRole role, DtlsObserver& observer, const DtlsOptions& options) noexcept;
  void advance(Clock::time_point now);
  void on_handshake_done();
  void try_finish_connected();
  void read_records();
  void fail(DtlsErrorCode code, unsigned long openssl_error);
  void update_deadline(Clock::time_point now) noexcept;
  [[nodiscard]] bool peer_matches_fingerprint() const;

  friend struct DtlsCallbacks;

  DtlsRole role_;
  DtlsObserver& observer_;
  DtlsOptions options_;
  DtlsState state_ = DtlsState::New;
  ssl_st* ssl_ = nullptr;
  bio_st* rbio_ = nullptr;  // owned by ssl_ after SSL_set_bio
  std::optional<Fingerprint> remote_fingerprint_;
  std::optional<SrtpProfile> profile_;
  std::optional<Clock::time_point> deadline_;
  bool handshake_done_ = false;
  bool mismatch_seen_ = false;
};

}  // namespace rtcgate::media
