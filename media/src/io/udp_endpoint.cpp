#include "rtcgate/media/io/udp_endpoint.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

#include "rtcgate/media/io/address.hpp"
#include "rtcgate/media/packet/classify.hpp"

namespace rtcgate::media {
namespace {

SocketAddress with_port(SocketAddress address, std::uint16_t port) {
  if (address.storage.ss_family == AF_INET)
    reinterpret_cast<sockaddr_in*>(&address.storage)->sin_port = htons(port);
  if (address.storage.ss_family == AF_INET6)
    reinterpret_cast<sockaddr_in6*>(&address.storage)->sin6_port = htons(port);
  return address;
}

int open_bound(const SocketAddress& bind, std::uint16_t port, int rcvbuf, std::error_code& ec) {
  const int fd = ::socket(bind.storage.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ec.assign(errno, std::generic_category());
    return -1;
  }
  if (rcvbuf > 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
  const SocketAddress local = with_port(bind, port);
  if (::bind(fd, local.get(), local.length) != 0) {
    ec.assign(errno, std::generic_category());
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

UdpEndpoint::UdpEndpoint(FdPoller& poller, PacketPool& pool, const UdpEndpointConfig& config,
                         Receiver& receiver)
    : poller_(poller),
      pool_(pool),
      receiver_(receiver),
      mux_(config.rtcp_mux),
      restrict_(config.restrict_latch_to_signalled_ip),
      rcvbuf_(config.receive_buffer_bytes) {
  rtp_.owner = this;
  rtcp_.owner = this;
  rtcp_.channel = LegacyChannel::Rtcp;
}

std::expected<std::unique_ptr<UdpEndpoint>, std::error_code> UdpEndpoint::open(
    FdPoller& poller, PacketPool& pool, PortAllocator& ports, const UdpEndpointConfig& config,
    Receiver& receiver) {
  const auto bind = make_socket_address(config.bind_address, 0);
  if (!bind) return std::unexpected(std::make_error_code(std::errc::invalid_argument));
  std::unique_ptr<UdpEndpoint> endpoint(new UdpEndpoint(poller, pool, config, receiver));
  if (auto ec = endpoint->bind_ports(ports, *bind)) return std::unexpected(ec);
  for (Port* port : {&endpoint->rtp_, &endpoint->rtcp_}) {
    if (port->fd < 0) continue;
    auto token = poller.add(port->fd, *port);
    if (!token) return std::unexpected(token.error());
    port->token = *token;
    port->registered = true;
  }
  return endpoint;
}

// Ports the allocator believes free may still be bound by another process: try the next lease.
std::error_code UdpEndpoint::bind_ports(PortAllocator& ports, const SocketAddress& bind) {
  std::error_code ec = std::make_error_code(std::errc::address_in_use);
  for (int attempt = 0; attempt < kBindAttempts; ++attempt) {
    auto lease = ports.allocate(mux_ ? 1 : 2, !mux_);
    if (!lease) return std::make_error_code(std::errc::address_not_available);
    ec.clear();
    const int rtp = open_bound(bind, lease->first(), rcvbuf_, ec);
    if (rtp < 0) continue;
    int rtcp = -1;
    if (!mux_) {
      rtcp = open_bound(bind, static_cast<std::uint16_t>(lease->first() + 1), rcvbuf_, ec);
      if (rtcp < 0) {
        ::close(rtp);
        continue;
      }
    }
    rtp_.fd = rtp;
    rtp_.local_port = lease->first();
    rtcp_.fd = rtcp;
    rtcp_.local_port = mux_ ? 0 : static_cast<std::uint16_t>(lease->first() + 1);
    lease_ = std::move(*lease);
    return {};
  }
  return ec;
}

UdpEndpoint::~UdpEndpoint() {
  close_port(rtp_);
  close_port(rtcp_);
}

void UdpEndpoint::close_port(Port& port) noexcept {
  if (port.registered) poller_.remove(port.token);
  port.registered = false;
  if (port.fd >= 0) ::close(port.fd);
  port.fd = -1;
}

void UdpEndpoint::set_remote(const SocketAddress& rtp, std::optional<SocketAddress> rtcp) {
  rtp_.signalled = rtp;
  rtp_.is_latched = false;
  rtcp_.signalled = rtcp ? *rtcp : with_port(rtp, static_cast<std::uint16_t>(port_of(rtp) + (mux_ ? 0 : 1)));
  rtcp_.is_latched = false;
}

bool UdpEndpoint::latched(LegacyChannel channel) const noexcept {
  return (channel == LegacyChannel::Rtcp && !mux_ ? rtcp_ : rtp_).is_latched;
}

std::optional<SocketAddress> UdpEndpoint::destination(LegacyChannel channel) const noexcept {
  const Port& port = channel == LegacyChannel::Rtcp && !mux_ ? rtcp_ : rtp_;
  if (port.is_latched) return port.latched;
  if (mux_ && channel == LegacyChannel::Rtcp && !rtcp_.signalled.empty()) return rtcp_.signalled;
  if (!port.signalled.empty()) return port.signalled;
  return std::nullopt;
}

bool UdpEndpoint::send(LegacyChannel channel, const PacketBuffer& packet) noexcept {
  const Port& port = channel == LegacyChannel::Rtcp && !mux_ ? rtcp_ : rtp_;
  const SocketAddress* to = nullptr;
  if (port.is_latched) {
    to = &port.latched;
  } else if (mux_ && channel == LegacyChannel::Rtcp && !rtcp_.signalled.empty()) {
    to = &rtcp_.signalled;
  } else if (!port.signalled.empty()) {
    to = &port.signalled;
  }
  if (to == nullptr) {
    counters_.drops.bump(Drop::NoRoute);
    return false;
  }
  return poller_.sends().send(port.fd, packet.data(), *to,
                              {&counters_.tx_packets, &counters_.tx_bytes, &counters_.drops});
}

bool UdpEndpoint::Port::on_readable() noexcept {
  UdpEndpoint& self = *owner;
  for (int round = 0; round < kRoundsPerWakeup; ++round) {
    std::array<PacketPtr, kBatch> packets;
    std::array<mmsghdr, kBatch> headers{};
    std::array<iovec, kBatch> iov{};
    std::size_t prepared = 0;
    for (; prepared < kBatch; ++prepared) {
      packets[prepared] = self.pool_.acquire();
      if (!packets[prepared]) break;
      const auto area = packets[prepared]->receive_area();
      iov[prepared] = {area.data(), area.size()};
      auto& hdr = headers[prepared].msg_hdr;
      hdr.msg_iov = &iov[prepared];
      hdr.msg_iovlen = 1;
      hdr.msg_name = &packets[prepared]->source.storage;
      hdr.msg_namelen = sizeof(sockaddr_storage);
    }
    if (prepared == 0) {
      // No buffer: discard one datagram so the socket does not spin the loop, and count it.
      char sink;
      if (::recv(fd, &sink, 1, MSG_DONTWAIT) < 0) return true;
      self.counters_.drops.bump(Drop::PoolExhausted);
      continue;
    }
    const int n = ::recvmmsg(fd, headers.data(), static_cast<unsigned>(prepared), MSG_DONTWAIT, nullptr);
    if (n <= 0) return true;
    const auto now = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      PacketPtr& packet = packets[static_cast<std::size_t>(i)];
      packet->set_size(headers[static_cast<std::size_t>(i)].msg_len);
      packet->source.length = headers[static_cast<std::size_t>(i)].msg_hdr.msg_namelen;
      packet->arrival = now;
      self.deliver(*this, std::move(packet));
    }
    if (static_cast<std::size_t>(n) < prepared) return true;
  }
  return false;
}

// Classify, then apply the latch / strict source rule, then hand the packet on.
void UdpEndpoint::deliver(Port& port, PacketPtr packet) noexcept {
  ++counters_.rx_packets;
  counters_.rx_bytes += packet->size();
  const PacketKind kind = classify(packet->data());
  LegacyChannel channel = port.channel;
  if (mux_) {
    if (kind != PacketKind::Rtp && kind != PacketKind::Rtcp) {
      counters_.drops.bump(Drop::NotRtp);
      return;
    }
    channel = kind == PacketKind::Rtp ? LegacyChannel::Rtp : LegacyChannel::Rtcp;
  } else if (kind != (port.channel == LegacyChannel::Rtp ? PacketKind::Rtp : PacketKind::Rtcp)) {
    counters_.drops.bump(Drop::NotRtp);
    return;
  }
  if (port.is_latched) {
    if (!(packet->source == port.latched)) {
      counters_.drops.bump(Drop::SourceMismatch);
      return;
    }
  } else {
    // With rtcp-mux only RTP latches (RTCP alone proves less about the media source).
    if (mux_ && channel != LegacyChannel::Rtp) {
      if (restrict_ && !port.signalled.empty() && !same_ip(packet->source, port.signalled)) {
        counters_.drops.bump(Drop::SourceMismatch);
        return;
      }
    } else {
      const Port& anchor = (&port == &rtcp_ && rtp_.is_latched) ? rtp_ : port;
      const SocketAddress& expected_ip = anchor.is_latched ? anchor.latched : anchor.signalled;
      if ((restrict_ || anchor.is_latched) && !expected_ip.empty() && !same_ip(packet->source, expected_ip)) {
        counters_.drops.bump(Drop::SourceMismatch);
        return;
      }
      port.latched = packet->source;
      port.is_latched = true;
    }
  }
  receiver_.on_legacy_packet(channel, std::move(packet));
}

}  // namespace rtcgate::media
