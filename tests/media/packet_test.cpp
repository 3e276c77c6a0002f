#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include <netinet/in.h>

#include "rtcgate/media/packet/drop.hpp"
#include "rtcgate/media/packet/packet_pool.hpp"

namespace rtcgate::media {
namespace {

TEST(PacketBuffer, ResetLayoutLeavesHeadAndTailRoom) {
  PacketBuffer buffer;
  buffer.reset();
  EXPECT_EQ(buffer.headroom(), kPacketHeadroom);
  EXPECT_EQ(buffer.size(), 0U);
  EXPECT_EQ(buffer.tailroom(), kPacketDataCapacity + kPacketTailroom);
  EXPECT_EQ(buffer.receive_area().size(), kPacketDataCapacity);
  ASSERT_TRUE(buffer.set_size(kPacketDataCapacity));
  EXPECT_GE(buffer.tailroom(), kSrtpMaxTrailer);
  // libsrtp2 reads 32-bit words in place.
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(buffer.data().data()) % 4, 0U);
}

TEST(PacketBuffer, SizeAndFrontAdjustmentsAreBounded) {
  PacketBuffer buffer;
  buffer.reset();
  EXPECT_FALSE(buffer.set_size(PacketBuffer::kCapacity - kPacketHeadroom + 1));
  EXPECT_TRUE(buffer.set_size(PacketBuffer::kCapacity - kPacketHeadroom));
  EXPECT_EQ(buffer.tailroom(), 0U);
  ASSERT_TRUE(buffer.set_size(100));
  EXPECT_TRUE(buffer.push_front(4));
  EXPECT_EQ(buffer.size(), 104U);
  EXPECT_EQ(buffer.headroom(), kPacketHeadroom - 4);
  EXPECT_FALSE(buffer.push_front(kPacketHeadroom));
  EXPECT_TRUE(buffer.pull_front(8));
  EXPECT_EQ(buffer.size(), 96U);
  EXPECT_FALSE(buffer.pull_front(97));
  EXPECT_EQ(buffer.size(), 96U);
}

TEST(PacketBuffer, AssignCopiesAndRejectsOversize) {
  PacketBuffer buffer;
  const std::vector<std::byte> bytes(200, std::byte{0x5a});
  ASSERT_TRUE(buffer.assign(bytes));
  EXPECT_EQ(buffer.size(), 200U);
  EXPECT_EQ(std::memcmp(buffer.data().data(), bytes.data(), bytes.size()), 0);
  const std::vector<std::byte> huge(PacketBuffer::kCapacity, std::byte{1});
  EXPECT_FALSE(buffer.assign(huge));
  EXPECT_EQ(buffer.size(), 0U);
}

TEST(SocketAddress, ComparesAddressAndPort) {
  SocketAddress a;
  auto* in = reinterpret_cast<sockaddr_in*>(&a.storage);
  in->sin_family = AF_INET;
  in->sin_port = htons(5004);
  in->sin_addr.s_addr = htonl(0x7f000001);
  a.length = sizeof(sockaddr_in);
  SocketAddress b = a;
  EXPECT_TRUE(a == b);
  reinterpret_cast<sockaddr_in*>(&b.storage)->sin_port = htons(5006);
  EXPECT_FALSE(a == b);
  SocketAddress c;
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&c.storage);
  in6->sin6_family = AF_INET6;
  in6->sin6_port = htons(5004);
  c.length = sizeof(sockaddr_in6);
  EXPECT_FALSE(a == c);
  SocketAddress d = c;
  EXPECT_TRUE(c == d);
}

TEST(PacketPool, ExhaustsAndRecycles) {
  PacketPool pool(3);
  EXPECT_EQ(pool.capacity(), 3U);
  PacketPtr a = pool.acquire();
  PacketPtr b = pool.acquire();
  PacketPtr c = pool.acquire();
  ASSERT_TRUE(a && b && c);
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(pool.available(), 0U);
  EXPECT_EQ(pool.acquire(), nullptr);
  PacketBuffer* raw = b.get();
  b->set_size(42);
  b.reset();
  EXPECT_EQ(pool.available(), 1U);
  PacketPtr again = pool.acquire();
  EXPECT_EQ(again.get(), raw);
  EXPECT_EQ(again->size(), 0U) << "acquire hands out a reset buffer";
  EXPECT_EQ(again->headroom(), kPacketHeadroom);
  EXPECT_EQ(pool.in_use(), 3U);
}

TEST(PacketPool, MovedPointerReturnsOnce) {
  PacketPool pool(1);
  {
    PacketPtr a = pool.acquire();
    PacketPtr b = std::move(a);
    EXPECT_EQ(pool.available(), 0U);
  }
  EXPECT_EQ(pool.available(), 1U);
}

TEST(DropCounters, CountsByReasonAndNamesAreDistinct) {
  DropCounters counters;
  counters.bump(Drop::SrtpAuth);
  counters.bump(Drop::SrtpAuth);
  counters.bump(Drop::PoolExhausted);
  EXPECT_EQ(counters[Drop::SrtpAuth], 2U);
  EXPECT_EQ(counters[Drop::PoolExhausted], 1U);
  EXPECT_EQ(counters[Drop::NoRoute], 0U);
  EXPECT_EQ(counters.total(), 3U);
  DropCounters sum;
  sum += counters;
  sum += counters;
  EXPECT_EQ(sum.total(), 6U);
  for (std::size_t i = 0; i < kDropReasonCount; ++i) {
    for (std::size_t j = i + 1; j < kDropReasonCount; ++j) {
      EXPECT_NE(to_string(static_cast<Drop>(i)), to_string(static_cast<Drop>(j)));
    }
    EXPECT_NE(to_string(static_cast<Drop>(i)), "unknown");
  }
}

}  // namespace
}  // namespace rtcgate::media
