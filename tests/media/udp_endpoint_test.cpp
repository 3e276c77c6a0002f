// UdpEndpoint (latching, strict source check, symmetric RTP, rtcp-mux) and PortAllocator.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "rtcgate/media/io/address.hpp"
#include "rtcgate/media/io/udp_endpoint.hpp"

namespace rtcgate::media {
namespace {

std::vector<std::byte> rtp_packet(std::uint16_t seq, std::uint8_t pt = 0) {
  std::vector<std::byte> p(12 + 160, std::byte{0});
  p[0] = std::byte{0x80};
  p[1] = std::byte{pt};
  p[2] = std::byte(seq >> 8);
  p[3] = std::byte(seq & 0xff);
  p[8] = std::byte{0x12};  // SSRC 0x12345678
  p[9] = std::byte{0x34};
  p[10] = std::byte{0x56};
  p[11] = std::byte{0x78};
  return p;
}

std::vector<std::byte> rtcp_packet() {
  // An empty receiver report: V=2, PT=201, length 1 (8 bytes).
  return {std::byte{0x80}, std::byte{201},  std::byte{0},    std::byte{1},
          std::byte{0x12}, std::byte{0x34}, std::byte{0x56}, std::byte{0x78}};
}

struct Peer {
  int fd = -1;
  SocketAddress address;
  explicit Peer(const char* ip = "127.0.0.1") {
    fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    auto bind = make_socket_address(ip, 0);
    ::bind(fd, bind->get(), bind->length);
    address.length = sizeof(sockaddr_storage);
    ::getsockname(fd, address.get(), &address.length);
  }
  ~Peer() { ::close(fd); }
  void send(const std::vector<std::byte>& bytes, std::uint16_t port) const {
    auto to = make_socket_address("127.0.0.1", port);
    ::sendto(fd, bytes.data(), bytes.size(), 0, to->get(), to->length);
  }
  int receive() const {
    char buf[2048];
    for (int i = 0; i < 200; ++i) {
      const ssize_t n = ::recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
      if (n >= 0) return static_cast<int>(n);
      usleep(1000);
    }
    return -1;
  }
};

struct Collector final : UdpEndpoint::Receiver {
  std::vector<LegacyChannel> channels;
  std::vector<PacketPtr> packets;
  void on_legacy_packet(LegacyChannel channel, PacketPtr packet) noexcept override {
    channels.push_back(channel);
    packets.push_back(std::move(packet));
  }
};

class UdpEndpointTest : public ::testing::Test {
 protected:
  void pump() {
    io.restart();
    io.run_for(std::chrono::milliseconds(30));
  }
  std::unique_ptr<UdpEndpoint> open(UdpEndpointConfig config = {}) {
    auto endpoint = UdpEndpoint::open(poller, pool, ports, config, collector);
    EXPECT_TRUE(endpoint.has_value());
    return endpoint ? std::move(*endpoint) : nullptr;
  }

