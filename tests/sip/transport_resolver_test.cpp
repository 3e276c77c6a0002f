// RFC 3263 server location: transport and port selection, numeric hosts, A records (localhost
// from the hosts file, so no DNS server is needed), and the SRV-then-A fallback.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "rtcgate/sip/asio/resolver.hpp"

namespace rtcgate::sip::asio {
namespace {

using namespace std::chrono_literals;

std::optional<std::vector<ResolvedTarget>> run(ResolveRequest request, std::chrono::seconds limit = 10s) {
  boost::asio::io_context io;
  Resolver resolver(io);
  std::optional<std::vector<ResolvedTarget>> result;
  resolver.resolve(std::move(request),
                   [&](std::vector<ResolvedTarget> targets) { result = std::move(targets); });
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!result && std::chrono::steady_clock::now() < deadline) {
    io.restart();
    io.run_for(10ms);
  }
  return result;
}

TEST(Resolver, TransportSelection) {
  EXPECT_EQ(select_transport({"h", {}, {}, false}), TransportKind::Udp);
  EXPECT_EQ(select_transport({"h", {}, {}, true}), TransportKind::Tls);
  EXPECT_EQ(select_transport({"h", {}, TransportKind::Tcp, false}), TransportKind::Tcp);
  EXPECT_EQ(select_transport({"h", {}, TransportKind::Tcp, true}), TransportKind::Tls);
  EXPECT_EQ(select_transport({"h", {}, TransportKind::Ws, true}), TransportKind::Wss);
  EXPECT_EQ(default_port(TransportKind::Udp), 5060);
  EXPECT_EQ(default_port(TransportKind::Tls), 5061);
  EXPECT_EQ(numeric_host("[2001:db8::1]"), "2001:db8::1");
  EXPECT_EQ(numeric_host("192.0.2.1"), "192.0.2.1");
  EXPECT_FALSE(numeric_host("example.com").has_value());
}

TEST(Resolver, NumericHostsNeedNoLookup) {
  const auto v4 = run({"192.0.2.1", {}, {}, false});
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(*v4, (std::vector<ResolvedTarget>{{TransportKind::Udp, {"192.0.2.1", 5060}}}));
  const auto v6 = run({"[2001:db8::1]", 5080, TransportKind::Tcp, false});
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(*v6, (std::vector<ResolvedTarget>{{TransportKind::Tcp, {"2001:db8::1", 5080}}}));
  const auto sips = run({"192.0.2.1", {}, {}, true});
  ASSERT_TRUE(sips.has_value());
  EXPECT_EQ(*sips, (std::vector<ResolvedTarget>{{TransportKind::Tls, {"192.0.2.1", 5061}}}));
}

TEST(Resolver, HostNameWithPortUsesAddressRecords) {
  const auto targets = run({"localhost", 5070, TransportKind::Tcp, false});
  ASSERT_TRUE(targets.has_value());
  ASSERT_FALSE(targets->empty());
  EXPECT_NE(
      std::find(targets->begin(), targets->end(), ResolvedTarget{TransportKind::Tcp, {"127.0.0.1", 5070}}),
      targets->end());
  for (const ResolvedTarget& target : *targets)
    EXPECT_EQ(target.address.port, 5070);
}

TEST(Resolver, HostNameWithoutSrvFallsBackToAddressRecordsAndDefaultPort) {
  // There is no _sip._udp.localhost SRV record (and no DNS at all in a test namespace).
  const auto targets = run({"localhost", {}, {}, false}, 20s);
  ASSERT_TRUE(targets.has_value());
  EXPECT_NE(
      std::find(targets->begin(), targets->end(), ResolvedTarget{TransportKind::Udp, {"127.0.0.1", 5060}}),
      targets->end());
}

TEST(Resolver, DestroyingTheResolverDropsPendingHandlers) {
  boost::asio::io_context io;
  bool called = false;
  {
    Resolver resolver(io);
    resolver.resolve({"192.0.2.1", {}, {}, false}, [&](std::vector<ResolvedTarget>) { called = true; });
    resolver.resolve({"localhost", 5060, {}, false}, [&](std::vector<ResolvedTarget>) { called = true; });
  }
  io.run_for(200ms);
  EXPECT_FALSE(called);
}

}  // namespace
}  // namespace rtcgate::sip::asio
