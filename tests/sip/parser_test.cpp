#include "rtcgate/sip/parser.hpp"

#include <gtest/gtest.h>

#include "rtcgate/sip/serialize.hpp"

namespace rtcgate::sip {
namespace {

constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

TEST(ParseMessage, ParsesBasicInvite) {
  const auto m = parse_message(kInvite);
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_TRUE(m->is_request());
  EXPECT_EQ(m->method(), Method::Invite);
  EXPECT_EQ(m->request_uri().user, "bob");
  EXPECT_EQ(m->request_uri().host, "biloxi.example.com");
  ASSERT_TRUE(m->top_via());
  EXPECT_EQ(m->top_via()->branch(), "z9hG4bK776asdhds");
  EXPECT_EQ(m->from()->tag(), "1928301774");
  EXPECT_EQ(m->to()->display_name, "Bob");
  EXPECT_EQ(*m->call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
  EXPECT_EQ(m->cseq()->number, 314159u);
  EXPECT_EQ(*m->max_forwards(), 70u);
  EXPECT_EQ(m->body(), "v=0\n");
}

TEST(ParseMessage, SerializeRoundTripsExactly) {
  const auto m = parse_message(kInvite);
  ASSERT_TRUE(m);
  EXPECT_EQ(serialize(*m), kInvite);
}

}  // namespace
}  // namespace rtcgate::sip