  boost::asio::io_context io;
  FdPoller poller{io};
  PacketPool pool{64};
  PortAllocator ports{42000, 42099};
  Collector collector;
};

TEST_F(UdpEndpointTest, LatchesOnFirstRtpThenDropsOtherSources) {
  auto endpoint = open();
  EXPECT_EQ(endpoint->rtp_port() % 2, 0);
  EXPECT_EQ(endpoint->rtcp_port(), endpoint->rtp_port() + 1);
  Peer pbx;
  Peer intruder;
  pbx.send(rtp_packet(1), endpoint->rtp_port());
  pump();
  ASSERT_EQ(collector.packets.size(), 1u);
  EXPECT_TRUE(endpoint->latched(LegacyChannel::Rtp));
  EXPECT_TRUE(collector.packets[0]->source == pbx.address);
  intruder.send(rtp_packet(2), endpoint->rtp_port());
  pbx.send(rtp_packet(3), endpoint->rtp_port());
  pump();
  ASSERT_EQ(collector.packets.size(), 2u);  // the intruder's packet is gone
  EXPECT_EQ(endpoint->counters().drops[Drop::SourceMismatch], 1u);
  // Symmetric RTP: we answer to the latched source even though another address was signalled.
  endpoint->set_remote(*make_socket_address("127.0.0.1", 9));
  pbx.send(rtp_packet(4), endpoint->rtp_port());
  pump();
  EXPECT_TRUE(endpoint->send(LegacyChannel::Rtp, *collector.packets.back()));
  EXPECT_EQ(pbx.receive(), 172);
}

TEST_F(UdpEndpointTest, NonRtpNeverLatches) {
  auto endpoint = open();
  Peer noise;
  Peer pbx;
  noise.send(std::vector<std::byte>(20, std::byte{0x01}), endpoint->rtp_port());  // STUN-looking
  noise.send(rtcp_packet(), endpoint->rtp_port());                                // RTCP on the RTP port
  pump();
  EXPECT_FALSE(endpoint->latched(LegacyChannel::Rtp));
  EXPECT_EQ(endpoint->counters().drops[Drop::NotRtp], 2u);
  pbx.send(rtp_packet(1), endpoint->rtp_port());
  pump();
  EXPECT_EQ(collector.packets.size(), 1u);
}

TEST_F(UdpEndpointTest, RestrictedLatchAcceptsOnlyTheSignalledIp) {
  UdpEndpointConfig config;
  config.restrict_latch_to_signalled_ip = true;
  auto endpoint = open(config);
  Peer stranger("127.0.0.2");
  Peer pbx("127.0.0.1");
  endpoint->set_remote(*make_socket_address("127.0.0.1", 4000));
  stranger.send(rtp_packet(1), endpoint->rtp_port());
  pump();
  EXPECT_FALSE(endpoint->latched(LegacyChannel::Rtp));
  EXPECT_EQ(endpoint->counters().drops[Drop::SourceMismatch], 1u);
  pbx.send(rtp_packet(2), endpoint->rtp_port());  // same IP, other port (NAT): latches
  pump();
  EXPECT_TRUE(endpoint->latched(LegacyChannel::Rtp));
  EXPECT_EQ(port_of(*endpoint->destination(LegacyChannel::Rtp)), port_of(pbx.address));
}

TEST_F(UdpEndpointTest, RtcpPortLatchesSeparatelyFromTheRtpIp) {
  auto endpoint = open();
  Peer pbx_rtp;
  Peer pbx_rtcp;
  Peer other("127.0.0.2");
  pbx_rtp.send(rtp_packet(1), endpoint->rtp_port());
  pump();
  other.send(rtcp_packet(), endpoint->rtcp_port());  // not the latched RTP source's IP
  pbx_rtcp.send(rtcp_packet(), endpoint->rtcp_port());
  pump();
  ASSERT_EQ(collector.channels.size(), 2u);
  EXPECT_EQ(collector.channels[1], LegacyChannel::Rtcp);
  EXPECT_TRUE(endpoint->latched(LegacyChannel::Rtcp));
  EXPECT_EQ(endpoint->counters().drops[Drop::SourceMismatch], 1u);
  EXPECT_TRUE(endpoint->send(LegacyChannel::Rtcp, *collector.packets[1]));
  EXPECT_EQ(pbx_rtcp.receive(), 8);
}

TEST_F(UdpEndpointTest, RtcpMuxDemultiplexesOnOnePort) {
  UdpEndpointConfig config;
  config.rtcp_mux = true;
  auto endpoint = open(config);
  EXPECT_EQ(endpoint->rtcp_port(), endpoint->rtp_port());
  Peer pbx;
  pbx.send(rtp_packet(1), endpoint->rtp_port());
  pbx.send(rtcp_packet(), endpoint->rtp_port());
  pump();
  ASSERT_EQ(collector.channels.size(), 2u);
  EXPECT_EQ(collector.channels[0], LegacyChannel::Rtp);
  EXPECT_EQ(collector.channels[1], LegacyChannel::Rtcp);
  EXPECT_EQ(ports.in_use(), 1u);
}

TEST_F(UdpEndpointTest, BatchesAndCountsPoolExhaustion) {
  auto endpoint = open();
  Peer pbx;
  for (int i = 0; i < 100; ++i)
    pbx.send(rtp_packet(static_cast<std::uint16_t>(i)), endpoint->rtp_port());
  pump();
  EXPECT_EQ(collector.packets.size(), 64u);  // the pool holds 64 buffers and we keep them all
  EXPECT_EQ(endpoint->counters().drops[Drop::PoolExhausted], 36u);
  collector.packets.clear();
  EXPECT_EQ(pool.available(), pool.capacity());
}

TEST_F(UdpEndpointTest, SendWithoutAnyRemoteIsCountedAsNoRoute) {
  auto endpoint = open();
  auto packet = pool.acquire();
  ASSERT_TRUE(packet->assign(rtp_packet(1)));
  EXPECT_FALSE(endpoint->send(LegacyChannel::Rtp, *packet));
  EXPECT_EQ(endpoint->counters().drops[Drop::NoRoute], 1u);
}

TEST(PortAllocatorTest, HandsOutEvenPairsAndTakesThemBack) {
  PortAllocator ports(30001, 30010);  // even pairs: 30002, 30004, 30006, 30008 (30010 has no partner)
  std::vector<PortLease> leases;
  for (int i = 0; i < 4; ++i) {
    auto lease = ports.allocate(2, true);
    ASSERT_TRUE(lease.has_value());
    EXPECT_EQ(lease->first() % 2, 0);
    leases.push_back(std::move(*lease));
  }
  EXPECT_FALSE(ports.allocate(2, true).has_value());
  EXPECT_EQ(ports.in_use(), 8u);
  const std::uint16_t freed = leases[1].first();
  leases.erase(leases.begin() + 1);
  EXPECT_EQ(ports.in_use(), 6u);
  auto again = ports.allocate(2, true);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->first(), freed);
  leases.clear();
  again.reset();
  EXPECT_EQ(ports.in_use(), 0u);
}

TEST(PortAllocatorTest, RoundRobinAvoidsImmediateReuse) {
  PortAllocator ports(31000, 31009);
  auto a = ports.allocate(1, false);
  const std::uint16_t first = a->first();
  a.reset();
  auto b = ports.allocate(1, false);
  EXPECT_NE(b->first(), first);
}

TEST(PortAllocatorTest, LeaseOutlivesAllocator) {
  std::optional<PortLease> lease;
  {
    PortAllocator ports(32000, 32001);
    lease = ports.allocate(2, true);
  }
  lease.reset();  // must not touch freed memory (checked under ASan)
  SUCCEED();
}

TEST(PortAllocatorTest, EndpointsReturnTheirPortsNoLeak) {
  boost::asio::io_context io;
  FdPoller poller(io);
  PacketPool pool(8);
  PortAllocator ports(43000, 43019);
  Collector collector;
  for (int round = 0; round < 30; ++round) {  // more rounds than the range holds pairs
    std::vector<std::unique_ptr<UdpEndpoint>> endpoints;
    for (int i = 0; i < 5; ++i) {
      auto endpoint = UdpEndpoint::open(poller, pool, ports, {}, collector);
      ASSERT_TRUE(endpoint.has_value()) << endpoint.error().message();
      endpoints.push_back(std::move(*endpoint));
    }
    EXPECT_EQ(ports.in_use(), 10u);
    EXPECT_EQ(poller.size(), 10u);
  }
  EXPECT_EQ(ports.in_use(), 0u);
  EXPECT_EQ(poller.size(), 0u);
  // A port held by someone else is skipped, not fatal.
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  auto taken = make_socket_address("127.0.0.1", 43000);
  ASSERT_EQ(::bind(fd, taken->get(), taken->length), 0);
  for (int i = 0; i < 10; ++i) {
    auto endpoint = UdpEndpoint::open(poller, pool, ports, {}, collector);
    ASSERT_TRUE(endpoint.has_value());
    EXPECT_NE((*endpoint)->rtp_port(), 43000);
  }
  ::close(fd);
  EXPECT_EQ(ports.in_use(), 0u);
}

}  // namespace
}  // namespace rtcgate::media
