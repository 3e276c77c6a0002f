// IceFastPath: the data path of one ICE component once a pair is selected whose local side is a
// plain UDP socket (host, server- or peer-reflexive; not TURN, not TCP). It reads that socket itself
// from the worker's FdPoller with recvmmsg into PacketPool buffers and sends media through the
// poller's SendBatch (a sendmmsg per socket and round; STUN goes out at once) to the selected remote
// address, instead of going through libnice (one GLib iteration, one recvmsg and one GSocketAddress
// per datagram: LIMITS.md §1.5).
//
// Because libnice no longer sees the socket, STUN on it is answered here:
//  * Binding requests (connectivity and consent checks, RFC 8445 §7.3, RFC 7675 §5.2) must carry
//    USERNAME "local-ufrag:remote-ufrag", a MESSAGE-INTEGRITY keyed with the local password and, if
//    present, a correct FINGERPRINT. A bad FINGERPRINT is dropped; missing credentials get 400,
//    wrong ones 401 (unsigned), unknown comprehension-required attributes 420 (RFC 8489 §6.3.1,
//    §9.1.3); all counted as rejected. The answer is a success response with XOR-MAPPED-ADDRESS,
//    MESSAGE-INTEGRITY and FINGERPRINT. Role attributes are resolved as RFC 8445 §7.3.1.1 says (487 Role
//    Conflict, or our role switches). A request with USE-CANDIDATE from another address while we are
//    controlled nominates that address: media goes there from then on (the browser moved to another of its
//    candidates on the same local socket).
//  * Consent freshness (RFC 7675 §5.1): a Binding request to the remote address every interval
//    (5 s, or consent_timeout / 6 if that is shorter) randomised ×0.8–1.2, each with a fresh
//    transaction ID, retransmitted after 0.5, 1 and 2 s while unanswered (RFC 5389 §7.2.1), so that
//    a lossy or congested path does not lose consent to a few dropped datagrams; the last
//    kPendingTransactions IDs are remembered. Only an authenticated success
//    response (remote password) from the remote address to one of them renews consent. No response
//    for consent_timeout (30 s by default, as the RFC says) → consent lost: reported once to the
//    Observer, and send() refuses from then on (RFC 7675 §5.1: stop sending).
// DTLS and SRTP/SRTCP go to Observer::on_fast_packet; media from any address other than the
// selected remote is dropped (SourceMismatch), as libnice drops data from unvalidated sources.
//
// Ownership: borrows the socket (libnice owns and closes it); give it back by destroying the fast
// path, which stops reading it. The FdPoller, PacketPool, io_context, counters and Observer must
// outlive it.
// Thread affinity: the worker owning the poller, for every member. Nothing on the packet path
// allocates, locks or logs.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <system_error>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "rtcgate/media/ice/ice_types.hpp"
#include "rtcgate/media/ice/stun_message.hpp"
#include "rtcgate/media/io/fd_poller.hpp"
#include "rtcgate/media/packet/drop.hpp"
#include "rtcgate/media/packet/packet_pool.hpp"

namespace rtcgate::media {

struct StunCounters {
  std::uint64_t requests_answered = 0;
  std::uint64_t requests_rejected = 0;  // bad USERNAME, integrity, fingerprint or attributes; unparsable
  std::uint64_t role_conflicts = 0;
  std::uint64_t consent_sent = 0;
  std::uint64_t consent_answered = 0;
};

struct IceCounters {
  std::uint64_t rx_packets = 0;
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_packets = 0;
  std::uint64_t tx_bytes = 0;
  DropCounters drops;
  StunCounters stun;  // the fast path's STUN work (zero on the libnice path)
};

struct IceFastPathParams {
  int fd = -1;
  SocketAddress remote;
  IceCredentials local;
  IceCredentials remote_credentials;
  IceRole role = IceRole::Controlled;
  std::uint64_t tie_breaker = 0;
  std::uint32_t priority = 0;  // PRIORITY of our checks (RFC 8445 §7.1.1: as a peer-reflexive candidate)
  bool consent = true;         // run RFC 7675 consent checks
  std::chrono::milliseconds consent_timeout{30000};
};

class IceFastPath final : private FdHandler {
 public:
  static constexpr std::size_t kBatch = 16;
  static constexpr int kRoundsPerWakeup = 4;
  static constexpr std::size_t kPendingTransactions = 8;
  static constexpr std::chrono::milliseconds kConsentInterval{5000};
  static constexpr std::chrono::milliseconds kConsentRto{500};
  static constexpr int kConsentRetransmits = 3;  // 0.5, 1, 2 s: all within the ~5 s interval

  class Observer {
   public:
    virtual void on_fast_packet(PacketPtr packet) noexcept = 0;
    virtual void on_fast_consent_lost() = 0;
    virtual void on_fast_remote_changed(const SocketAddress& remote) = 0;

   protected:
    ~Observer() = default;
  };

  IceFastPath(boost::asio::io_context& io, FdPoller& poller, PacketPool& pool, IceCounters& counters,
              const IceFastPathParams& params, Observer& observer);
  ~IceFastPath();
  IceFastPath(const IceFastPath&) = delete;
  IceFastPath& operator=(const IceFastPath&) = delete;

  // Registers the socket and starts consent; consent counts as fresh at this moment (ICE just
  // succeeded on this pair).
  std::error_code start();

  // Packet path. False when dropped (counted in the IceCounters).
  bool send(std::span<const std::byte> datagram) noexcept;

  // A new selected pair on the same socket (libnice re-selected): aim there from now on.
  void set_remote(const SocketAddress& remote) noexcept;

  [[nodiscard]] int fd() const noexcept { return params_.fd; }
  [[nodiscard]] const SocketAddress& remote() const noexcept { return params_.remote; }
  [[nodiscard]] IceRole role() const noexcept { return params_.role; }
  [[nodiscard]] bool consent_lost() const noexcept { return consent_lost_; }

 private:
  bool on_readable() noexcept override;
  void on_datagram(PacketPtr packet) noexcept;
  void on_stun(std::span<const std::byte> datagram, const SocketAddress& source) noexcept;
  void on_request(const StunMessage& request, const SocketAddress& source) noexcept;
  void on_response(const StunMessage& response, const SocketAddress& source) noexcept;
  void reply(const StunMessage& request, const SocketAddress& source) noexcept;
  void reply_error(const StunMessage& request, const SocketAddress& source, std::uint16_t code,
                   std::string_view reason, bool signed_reply) noexcept;
  bool send_to(std::span<const std::byte> datagram, const SocketAddress& to) noexcept;
  void send_consent_request(bool fresh) noexcept;
  void arm_consent();
  [[nodiscard]] std::chrono::milliseconds consent_interval() noexcept;

  FdPoller& poller_;
  PacketPool& pool_;
  IceCounters& counters_;
  IceFastPathParams params_;
  Observer& observer_;
  std::string expected_username_;  // "local:remote", built once
  std::string request_username_;   // "remote:local"
  StunKey local_key_;
  StunKey remote_key_;
  std::optional<FdPoller::Token> token_;
  boost::asio::steady_timer consent_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::chrono::steady_clock::time_point consent_until_{};
  bool consent_lost_ = false;
  std::array<StunTransactionId, kPendingTransactions> pending_{};
  std::size_t next_pending_ = 0;
  std::size_t current_ = 0;  // the check being retransmitted
  std::chrono::steady_clock::time_point next_check_{};
  std::chrono::steady_clock::time_point retransmit_at_{};
  std::chrono::milliseconds rto_{kConsentRto};
  int retransmits_left_ = 0;
  std::mt19937_64 random_;
};

}  // namespace rtcgate::media
