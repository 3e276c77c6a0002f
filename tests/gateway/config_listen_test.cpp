#include "rtcgate/gateway/config_listen.hpp"

#include <gtest/gtest.h>

namespace rtcgate::gateway {
namespace {

TEST(ConfigListen, ParsesEveryTransport) {
  for (std::string text : {"udp:127.0.0.1:5060", "tcp:10.1.2.3:5060", "tls:0.0.0.0:5061", "ws:127.0.0.1:8080",
                           "wss:[::1]:8443", "udp:[2001:db8::5]:1"}) {
    auto parsed = parse_listen_address(text);
    ASSERT_TRUE(parsed) << text << ": " << parsed.error();
    EXPECT_EQ(parsed->to_string(), text);
  }
}

TEST(ConfigListen, KeepsFields) {
  auto parsed = parse_listen_address("wss:[::1]:8443");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->transport, SipTransport::Wss);
  EXPECT_EQ(parsed->address.ip, "::1");
  EXPECT_EQ(parsed->address.port, 8443);
  EXPECT_TRUE(parsed->is_secure());
  EXPECT_TRUE(parsed->is_websocket());
  EXPECT_TRUE(parsed->address.is_ipv6());
}

TEST(ConfigListen, RejectsBadSyntaxWithReason) {
  struct Case {
    const char* text;
    const char* reason;
  };
  for (const Case& c :
       {Case{"127.0.0.1:5060", "unknown transport '127.0.0.1'"}, Case{"udp", "expected TRANSPORT:IP:PORT"},
        Case{"UDP:127.0.0.1:5060", "unknown transport 'UDP'"}, Case{"udp:127.0.0.1", "missing ':PORT'"},
        Case{"udp:127.0.0.1:", "port '' is not in 1..65535"},
        Case{"udp:127.0.0.1:0", "port '0' is not in 1..65535"}, Case{"udp:127.0.0.1:65536", "port '65536'"},
        Case{"udp:127.0.0.1:5o60", "port '5o60'"},
        Case{"udp:256.0.0.1:5060", "'256.0.0.1' is not an IPv4 address"},
        Case{"udp:01.0.0.1:5060", "'01.0.0.1' is not an IPv4 address"},
        Case{"udp:::1:5060", "write IPv6 addresses in brackets"}, Case{"udp:[::1:5060", "missing ']'"},
        Case{"udp:[::1]5060", "missing ':PORT'"}, Case{"udp:[::g]:5060", "'::g' is not an IPv6 address"},
        Case{"udp:pbx.example.com:5060", "host names are not allowed"}}) {
    auto parsed = parse_listen_address(c.text);
    ASSERT_FALSE(parsed) << c.text;
    EXPECT_NE(parsed.error().find(c.reason), std::string::npos) << c.text << " -> " << parsed.error();
  }
}

TEST(ConfigListen, SocketAddressAllowsPortZeroOnlyWhenAsked) {
  EXPECT_TRUE(parse_socket_address("127.0.0.1:0", true));
  EXPECT_FALSE(parse_socket_address("127.0.0.1:0", false));
  auto v6 = parse_socket_address("[::]:8088", true);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->to_string(), "[::]:8088");
}

TEST(ConfigListen, Ipv4Literals) {
  EXPECT_TRUE(is_ipv4_literal("0.0.0.0"));
  EXPECT_TRUE(is_ipv4_literal("255.255.255.255"));
  EXPECT_FALSE(is_ipv4_literal("1.2.3"));
  EXPECT_FALSE(is_ipv4_literal("1.2.3.4.5"));
  EXPECT_FALSE(is_ipv4_literal("1.2..4"));
  EXPECT_FALSE(is_ipv4_literal("1.2.3.4 "));
  EXPECT_FALSE(is_ipv4_literal(""));
}

TEST(ConfigListen, Ipv6Literals) {
  for (const char* good : {"::", "::1", "2001:db8::1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1",
                           "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "1::"}) {
    EXPECT_TRUE(is_ipv6_literal(good)) << good;
  }
  for (const char* bad : {"", ":", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "::g",
                          "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0", ":1:2:3:4:5:6:7", "1.2.3.4"}) {
    EXPECT_FALSE(is_ipv6_literal(bad)) << bad;
  }
}

}  // namespace
}  // namespace rtcgate::gateway
