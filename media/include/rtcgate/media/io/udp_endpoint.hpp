// UdpEndpoint: the plain-RTP side of a call — an RTP socket and an RTCP socket (RFC 3550 §11), or one
// socket with rtcp-mux (RFC 5761), bound to ports from the media range.
//
// Receive: when FdPoller reports a socket readable, recvmmsg() reads up to kBatch datagrams straight
// into PacketPool buffers at their head room (no copy); an empty pool drops and counts PoolExhausted.
// Latching and the source check (no RTP bleed, no injection): a port learns its remote address from
// the first datagram that classifies as RTP (RTCP on the RTCP port) — from the signalled IP only when
// `restrict_latch_to_signalled_ip` is set — and afterwards drops everything from any other address or
// port (Drop::SourceMismatch). set_remote() (new negotiation) forgets the latch. Sending is symmetric
// (RFC 4961): to the latched address once known, else to the signalled one.
// Send: through the poller's SendBatch on the non-blocking socket (one sendmmsg per socket and round
// of ready sockets, straight out otherwise); EAGAIN drops the packet and counts WouldBlock (a relay
// never queues behind a slow peer).
//
// Ownership: the endpoint owns its sockets and its PortLease (ports return to the allocator on
// destruction); the Receiver must outlive it. Packets handed to the Receiver are its to keep.
// Thread affinity: the worker that owns the FdPoller and PacketPool, for every member.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "rtcgate/media/io/fd_poller.hpp"
#include "rtcgate/media/io/port_allocator.hpp"
#include "rtcgate/media/packet/drop.hpp"
#include "rtcgate/media/packet/packet_pool.hpp"

namespace rtcgate::media {

enum class LegacyChannel : std::uint8_t { Rtp, Rtcp };

struct UdpEndpointConfig {
  std::string bind_address = "127.0.0.1";
  bool rtcp_mux = false;
  bool restrict_latch_to_signalled_ip = false;
  int receive_buffer_bytes = 0;  // SO_RCVBUF; 0 keeps the kernel default
};

struct UdpEndpointCounters {
  std::uint64_t rx_packets = 0;
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_packets = 0;
  std::uint64_t tx_bytes = 0;
  DropCounters drops;
};

class UdpEndpoint {
 public:
  static constexpr std::size_t kBatch = 16;
  static constexpr int kRoundsPerWakeup = 4;  // then yield to other sockets (fairness)
  static constexpr int kBindAttempts = 32;

  class Receiver {
   public:
    virtual void on_legacy_packet(LegacyChannel channel, PacketPtr packet) noexcept = 0;

   protected:
    ~Receiver() = default;
  };

  static std::expected<std::unique_ptr<UdpEndpoint>, std::error_code> open(FdPoller& poller, PacketPool& pool,
                                                                           PortAllocator& ports,
                                                                           const UdpEndpointConfig& config,
                                                                           Receiver& receiver);
  ~UdpEndpoint();
  UdpEndpoint(const UdpEndpoint&) = delete;
  UdpEndpoint& operator=(const UdpEndpoint&) = delete;

  [[nodiscard]] std::uint16_t rtp_port() const noexcept { return rtp_.local_port; }
  [[nodiscard]] std::uint16_t rtcp_port() const noexcept { return mux_ ? rtp_.local_port : rtcp_.local_port; }
  [[nodiscard]] bool rtcp_mux() const noexcept { return mux_; }

  // The negotiated remote addresses (RTCP defaults to RTP's address with port + 1, or the same port
  // with rtcp-mux). Forgets any latched address.
  void set_remote(const SocketAddress& rtp, std::optional<SocketAddress> rtcp = std::nullopt);
  [[nodiscard]] bool latched(LegacyChannel channel) const noexcept;
  [[nodiscard]] std::optional<SocketAddress> destination(LegacyChannel channel) const noexcept;

  // Packet path: send the buffer's data. Returns false (and counts the reason) when dropped.
  bool send(LegacyChannel channel, const PacketBuffer& packet) noexcept;

  [[nodiscard]] const UdpEndpointCounters& counters() const noexcept { return counters_; }

 private:
  struct Port final : FdHandler {
    UdpEndpoint* owner = nullptr;
    LegacyChannel channel = LegacyChannel::Rtp;
    int fd = -1;
    FdPoller::Token token = 0;
    bool registered = false;
    std::uint16_t local_port = 0;
    SocketAddress signalled{};
    SocketAddress latched{};
    bool is_latched = false;
    bool on_readable() noexcept override;
  };

  UdpEndpoint(FdPoller& poller, PacketPool& pool, const UdpEndpointConfig& config, Receiver& receiver);
  std::error_code bind_ports(PortAllocator& ports, const SocketAddress& bind);
  void deliver(Port& port, PacketPtr packet) noexcept;
  void close_port(Port& port) noexcept;

  FdPoller& poller_;
  PacketPool& pool_;
  Receiver& receiver_;
  bool mux_;
  bool restrict_;
  int rcvbuf_;
  PortLease lease_;
  Port rtp_;
  Port rtcp_;
  UdpEndpointCounters counters_;
};

}  // namespace rtcgate::media
