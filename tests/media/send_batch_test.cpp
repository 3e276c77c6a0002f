// SendBatch: straight out outside a round; inside one, queued in order and sent with one sendmmsg per
// run of datagrams for the same socket; failures counted per datagram without losing the rest.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "rtcgate/media/io/address.hpp"
#include "rtcgate/media/io/send_batch.hpp"

namespace rtcgate::media {
namespace {

// A bound non-blocking UDP socket on 127.0.0.1 that sends and receives test datagrams.
struct Socket {
  int fd = -1;
  SocketAddress address;
  Socket() {
    fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    auto any = make_socket_address("127.0.0.1", 0);
    EXPECT_EQ(::bind(fd, any->get(), any->length), 0);
    address.length = sizeof(sockaddr_storage);
    ::getsockname(fd, address.get(), &address.length);
  }
  ~Socket() { ::close(fd); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  // The next datagram's first byte, if one is queued (loopback delivers during the send call).
  [[nodiscard]] std::optional<int> receive() const {
    unsigned char buffer[4096];
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n < 0) return std::nullopt;
    return n == 0 ? -1 : buffer[0];
  }
};

struct Counters {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  DropCounters drops;
  SendAccounting account() { return {&packets, &bytes, &drops}; }
};

std::vector<std::byte> datagram(int tag, std::size_t size = 172) {
  std::vector<std::byte> bytes(size, std::byte{0});
  bytes[0] = static_cast<std::byte>(tag);
  return bytes;
}

TEST(SendBatch, SendsAtOnceOutsideARound) {
  Socket from, to;
  Counters counters;
  SendBatch batch;
  EXPECT_TRUE(batch.send(from.fd, datagram(1), to.address, counters.account()));
  EXPECT_EQ(to.receive(), 1);
  EXPECT_EQ(counters.packets, 1u);
  EXPECT_EQ(counters.bytes, 172u);
  EXPECT_EQ(batch.flush_calls(), 0u);
}

TEST(SendBatch, QueuesInsideARoundAndSendsEachSocketsRunWithOneCall) {
  Socket a, b, to_a, to_b;
  Counters ca, cb;
  SendBatch batch;
  batch.open();
  for (int tag = 1; tag <= 3; ++tag)
    EXPECT_TRUE(batch.send(a.fd, datagram(tag), to_a.address, ca.account()));
  for (int tag = 4; tag <= 5; ++tag)
    EXPECT_TRUE(batch.send(b.fd, datagram(tag), to_b.address, cb.account()));
  EXPECT_EQ(to_a.receive(), std::nullopt) << "nothing leaves before the round ends";
  EXPECT_EQ(ca.packets, 0u);
  batch.close();
  for (int tag = 1; tag <= 3; ++tag)
    EXPECT_EQ(to_a.receive(), tag);
  for (int tag = 4; tag <= 5; ++tag)
    EXPECT_EQ(to_b.receive(), tag);
  EXPECT_EQ(to_a.receive(), std::nullopt);
  EXPECT_EQ(batch.flush_calls(), 2u);
  EXPECT_EQ(batch.flushed(), 5u);
  EXPECT_EQ(ca.packets, 3u);
  EXPECT_EQ(ca.bytes, 3u * 172u);
  EXPECT_EQ(cb.packets, 2u);
}

TEST(SendBatch, NestedRoundsFlushOnlyWhenTheOutermostEnds) {
  Socket from, to;
  Counters counters;
  SendBatch batch;
  batch.open();
  batch.open();
  batch.send(from.fd, datagram(7), to.address, counters.account());
  batch.close();
  EXPECT_EQ(to.receive(), std::nullopt);
  batch.close();
  EXPECT_EQ(to.receive(), 7);
  batch.close();  // unbalanced: ignored
  EXPECT_TRUE(batch.send(from.fd, datagram(8), to.address, counters.account()));
  EXPECT_EQ(to.receive(), 8) << "after the round, sends go straight out again";
}

TEST(SendBatch, AFailedDatagramIsCountedAndTheRestOfItsRunStillGoes) {
  Socket from, to;
  Counters counters;
  SendBatch batch;
  // An IPv6 destination on an IPv4 socket: the kernel refuses that one datagram.
  auto v6 = make_socket_address("::1", 9);
  ASSERT_TRUE(v6);
  batch.open();
  batch.send(from.fd, datagram(1), to.address, counters.account());
  batch.send(from.fd, datagram(2), *v6, counters.account());
  batch.send(from.fd, datagram(3), to.address, counters.account());
  batch.close();
  EXPECT_EQ(to.receive(), 1);
  EXPECT_EQ(to.receive(), 3);
  EXPECT_EQ(counters.packets, 2u);
  EXPECT_EQ(counters.drops[Drop::NoRoute], 1u);
  EXPECT_EQ(counters.drops[Drop::WouldBlock], 0u);
}

TEST(SendBatch, AFullBatchIsSentAndOrderIsKept) {
  Socket from, to;
  Counters counters;
  SendBatch batch;
  const int total = static_cast<int>(SendBatch::kSlots) + 5;
  batch.open();
  for (int tag = 0; tag < total; ++tag)
    batch.send(from.fd, datagram(tag), to.address, counters.account());
  EXPECT_EQ(to.receive(), 0) << "the first kSlots left when the batch filled";
  batch.close();
  for (int tag = 1; tag < total; ++tag)
    ASSERT_EQ(to.receive(), tag);
  EXPECT_EQ(counters.packets, static_cast<std::uint64_t>(total));
}

TEST(SendBatch, AnOversizedDatagramGoesAtOnceAfterWhatWasQueued) {
  Socket from, to;
  Counters counters;
  SendBatch batch;
  batch.open();
  batch.send(from.fd, datagram(1), to.address, counters.account());
  EXPECT_TRUE(
      batch.send(from.fd, datagram(2, SendBatch::kMaxDatagram + 100), to.address, counters.account()));
  EXPECT_EQ(to.receive(), 1);
  EXPECT_EQ(to.receive(), 2);
  batch.close();
  EXPECT_EQ(to.receive(), std::nullopt);
  EXPECT_EQ(counters.packets, 2u);
}

TEST(SendBatch, ASendToAClosedSocketIsADropNotACrash) {
  Counters counters;
  Socket to;
  SendBatch batch;
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  ::close(fd);
  EXPECT_FALSE(batch.send(fd, datagram(1), to.address, counters.account()));
  EXPECT_EQ(counters.drops[Drop::NoRoute], 1u);
}

}  // namespace
}  // namespace rtcgate::media
