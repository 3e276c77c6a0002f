// Pure functions of the transport layer: listen strings, Via received/rport stamping (RFC 3261
// §18.2.1, RFC 3581 §4, RFC 7118 §5.2), flow values.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "rtcgate/sip/asio/flow_token.hpp"
#include "rtcgate/sip/asio/transport_config.hpp"
#include "rtcgate/sip/asio/via_stamp.hpp"
#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/transport.hpp"

namespace rtcgate::sip::asio {
namespace {

TEST(ListenSpec, ParsesEveryKind) {
  const auto udp = parse_listen_spec("udp:127.0.0.1:5060");
  ASSERT_TRUE(udp.has_value());
  EXPECT_EQ(udp->kind, TransportKind::Udp);
  EXPECT_EQ(udp->address, (TransportAddress{"127.0.0.1", 5060}));
  EXPECT_EQ(parse_listen_spec("tcp:0.0.0.0:5060")->kind, TransportKind::Tcp);
  EXPECT_EQ(parse_listen_spec("TLS:127.0.0.1:5061")->kind, TransportKind::Tls);
  EXPECT_EQ(parse_listen_spec("ws:127.0.0.1:8080")->kind, TransportKind::Ws);
  EXPECT_EQ(parse_listen_spec("wss:127.0.0.1:8443")->kind, TransportKind::Wss);
  const auto v6 = parse_listen_spec("udp:[::1]:5060");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->address, (TransportAddress{"::1", 5060}));
  EXPECT_EQ(parse_listen_spec("udp:127.0.0.1:0")->address.port, 0);
}

TEST(ListenSpec, RejectsWithReason) {
  for (const char* bad : {"", "udp", "sctp:127.0.0.1:5060", "udp:127.0.0.1", "udp:127.0.0.1:70000",
                          "udp:127.0.0.1:50x", "udp:example.com:5060", "udp:::1:5060", "udp:[::1]5060"}) {
    const auto spec = parse_listen_spec(bad);
    EXPECT_FALSE(spec.has_value()) << bad;
    if (!spec) {
      EXPECT_NE(spec.error().find("listen '"), std::string::npos) << spec.error();
    }
  }
}

std::string request_with_via(const std::string& via) {
  return "OPTIONS sip:bob@example.com SIP/2.0\r\n"
         "Via: " +
         via +
         "\r\n"
         "From: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c1\r\n"
         "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
}

std::string top_via(const std::string& message) {
  const auto parsed = parse_message(message);
  EXPECT_TRUE(parsed.has_value()) << message;
  if (!parsed) return {};
  return std::string(parsed->first("Via").value_or(""));
}

TEST(ViaStamp, AddsReceivedWhenHostDiffers) {
  std::string m = request_with_via("SIP/2.0/UDP client.example.com:5060;branch=z9hG4bK1");
  EXPECT_EQ(stamp_via_received(m, {"192.0.2.7", 40000}), ViaStamp::Stamped);
  EXPECT_EQ(top_via(m), "SIP/2.0/UDP client.example.com:5060;branch=z9hG4bK1;received=192.0.2.7");
}

TEST(ViaStamp, LeavesMatchingHostAlone) {
  std::string m = request_with_via("SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1");
  const std::string before = m;
  EXPECT_EQ(stamp_via_received(m, {"192.0.2.7", 5060}), ViaStamp::Unchanged);
  EXPECT_EQ(m, before);
}

TEST(ViaStamp, FillsRportAndAlwaysReceived) {
  // RFC 3581 §4: with rport the server adds received even when the host matches.
  std::string m = request_with_via("SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK1");
  EXPECT_EQ(stamp_via_received(m, {"192.0.2.7", 40001}), ViaStamp::Stamped);
  EXPECT_EQ(top_via(m), "SIP/2.0/UDP 192.0.2.7:5060;rport=40001;branch=z9hG4bK1;received=192.0.2.7");
}

TEST(ViaStamp, OnlyTheTopViaOfCombinedHeader) {
  std::string m =
      request_with_via("SIP/2.0/TCP a.invalid;branch=z9hG4bK1 , SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK0");
  EXPECT_EQ(stamp_via_received(m, {"127.0.0.1", 1234}), ViaStamp::Stamped);
  const auto parsed = parse_message(m);
  ASSERT_TRUE(parsed.has_value());
  const auto vias = parsed->all("Via");
  ASSERT_EQ(vias.size(), 2u);
  EXPECT_EQ(vias[0], "SIP/2.0/TCP a.invalid;branch=z9hG4bK1;received=127.0.0.1");
  EXPECT_EQ(vias[1], "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK0");
}

TEST(ViaStamp, WebSocketInvalidHostAndCompactFormAndIpv6) {
  // JsSIP's Via (RFC 7118 §5.2): an .invalid host that only received= can correct.
  std::string ws =
      "REGISTER sip:example.com SIP/2.0\r\nv: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks\r\n"
      "From: <sip:a@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\ni: c\r\nCSeq: 1 REGISTER\r\n"
      "Content-Length: 0\r\n\r\n";
  EXPECT_EQ(stamp_via_received(ws, {"198.51.100.2", 51000}), ViaStamp::Stamped);
  EXPECT_NE(ws.find("v: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks;received=198.51.100.2\r\n"),
            std::string::npos);

  std::string v6 = request_with_via("SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK1;rport");
  EXPECT_EQ(stamp_via_received(v6, {"2001:db8::9", 6000}), ViaStamp::Stamped);
  EXPECT_EQ(top_via(v6), "SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK1;rport=6000;received=2001:db8::9");
}

TEST(ViaStamp, ReplacesStaleReceivedAndKeepsQuotedParams) {
  std::string m = request_with_via("SIP/2.0/UDP host;received=10.9.9.9;x=\"a;b\";branch=z9hG4bK1");
  EXPECT_EQ(stamp_via_received(m, {"192.0.2.1", 5060}), ViaStamp::Stamped);
  EXPECT_EQ(top_via(m), "SIP/2.0/UDP host;received=192.0.2.1;x=\"a;b\";branch=z9hG4bK1");
}

TEST(ViaStamp, IgnoresResponsesAndReportsProblems) {
  std::string response = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n\r\n";
  EXPECT_EQ(stamp_via_received(response, {"192.0.2.1", 1}), ViaStamp::NotRequest);
  std::string no_via = "OPTIONS sip:a@b SIP/2.0\r\nFrom: <sip:a@b>\r\n\r\n";
  EXPECT_EQ(stamp_via_received(no_via, {"192.0.2.1", 1}), ViaStamp::NoVia);
  std::string garbage = "OPTIONS sip:a@b SIP/2.0\r\nVia: ;;;\r\n\r\n";
  const std::string before = garbage;
  EXPECT_EQ(stamp_via_received(garbage, {"192.0.2.1", 1}), ViaStamp::Malformed);
  EXPECT_EQ(garbage, before);
  std::string folded =
      "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP\r\n  host.example;branch=z9hG4bK1\r\n\r\n";
  EXPECT_EQ(stamp_via_received(folded, {"192.0.2.1", 1}), ViaStamp::Stamped);
  EXPECT_NE(folded.find("host.example;branch=z9hG4bK1;received=192.0.2.1\r\n\r\n"), std::string::npos)
      << folded;
}

TEST(Flow, TokensAndPredicates) {
  EXPECT_EQ(via_token(TransportKind::Wss), "WSS");
  EXPECT_EQ(parse_transport_kind("Ws"), TransportKind::Ws);
  EXPECT_FALSE(parse_transport_kind("sctp").has_value());
  EXPECT_FALSE(is_reliable(TransportKind::Udp));
  EXPECT_TRUE(is_reliable(TransportKind::Ws));
  EXPECT_TRUE(is_secure(TransportKind::Tls));
  EXPECT_EQ((TransportAddress{"::1", 5060}).to_string(), "[::1]:5060");
  EXPECT_EQ((TransportAddress{"127.0.0.1", 5060}).to_string(), "127.0.0.1:5060");
  const std::error_code ec = TransportError::QueueFull;
  EXPECT_EQ(ec.category().name(), std::string("rtcgate.sip.transport"));
  EXPECT_EQ(ec.message(), "send queue full");
}

TEST(FlowTokens, RoundTripDeterministicAndUriSafe) {
  const FlowTokens tokens;
  const Flow ws{TransportKind::Ws, {"127.0.0.1", 8080}, {"192.0.2.9", 51234}, 42};
  const Flow tls6{TransportKind::Tls, {"2001:db8::1", 5061}, {"2001:db8::2", 40000}, 0xfedcba9876543210ull};
  const Flow udp{TransportKind::Udp, {"0.0.0.0", 5060}, {"10.1.2.3", 5060}, 0};
  for (const Flow& flow : {ws, tls6, udp}) {
    const std::string token = tokens.encode(flow);
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(token, tokens.encode(flow)) << "the registrar's remove_flow() needs one token per flow";
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << token;
    const auto decoded = tokens.decode(token);
    ASSERT_TRUE(decoded.has_value()) << token;
    EXPECT_EQ(*decoded, flow);
  }
  EXPECT_NE(tokens.encode(ws), tokens.encode(Flow{ws.kind, ws.local, ws.remote, 43}));
  EXPECT_EQ(tokens.encode(Flow{TransportKind::Ws, {"localhost", 1}, {"127.0.0.1", 2}, 1}), "");
}

TEST(FlowTokens, RejectsForgedAndForeignTokens) {
  const FlowTokens tokens;
  const FlowTokens other;
  const Flow flow{TransportKind::Wss, {"127.0.0.1", 443}, {"127.0.0.1", 50000}, 7};
  const std::string token = tokens.encode(flow);
  EXPECT_FALSE(other.decode(token).has_value()) << "another key (another process) does not accept it";
  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string forged = token;
    forged[i] = forged[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(tokens.decode(forged).has_value()) << "position " << i;
  }
  EXPECT_FALSE(tokens.decode("").has_value());
  EXPECT_FALSE(tokens.decode(token.substr(1)).has_value());
  EXPECT_FALSE(tokens.decode(token + "A").has_value());
  EXPECT_FALSE(tokens.decode(std::string(token.size(), '.')).has_value());

  std::array<unsigned char, FlowTokens::kKeySize> key{};
  key[0] = 1;
  const FlowTokens fixed_a(key);
  const FlowTokens fixed_b(key);
  EXPECT_EQ(fixed_b.decode(fixed_a.encode(flow)), flow) << "a shared key shares tokens";
}

}  // namespace
}  // namespace rtcgate::sip::asio
