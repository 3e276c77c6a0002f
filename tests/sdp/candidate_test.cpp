// RFC 8839 §5.1 candidate grammar against what Chromium, libwebrtc, aiortc and SIP endpoints send.
#include <gtest/gtest.h>

#include <rtcgate/sdp/attributes/candidate.hpp>

namespace rtcgate::sdp {
namespace {

TEST(Candidate, ChromiumUdpHost) {
  const std::string v =
      "3605927487 1 udp 2122260223 127.0.0.1 51600 typ host generation 0 network-id 1 network-cost 50";
  auto c = parse_candidate(v);
  ASSERT_TRUE(c) << c.error().reason;
  EXPECT_EQ(c->foundation, "3605927487");
  EXPECT_EQ(c->component, 1);
  EXPECT_TRUE(c->is_udp());
  EXPECT_EQ(c->priority, 2122260223u);
  EXPECT_EQ(c->port, 51600);
  EXPECT_EQ(c->type, CandidateType::Host);
  EXPECT_EQ(c->generation, 0u);
  ASSERT_EQ(c->extensions.size(), 2u);
  EXPECT_EQ(c->extensions[0].first, "network-id");
  EXPECT_EQ(to_value(*c), v);
}

TEST(Candidate, TcpWithTcptype) {
  const std::string v = "2820797607 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0";
  auto c = parse_candidate(v);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->is_tcp());
  EXPECT_EQ(c->tcp_type, TcpType::Active);
  EXPECT_EQ(to_value(*c), v);
  auto so = parse_candidate("1 1 TCP 1 192.0.2.1 5000 typ host tcptype so");
  ASSERT_TRUE(so);
  EXPECT_EQ(so->tcp_type, TcpType::So);
  EXPECT_FALSE(parse_candidate("1 1 TCP 1 192.0.2.1 5000 typ host tcptype sideways"));
}

TEST(Candidate, Ipv6SrflxRelayAndRelated) {
  auto v6 = parse_candidate("559267639 1 udp 2122267903 ::1 43940 typ host generation 0 network-id 2");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->is_ipv6());
  const std::string srflx = "2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998";
  auto c = parse_candidate(srflx);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->type, CandidateType::Srflx);
  EXPECT_EQ(c->related_address, "10.0.1.1");
  EXPECT_EQ(c->related_port, 8998);
  EXPECT_EQ(to_value(*c), srflx);
  auto relay = parse_candidate("3 2 udp 41885439 203.0.113.7 61000 typ relay raddr 198.51.100.2 rport 50000");
  ASSERT_TRUE(relay);
  EXPECT_EQ(relay->component, 2);
  EXPECT_EQ(relay->type, CandidateType::Relay);
}

TEST(Candidate, MdnsHostname) {
  auto c = parse_candidate(
      "1560499547 1 udp 2113937151 2cf0b2c0-0842-4fe3-aaa0-4556a2dfbadc.local 33192 typ host generation 0 "
      "network-cost 999");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->is_mdns());
  EXPECT_FALSE(c->is_ipv6());
}

TEST(Candidate, PrefixesAndUnknownExtensionsKept) {
  auto c = parse_candidate("candidate:1 1 UDP 2130706431 10.0.1.1 8998 typ host ufrag 8hhY x-foo bar");
  ASSERT_TRUE(c);
  ASSERT_EQ(c->extensions.size(), 2u);
  EXPECT_EQ(c->extensions[1], (std::pair<std::string, std::string>{"x-foo", "bar"}));
  EXPECT_EQ(to_value(*c), "1 1 UDP 2130706431 10.0.1.1 8998 typ host ufrag 8hhY x-foo bar");
  EXPECT_TRUE(parse_candidate("a=candidate:1 1 UDP 2130706431 10.0.1.1 8998 typ host"));
}

TEST(Candidate, RejectsMalformed) {
  for (const char* bad : {
           "",
           "1 1 UDP 2130706431 10.0.1.1 8998 typ",            // too few fields
           "1 0 UDP 2130706431 10.0.1.1 8998 typ host",       // component 0
           "1 257 UDP 2130706431 10.0.1.1 8998 typ host",     // component > 256
           "1 1 UDP 0 10.0.1.1 8998 typ host",                // priority 0
           "1 1 UDP 4294967296 10.0.1.1 8998 typ host",       // priority overflow
           "1 1 UDP 1 10.0.1.1 70000 typ host",               // port
           "1 1 UDP 1 10.0.1.1 8998 type host",               // not "typ"
           "1 1 UDP 1 10.0.1.1 8998 typ bogus",               // unknown type
           "1 1 UDP 1 10.0.1.1 8998 typ host raddr",          // dangling extension
           "1 1 UDP 1 10.0.1.1 8998 typ host rport x",        // bad rport
           "1 1 UDP 1 10.0.1.1 8998 typ host generation -1",  // bad generation
           "1 1 UDP 1 10.0.1.1/24 8998 typ host",             // bad address
           "foundation-with-dash 1 UDP 1 10.0.1.1 8998 typ host",
           "012345678901234567890123456789012 1 UDP 1 10.0.1.1 8998 typ host",  // foundation > 32
       }) {
    auto c = parse_candidate(bad);
    EXPECT_FALSE(c) << bad;
    if (!c) {
      EXPECT_EQ(c.error().code, ParseErrc::BadAttribute);
    }
  }
}

}  // namespace
}  // namespace rtcgate::sdp
