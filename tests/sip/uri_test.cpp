// Uri, NameAddr, Via and CSeq values (RFC 3261 §19.1, §20.10, §20.42, §25.1; RFC 3581; RFC 5118).
#include <gtest/gtest.h>

#include "rtcgate/sip/header_cseq.hpp"
#include "rtcgate/sip/header_via.hpp"
#include "rtcgate/sip/name_addr.hpp"
#include "rtcgate/sip/uri.hpp"

namespace rtcgate::sip {
namespace {

Uri uri(std::string_view text) {
  auto u = parse_uri(text);
  EXPECT_TRUE(u) << text;
  return u ? *u : Uri{};
}

TEST(Uri, ParsesAllParts) {
  const Uri u =
      uri("sips:alice:secret@Atlanta.Example.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent");
  EXPECT_EQ(u.scheme, UriScheme::Sips);
  EXPECT_EQ(u.user, "alice");
  EXPECT_EQ(*u.password, "secret");
  EXPECT_EQ(u.host, "Atlanta.Example.com");
  EXPECT_EQ(*u.port, 5061);
  ASSERT_EQ(u.params.size(), 2u);
  EXPECT_EQ(*u.transport(), "tcp");
  EXPECT_TRUE(u.has_lr());
  ASSERT_EQ(u.headers.size(), 2u);
  EXPECT_EQ(u.headers[0].name, "subject");
  EXPECT_EQ(*u.headers[0].value, "project%20x");
  EXPECT_EQ(
      u.to_string(),
      "sips:alice:secret@Atlanta.Example.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent");
}

TEST(Uri, Ipv6References) {
  const Uri u = uri("sip:[2001:db8::10]:5070");
  EXPECT_EQ(u.host, "[2001:db8::10]");
  EXPECT_EQ(u.host_without_brackets(), "2001:db8::10");
  EXPECT_EQ(*u.port, 5070);
  EXPECT_FALSE(uri("sip:[2001:db8::10:5070]").port);
  EXPECT_TRUE(parse_uri("sip:[::ffff:192.0.2.1]"));
  EXPECT_TRUE(parse_uri("sip:[::1]"));
  EXPECT_FALSE(parse_uri("sip:2001:db8::10"));
  EXPECT_FALSE(parse_uri("sip:[2001:db8:::192.0.2.1]"));
  EXPECT_FALSE(parse_uri("sip:[1:2:3:4:5:6:7:8:9]"));
  EXPECT_FALSE(parse_uri("sip:[2001:db8::1"));
  EXPECT_FALSE(parse_uri("sip:[12345::1]"));
}

TEST(Uri, TelAndOtherSchemes) {
  const Uri tel = uri("tel:+1-201-555-0123;phone-context=example.com");
  EXPECT_EQ(tel.scheme, UriScheme::Tel);
  EXPECT_EQ(tel.user, "+1-201-555-0123");
  EXPECT_EQ(*tel.param("phone-context"), "example.com");
  EXPECT_EQ(tel.to_string(), "tel:+1-201-555-0123;phone-context=example.com");
  const Uri urn = uri("urn:service:sos");
  EXPECT_EQ(urn.scheme, UriScheme::Other);
  EXPECT_EQ(urn.opaque, "service:sos");
  EXPECT_EQ(urn.to_string(), "urn:service:sos");
}

TEST(Uri, RejectsMalformed) {
  for (std::string_view bad :
       {"", "sip", "sip:", "sip:@host", "sip:user@", "sip:user@host:99999",
        "sip:user@host:", "sip:user@ho st", "sip:user@host;=x", "sip:user@host;a=", "sip:us%zzer@host",
        "sip:user@-host", "1sip:user@host", "sip:user@host?x", "mailto:", "sip:a@b:5060x"}) {
    EXPECT_FALSE(parse_uri(bad)) << bad;
  }
}

TEST(Uri, ComparisonFollowsRfc3261Section19_1_4) {
  // The equivalent and non-equivalent pairs listed in RFC 3261 §19.1.4.
  EXPECT_TRUE(uri("sip:%61lice@atlanta.com;transport=TCP") == uri("sip:alice@AtLanTa.CoM;Transport=tcp"));
  EXPECT_TRUE(uri("sip:carol@chicago.com") == uri("sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(uri("sip:carol@chicago.com;security=on") == uri("sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(uri("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com") ==
              uri("sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
  EXPECT_TRUE(uri("sip:alice@atlanta.com?subject=project%20x&priority=urgent") ==
              uri("sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
  EXPECT_FALSE(uri("SIP:ALICE@AtLanTa.CoM;Transport=udp") == uri("sip:alice@AtLanTa.CoM;Transport=UDP"));
  EXPECT_FALSE(uri("sip:bob@biloxi.com") == uri("sip:bob@biloxi.com:5060"));
  EXPECT_FALSE(uri("sip:bob@biloxi.com") == uri("sip:bob@biloxi.com;transport=udp"));
  EXPECT_FALSE(uri("sip:bob@biloxi.com") == uri("sip:bob@biloxi.com:6000;transport=tcp"));
  EXPECT_FALSE(uri("sip:carol@chicago.com") == uri("sip:carol@chicago.com?Subject=next%20meeting"));
  EXPECT_FALSE(uri("sip:bob@phone21.boxesbybob.com") == uri("sip:bob@192.0.2.4"));
  EXPECT_FALSE(uri("sip:carol@chicago.com;security=on") == uri("sip:carol@chicago.com;security=off"));
  EXPECT_FALSE(uri("sip:alice@atlanta.com") == uri("sips:alice@atlanta.com"));
}

TEST(Uri, Unescape) {
  EXPECT_EQ(unescape("a%20b%2"), "a b%2");
  EXPECT_EQ(unescape("%zz%41"), "%zzA");
}

TEST(NameAddr, Forms) {
  auto a = parse_name_addr("\"Alice \\\"A\\\"\" <sip:alice@atlanta.com;transport=tcp>;tag=1928301774;x");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->display_name, "Alice \"A\"");
  EXPECT_EQ(*a->uri.transport(), "tcp");
  EXPECT_EQ(a->tag(), "1928301774");
  EXPECT_EQ(*a->param("x"), "");
  EXPECT_EQ(a->to_string(), "\"Alice \\\"A\\\"\" <sip:alice@atlanta.com;transport=tcp>;tag=1928301774;x");

  auto b = parse_name_addr("sip:bob@biloxi.com;tag=a6c85cf");
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->angle_brackets);
  EXPECT_TRUE(b->uri.params.empty());  // RFC 3261 §20: header parameter, not URI parameter
  EXPECT_EQ(b->tag(), "a6c85cf");
  EXPECT_EQ(b->to_string(), "sip:bob@biloxi.com;tag=a6c85cf");

  auto c = parse_name_addr("Bob Smith <sip:bob@biloxi.com>");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->display_name, "Bob Smith");

  auto d = parse_name_addr(
      "<sip:bob@biloxi.com>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";reg-id=1");
  ASSERT_TRUE(d);
  EXPECT_EQ(*d->param("+sip.instance"), "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>");
  EXPECT_TRUE(find_param(d->params, "+sip.instance")->quoted);
  EXPECT_EQ(*d->param("reg-id"), "1");
}

TEST(NameAddr, SetTagAndWriteBracketsWhenNeeded) {
  NameAddr n;
  n.uri = uri("sip:a@b;lr");
  n.angle_brackets = false;
  n.set_tag("xyz");
  EXPECT_EQ(n.to_string(), "<sip:a@b;lr>;tag=xyz");
}

TEST(NameAddr, RejectsMalformed) {
  for (std::string_view bad :
       {"", "\"unterminated <sip:a@b>", "<sip:a@b", "Bell, Alexander <sip:a@b>", "< sip:a@b >", "<sip:a@b>;",
        "<sip:a@b>;tag=\"x", "sip:a@b?x=y", "\"x\" sip:a@b"}) {
    EXPECT_FALSE(parse_name_addr(bad)) << bad;
  }
}

TEST(Via, ParsesParams) {
  auto v = parse_via(
      "SIP/2.0/UDP "
      "[2001:db8::1]:5062;branch=z9hG4bK776asdhds;rport;received=192.0.2.1;maddr=224.2.0.1;ttl=16;x=\"y\"");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->transport, "UDP");
  EXPECT_EQ(v->host, "[2001:db8::1]");
  EXPECT_EQ(*v->port, 5062);
  EXPECT_EQ(v->branch(), "z9hG4bK776asdhds");
  EXPECT_TRUE(v->has_rfc3261_branch());
  EXPECT_TRUE(v->has_rport());
  EXPECT_FALSE(v->rport());
  EXPECT_EQ(*v->received(), "192.0.2.1");
  EXPECT_EQ(*v->maddr(), "224.2.0.1");
  EXPECT_EQ(*v->ttl(), 16);
  v->set_rport(5062);
  v->set_received("192.0.2.7");
  EXPECT_EQ(*v->rport(), 5062);
  EXPECT_EQ(
      v->to_string(),
      "SIP/2.0/UDP [2001:db8::1]:5062;branch=z9hG4bK776asdhds;rport=5062;received=192.0.2.7;maddr=224.2.0.1;"
      "ttl=16;x=\"y\"");
}

TEST(Via, WebSocketTransportAndLws) {
  auto v = parse_via("SIP / 2.0 / WSS  df7jal23ls0d.invalid ; branch = z9hG4bK56sdasks");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->transport, "WSS");
  EXPECT_EQ(v->host, "df7jal23ls0d.invalid");
  EXPECT_EQ(v->branch(), "z9hG4bK56sdasks");
}

TEST(Via, RejectsMalformed) {
  for (std::string_view bad :
       {"", "SIP/2.0/UDP", "SIP/2.0 host", "SIP/2.0/UDPhost", "SIP/2.0/UDP host;;", "SIP/2.0/UDP host:70000",
        "SIP/2.0/UDP host;ttl=300", "SIP/2.0/UDP host;rport=x", "SIP/2.0/UDP host;branch", "SIP/2.0/UDP [::1",
        "SIP/2.0/UDP host junk"}) {
    EXPECT_FALSE(parse_via(bad)) << bad;
  }
}

TEST(CSeq, ParsesAndWrites) {
  auto c = parse_cseq("4711   INVITE");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->number, 4711u);
  EXPECT_EQ(c->method, Method::Invite);
  EXPECT_EQ(c->to_string(), "4711 INVITE");
  EXPECT_EQ(make_cseq(2, Method::Bye).to_string(), "2 BYE");
  auto ext = parse_cseq("1 FOO");
  ASSERT_TRUE(ext);
  EXPECT_EQ(ext->method, Method::Extension);
  EXPECT_EQ(ext->method_token, "FOO");
  EXPECT_TRUE(parse_cseq("4294967295 ACK"));
  EXPECT_FALSE(parse_cseq("4294967296 ACK"));
  EXPECT_FALSE(parse_cseq("INVITE"));
  EXPECT_FALSE(parse_cseq("1"));
  EXPECT_FALSE(parse_cseq("1INVITE"));
  EXPECT_FALSE(parse_cseq("-1 INVITE"));
}

}  // namespace
}  // namespace rtcgate::sip
