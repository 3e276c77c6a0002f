#include "rtcgate/sip/parser.hpp"

#include <gtest/gtest.h>

#include <random>

#include "rtcgate/sip/identifiers.hpp"
#include "rtcgate/sip/response.hpp"
#include "rtcgate/sip/serialize.hpp"
#include "rtcgate/sip/stream_framer.hpp"

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

std::string request_with(std::string_view extra_headers, std::string_view body = {}) {
  std::string s =
      "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877\r\n"
      "Max-Forwards: 70\r\n"
      "To: <sip:carol@chicago.example.com>\r\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
      "Call-ID: a84b4c76e66710\r\n"
      "CSeq: 63104 OPTIONS\r\n";
  s.append(extra_headers);
  s.append("\r\n");
  s.append(body);
  return s;
}

TEST(ParseMessage, CompactFormsMapToLongNames) {
  const std::string text =
      "INVITE sip:b@example.com SIP/2.0\r\n"
      "v: SIP/2.0/TCP a.example.com;branch=z9hG4bK1\r\n"
      "f: <sip:a@example.com>;tag=1\r\nt: <sip:b@example.com>\r\ni: cid\r\n"
      "CSeq: 1 INVITE\r\nm: <sip:a@a.example.com;transport=tcp>\r\nk: timer, 100rel\r\n"
      "u: talk\r\no: presence\r\ns: hi\r\nx: 1800\r\nc: application/sdp\r\nl: 3\r\n\r\nabc";
  const auto m = parse_message(text);
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_EQ(m->headers()[0].id, HeaderId::Via);
  EXPECT_EQ(m->headers()[0].canonical_name(), "Via");
  EXPECT_EQ(m->headers()[0].name, "v");
  EXPECT_EQ(*m->call_id(), "cid");
  EXPECT_EQ(*m->first("Call-ID"), "cid");
  EXPECT_EQ(*m->first("CALL-id"), "cid");
  EXPECT_EQ(m->all("Supported").size(), 2u);
  EXPECT_EQ(*m->first("Allow-Events"), "talk");
  EXPECT_EQ(*m->first("Event"), "presence");
  EXPECT_EQ(*m->first("Subject"), "hi");
  EXPECT_EQ(*m->first("Session-Expires"), "1800");
  EXPECT_EQ(*m->content_type(), "application/sdp");
  EXPECT_EQ(*m->content_length(), 3u);
  EXPECT_EQ(m->body(), "abc");
  // Names are kept as received; a comma-combined list comes back one element per line.
  std::string expected = text;
  expected.replace(expected.find("k: timer, 100rel"), 16, "k: timer\r\nk: 100rel");
  EXPECT_EQ(serialize(*m), expected);
}

TEST(ParseMessage, FoldingIsUndone) {
  const auto m = parse_message(
      request_with("Subject: I know you're there,\r\n   pick up the phone\r\n\tand talk to me!\r\n"));
  ASSERT_TRUE(m);
  EXPECT_EQ(*m->first("Subject"), "I know you're there, pick up the phone and talk to me!");
}

TEST(ParseMessage, ListHeadersSplitOnCommasOutsideQuotesAndBrackets) {
  const auto m = parse_message(request_with(
      "Contact: \"Lee, Bob\" <sip:bob@a.example.com>;x=\"a,b\", <sip:lee,bob@b.example.com?h=1>;q=0.5\r\n"
      "Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>\r\nRoute: <sip:p3.example.com;lr>\r\n"
      "Record-Route: <sip:rr.example.com;lr>\r\n"
      "Allow: INVITE, ACK,OPTIONS , BYE\r\n"
      "Authorization: Digest username=\"bob\", realm=\"x\", nonce=\"n\", uri=\"sip:x\", response=\"r\"\r\n"
      "Warning: 301 isi.edu \"Incompatible, network\", 307 isi.edu \"Session parameter 'foo' not "
      "understood\"\r\n"));
  ASSERT_TRUE(m) << m.error().reason;
  const auto contacts = m->contacts();
  ASSERT_TRUE(contacts);
  ASSERT_EQ(contacts->contacts.size(), 2u);
  EXPECT_EQ(contacts->contacts[0].display_name, "Lee, Bob");
  EXPECT_EQ(*contacts->contacts[0].param("x"), "a,b");
  EXPECT_EQ(contacts->contacts[1].uri.user, "lee,bob");
  EXPECT_EQ(contacts->contacts[1].uri.headers.size(), 1u);
  EXPECT_EQ(*contacts->contacts[1].param("q"), "0.5");
  const auto routes = m->routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[2].uri.host, "p3.example.com");
  EXPECT_EQ(m->record_routes().size(), 1u);
  EXPECT_EQ(m->all("Allow"), (std::vector<std::string_view>{"INVITE", "ACK", "OPTIONS", "BYE"}));
  EXPECT_EQ(m->count("Authorization"), 1u);  // credentials are not a list
  EXPECT_EQ(m->count("Warning"), 2u);
}

TEST(ParseMessage, WildcardContact) {
  const auto m = parse_message(request_with("Contact: *\r\nExpires: 0\r\n"));
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->contacts()->wildcard);
  EXPECT_EQ(*m->expires(), 0u);
  const auto bad = parse_message(request_with("Contact: *, <sip:a@b>\r\n"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ParseErrorCode::BadNameAddr);
}

TEST(ParseMessage, LeadingCrlfBareLfAndCaseInsensitiveVersion) {
  std::string text = "\r\n\r\n" + request_with("");
  std::string lf;
  for (char c : text) {
    if (c != '\r') lf.push_back(c);
  }
  EXPECT_TRUE(parse_message(text));
  const auto m = parse_message(lf);
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_EQ(m->headers().size(), 6u);
}

TEST(ParseMessage, BodyWithoutContentLengthTakesTheRestOnDatagrams) {
  const auto m = parse_message(request_with("", "hello"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->body(), "hello");
  ParseLimits stream;
  stream.require_content_length = true;
  const auto s = parse_message(request_with("", "hello"), stream);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ParseErrorCode::MissingContentLength);
}

TEST(ParseMessage, ErrorsNameTheProblem) {
  struct Bad {
    std::string text;
    ParseErrorCode code;
  };
  const std::vector<Bad> cases = {
      {"", ParseErrorCode::Empty},
      {"\r\n\r\n", ParseErrorCode::Empty},
      {"INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n", ParseErrorCode::BadHeaderLine},
      {"INVITE sip:a@b\r\n\r\n", ParseErrorCode::BadStartLine},
      {"INV@TE sip:a@b SIP/2.0\r\n\r\n", ParseErrorCode::BadMethod},
      {"SIP/2.0 20 OK\r\n\r\n", ParseErrorCode::BadStatusCode},
      {"SIP/2.0 700 Huh\r\n\r\n", ParseErrorCode::BadStatusCode},
      {"SIP/3.0 200 OK\r\n\r\n", ParseErrorCode::BadVersion},
      {request_with("Bad Header: x\r\n"), ParseErrorCode::BadHeaderLine},
      {request_with("NoColon\r\n"), ParseErrorCode::BadHeaderLine},
      {request_with("Max-Forwards: 256\r\n"), ParseErrorCode::BadMaxForwards},
      {request_with("Expires: soon\r\n"), ParseErrorCode::BadExpires},
      {request_with("Content-Length: 10\r\n", "short"), ParseErrorCode::BodyTruncated},
      {request_with("Content-Length: 1\r\nContent-Length: 1\r\n", "x"), ParseErrorCode::DuplicateHeader},
      {request_with("Call-ID: second\r\n"), ParseErrorCode::DuplicateHeader},
  };
  for (const Bad& b : cases) {
    const auto m = parse_message(b.text);
    ASSERT_FALSE(m) << b.text;
    EXPECT_EQ(m.error().code, b.code) << b.text << " -> " << m.error().reason;
  }
  const auto no_call_id = parse_message(
      "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:a@b>\r\nFrom: "
      "<sip:c@d>;tag=1\r\n"
      "CSeq: 1 OPTIONS\r\n\r\n");
  ASSERT_FALSE(no_call_id);
  EXPECT_EQ(no_call_id.error().code, ParseErrorCode::MissingHeader);
  const auto bad_via = parse_message(request_with("Via: SIP/2.0/UDP\r\n"));
  ASSERT_FALSE(bad_via);
  EXPECT_EQ(bad_via.error().code, ParseErrorCode::BadVia);
  EXPECT_GT(parse_message(request_with("Bad Header: x\r\n")).error().line, 7u);
}

TEST(ParseMessage, ErrorsCarryTheLineAndOffsetOfTheBadHeader) {
  // request_with() puts its extra headers on line 8; a folded value keeps its first line.
  const std::string text =
      request_with("Subject: fine\r\nRoute: <sip:p1.example.com;lr>,\r\n <sip:bad host>\r\n");
  const auto m = parse_message(text);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ParseErrorCode::BadNameAddr);
  EXPECT_EQ(m.error().line, 9u);
  EXPECT_EQ(m.error().offset, text.find("Route:"));
  const std::string dup = request_with("CSeq: 2 OPTIONS\r\n");
  const auto d = parse_message(dup);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ParseErrorCode::DuplicateHeader);
  EXPECT_EQ(d.error().line, 8u);
  EXPECT_EQ(d.error().offset, dup.rfind("CSeq:"));
}

TEST(ParseMessage, ChecksReliableProvisionalAndSessionTimerHeaders) {
  EXPECT_TRUE(parse_message(
      request_with("RSeq: 988789\r\nRAck: 776656 1 INVITE\r\nSession-Expires: 1800;refresher=uas\r\n"
                   "Min-SE: 90\r\nMin-Expires: 60\r\n")));
  const std::vector<std::pair<std::string, ParseErrorCode>> bad = {
      {"RSeq: -1\r\n", ParseErrorCode::BadHeaderValue},
      {"RAck: 776656 INVITE\r\n", ParseErrorCode::BadHeaderValue},
      {"RAck: 1 2 IN VITE\r\n", ParseErrorCode::BadHeaderValue},
      {"Session-Expires: soon\r\n", ParseErrorCode::BadHeaderValue},
      {"x: 1800;refresher\"\r\n", ParseErrorCode::BadHeaderValue},
      {"Min-Expires: 4294967296\r\n", ParseErrorCode::BadExpires},
      {"Date: Sat, 13 Nov 2010 23:29:00 PST\r\n", ParseErrorCode::BadHeaderValue},
  };
  for (const auto& [header, code] : bad) {
    const auto m = parse_message(request_with(header));
    ASSERT_FALSE(m) << header;
    EXPECT_EQ(m.error().code, code) << header;
  }
  // Repeating a header the stack reads once is an error; other repeated singles are tolerated.
  EXPECT_EQ(parse_message(request_with("RSeq: 1\r\nRSeq: 2\r\n")).error().code,
            ParseErrorCode::DuplicateHeader);
  EXPECT_TRUE(parse_message(request_with("Organization: a\r\nOrganization: b\r\n")));
}

TEST(ParseMessage, LimitsHaveTheirOwnCodes) {
  ParseLimits limits;
  limits.max_message_size = 100;
  EXPECT_EQ(parse_message(request_with(""), limits).error().code, ParseErrorCode::MessageTooLarge);
  limits = {};
  limits.max_headers = 7;  // request_with() has six headers
  EXPECT_TRUE(parse_message(request_with("X: 1\r\n"), limits));
  EXPECT_EQ(parse_message(request_with("X: 1\r\nY: 2\r\n"), limits).error().code,
            ParseErrorCode::TooManyHeaders);
  EXPECT_EQ(parse_message(request_with("Allow: A, B\r\n"), limits).error().code,
            ParseErrorCode::TooManyHeaders);
  limits = {};
  limits.max_header_length = 100;
  EXPECT_EQ(parse_message(request_with("X: " + std::string(200, 'a') + "\r\n"), limits).error().code,
            ParseErrorCode::HeaderTooLong);
  EXPECT_EQ(parse_message(request_with("X: a\r\n " + std::string(200, 'a') + "\r\n"), limits).error().code,
            ParseErrorCode::HeaderTooLong);
}

TEST(Message, HeaderEditing) {
  auto m = parse_message(request_with("Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"));
  ASSERT_TRUE(m);
  Via mine;
  mine.transport = "TCP";
  mine.host = "gw.example.com";
  mine.set_branch("z9hG4bKgw1");
  m->add_via_front(mine);
  EXPECT_EQ(m->top_via()->host, "gw.example.com");
  EXPECT_EQ(m->vias().size(), 2u);
  EXPECT_TRUE(m->remove_first("Route"));
  EXPECT_EQ(m->routes()[0].uri.host, "p2.example.com");
  m->replace("max-forwards", "69");
  EXPECT_EQ(*m->max_forwards(), 69u);
  EXPECT_EQ(m->count("Max-Forwards"), 1u);
  m->add("X-Custom", "1");
  m->add("x-custom", "2");
  EXPECT_EQ(m->all("X-CUSTOM").size(), 2u);
  EXPECT_EQ(m->remove("X-Custom"), 2u);
  m->set_body("v=0\r\n", "application/sdp");
  const std::string wire = serialize(*m);
  EXPECT_NE(wire.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Content-Type: application/sdp\r\n"), std::string::npos);
  const auto again = parse_message(wire);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body(), "v=0\r\n");
  EXPECT_EQ(again->top_via()->branch(), "z9hG4bKgw1");
}

TEST(Message, BuildRequestFromScratch) {
  auto target = parse_uri("sip:bob@biloxi.example.com");
  ASSERT_TRUE(target);
  Message m = Message::request(Method::Invite, *target);
  Via via;
  via.host = "192.0.2.1";
  via.port = 5060;
  via.set_branch(make_branch());
  via.params.push_back(Param{"rport", std::nullopt, false});
  m.add_via_front(via);
  m.set_max_forwards(70);
  NameAddr from;
  from.uri = *parse_uri("sip:alice@atlanta.example.com");
  from.set_tag(make_tag());
  m.set_from(from);
  NameAddr to;
  to.uri = *target;
  m.set_to(to);
  m.set_call_id(make_call_id("192.0.2.1"));
  m.set_cseq(make_cseq(1, Method::Invite));
  const auto parsed = parse_message(serialize(m));
  ASSERT_TRUE(parsed) << parsed.error().reason << "\n" << serialize(m);
  EXPECT_TRUE(parsed->top_via()->has_rfc3261_branch());
  EXPECT_EQ(parsed->top_via()->branch().size(), 7u + 32u);
  EXPECT_EQ(parsed->from()->tag().size(), 16u);
  EXPECT_TRUE(parsed->call_id()->ends_with("@192.0.2.1"));
  EXPECT_NE(make_branch(), make_branch());
}

TEST(Response, CopiesHeadersPerRfc3261Section8_2_6) {
  const auto req = parse_message(
      "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2\r\n"
      "v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK1;rport=5060;received=192.0.2.1\r\n"
      "Max-Forwards: 69\r\nTo: Bob <sip:bob@biloxi.example.com>\r\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\nCall-ID: a84b4c76e66710\r\n"
      "CSeq: 314159 INVITE\r\nTimestamp: 54\r\nContact: <sip:alice@pc33.atlanta.example.com>\r\n"
      "Content-Length: 0\r\n\r\n");
  ASSERT_TRUE(req);
  const Message ringing = make_response(*req, 180, "", "a6c85cf");
  EXPECT_EQ(ringing.status(), 180);
  EXPECT_EQ(ringing.reason(), "Ringing");
  ASSERT_EQ(ringing.vias().size(), 2u);
  EXPECT_EQ(ringing.vias()[1].branch(), "z9hG4bK1");
  EXPECT_EQ(ringing.to()->tag(), "a6c85cf");
  EXPECT_EQ(ringing.from()->tag(), "1928301774");
  EXPECT_EQ(*ringing.call_id(), "a84b4c76e66710");
  EXPECT_EQ(ringing.cseq()->number, 314159u);
  EXPECT_EQ(*ringing.first("Timestamp"), "54");
  EXPECT_FALSE(ringing.has("Contact"));
  const Message trying = make_response(*req, 100, "Trying");
  EXPECT_TRUE(trying.to()->tag().empty());
  const auto wire = parse_message(serialize(ringing));
  ASSERT_TRUE(wire) << wire.error().reason;
  EXPECT_TRUE(wire->is_response());
}

TEST(Response, BadRequestForMalformedRequest) {
  const std::string text =
      "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK1\r\n"
      "To: <sip:bob@biloxi.example.com>\r\nFrom: <sip:alice@atlanta.example.com>;tag=1\r\n"
      "Call-ID: abc\r\nCSeq: 1 INVITE\r\nMax-Forwards: 300\r\n\r\n";
  const auto parsed = parse_message(text);
  ASSERT_FALSE(parsed);
  const auto answer = make_bad_request(text, parsed.error(), "gw.example.com");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status(), 400);
  EXPECT_EQ(answer->top_via()->branch(), "z9hG4bK1");
  EXPECT_FALSE(answer->to()->tag().empty());
  const auto warning = answer->first("Warning");
  ASSERT_TRUE(warning);
  EXPECT_TRUE(warning->starts_with("399 gw.example.com \"BadMaxForwards"));
  EXPECT_EQ(answer->reason(), "Malformed Max-Forwards");
  EXPECT_TRUE(parse_message(serialize(*answer)));

  // RFC 4475 insuf: the answer needs only what the client matches on (top Via, CSeq).
  const std::string no_call_id =
      "INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "To: <sip:b@c>\r\nFrom: <sip:a@b>;tag=1\r\nCSeq: 1 INVITE\r\n\r\n";
  const auto missing = make_bad_request(no_call_id, parse_message(no_call_id).error(), "gw");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status(), 400);
  EXPECT_EQ(missing->reason(), "Missing Header Field");
  EXPECT_FALSE(missing->has("Call-ID"));
  const std::string no_cseq =
      "INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "To: <sip:b@c>\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: x\r\n\r\n";
  EXPECT_FALSE(make_bad_request(no_cseq, parse_message(no_cseq).error(), "gw"));
  const std::string bad_top_via =
      "OPTIONS sip:b@c SIP/2.0\r\nVia: SIP/2.0/UDP\r\nTo: <sip:b@c>\r\nFrom: <sip:a@b>;tag=1\r\n"
      "Call-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n";
  EXPECT_FALSE(make_bad_request(bad_top_via, parse_message(bad_top_via).error(), "gw"));
  // A value with a lone CR would end a line in the answer: never echoed.
  const std::string cr_in_value =
      "OPTIONS sip:b@c SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nTo: <sip:b@c>\r;x=1\nFrom: "
      "<sip:a@b>;tag=1\n"
      "Call-ID: x\nCSeq: 1 OPTIONS\nMax-Forwards: x\n\n";
  ASSERT_FALSE(parse_message(cr_in_value));
  EXPECT_FALSE(make_bad_request(cr_in_value, parse_message(cr_in_value).error(), "gw"));
  // Status codes other than 400 (RFC 3261 §21.5.6, §21.5.9).
  const std::string v3 =
      "OPTIONS sip:b@c SIP/3.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq: 1 OPTIONS\r\n\r\n";
  const auto version = make_bad_request(v3, parse_message(v3).error(), "gw");
  ASSERT_TRUE(version);
  EXPECT_EQ(version->status(), 505);
  EXPECT_EQ(bad_request_status(ParseErrorCode::MessageTooLarge), 513);
  EXPECT_EQ(bad_request_reason(ParseErrorCode::BadVia), "Malformed Via");
  const std::string response = "SIP/2.0 999 x\r\n\r\n";
  EXPECT_FALSE(make_bad_request(response, parse_message(response).error(), "gw"));
  const std::string ack =
      "ACK sip:b@c SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:b@c>\r\nFrom: "
      "<sip:a@b>;tag=1\r\n"
      "Call-ID: x\r\nCSeq: 1 ACK\r\nMax-Forwards: 999\r\n\r\n";
  EXPECT_FALSE(make_bad_request(ack, parse_message(ack).error(), "gw"));
}

TEST(Message, TypedAccessForUaAndB2buaHeaders) {
  const auto m = parse_message(request_with(
      "Supported: timer, 100rel\r\nk: outbound\r\nRequire: 100rel\r\nProxy-Require: sec-agree\r\n"
      "Allow: INVITE, ACK, BYE\r\nUnsupported: foo\r\nRSeq: 988789\r\nRAck: 776656 1 INVITE\r\n"
      "x: 1800;refresher=uac\r\nMin-SE: 90\r\nMin-Expires: 60\r\n"
      "Path: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\nService-Route: "
      "<sip:orig@sr.example.com;lr>\r\n"
      "P-Asserted-Identity: \"Cullen Jennings\" <sip:fluffy@cisco.com>, <tel:+14085264000>\r\n"
      "r: <sip:carol@chicago.example.com?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345>\r\n"
      "b: <sip:referrer@example.com>\r\nReply-To: Bob <sip:bob@biloxi.example.com>\r\n"));
  ASSERT_TRUE(m) << m.error().reason;
  EXPECT_EQ(m->supported(), (std::vector<std::string_view>{"timer", "100rel", "outbound"}));
  EXPECT_TRUE(m->supports("outbound"));
  EXPECT_TRUE(m->supports("TIMER"));
  EXPECT_FALSE(m->supports("gruu"));
  EXPECT_TRUE(m->requires_option("100rel"));
  EXPECT_EQ(m->proxy_require(), (std::vector<std::string_view>{"sec-agree"}));
  EXPECT_EQ(m->unsupported().size(), 1u);
  EXPECT_EQ(m->allow().size(), 3u);
  EXPECT_TRUE(m->allows("BYE"));
  EXPECT_FALSE(m->allows("bye"));  // methods are case-sensitive (RFC 3261 §7.1)
  EXPECT_EQ(*m->rseq(), 988789u);
  EXPECT_EQ(m->rack()->rseq, 776656u);
  EXPECT_EQ(m->rack()->cseq.number, 1u);
  EXPECT_EQ(m->rack()->cseq.method, Method::Invite);
  EXPECT_EQ(m->rack()->to_string(), "776656 1 INVITE");
  EXPECT_EQ(m->session_expires()->seconds, 1800u);
  EXPECT_EQ(m->session_expires()->refresher, "uac");
  EXPECT_EQ(*m->min_se(), 90u);
  EXPECT_EQ(*m->min_expires(), 60u);
  ASSERT_EQ(m->paths().size(), 2u);
  EXPECT_EQ(m->paths()[1].uri.host, "p2.example.com");
  EXPECT_EQ(m->service_routes()[0].uri.user, "orig");
  ASSERT_EQ(m->p_asserted_identities().size(), 2u);
  EXPECT_EQ(m->p_asserted_identities()[0].display_name, "Cullen Jennings");
  EXPECT_EQ(m->p_asserted_identities()[1].uri.scheme, UriScheme::Tel);
  EXPECT_EQ(m->refer_to()->uri.headers[0].name, "Replaces");
  EXPECT_EQ(unescape(*m->refer_to()->uri.headers[0].value), "12345@192.168.118.3;to-tag=12345");
  EXPECT_EQ(m->referred_by()->uri.user, "referrer");
  EXPECT_EQ(m->reply_to()->display_name, "Bob");
  EXPECT_FALSE(parse_message(request_with(""))->session_expires());
}

TEST(Message, TypedSettersWriteParseableHeaders) {
  auto m = parse_message(request_with(""));
  ASSERT_TRUE(m);
  NameAddr contact;
  contact.uri = *parse_uri("sip:alice@192.0.2.1:5060;transport=tcp");
  set_param(contact.params, "expires", "3600");
  m->add_contact(contact);
  m->set_expires(3600);
  NameAddr route;
  route.uri = *parse_uri("sip:p1.example.com;lr");
  m->add_route(route);
  NameAddr rr;
  rr.uri = *parse_uri("sip:gw.example.com;lr");
  m->add("Record-Route", "<sip:downstream.example.com;lr>");
  m->add_record_route_front(rr);
  const auto again = parse_message(serialize(*m));
  ASSERT_TRUE(again) << again.error().reason;
  EXPECT_EQ(*again->contacts()->contacts[0].param("expires"), "3600");
  EXPECT_EQ(*again->contacts()->contacts[0].uri.transport(), "tcp");
  EXPECT_EQ(*again->expires(), 3600u);
  EXPECT_TRUE(again->routes()[0].uri.has_lr());
  ASSERT_EQ(again->record_routes().size(), 2u);
  EXPECT_EQ(again->record_routes()[0].uri.host, "gw.example.com");
}

TEST(Message, UnknownHeadersSurviveInOrderWithTheirSpelling) {
  const std::string text = request_with(
      "X-Weird-Header: \"quoted, with comma\" ;p=1\r\nP-Charging-Vector: icid-value=1234bc9876e\r\n"
      "x-lower: a, b, c\r\nNewFangledHeader: newfangled value\r\n");
  const auto m = parse_message(text);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->count("x-weird-header"), 1u);
  EXPECT_EQ(*m->first("X-LOWER"), "a, b, c");  // unknown headers are never split
  EXPECT_EQ(serialize(*m), text.substr(0, text.size() - 2) + "Content-Length: 0\r\n\r\n");
}

// ----- StreamFramer (RFC 3261 §18.3, RFC 5626 §4.4.1) -----

// What a framer produced: message bytes, or "PING".
std::vector<std::string> drain(StreamFramer& framer, bool& failed) {
  std::vector<std::string> out;
  while (true) {
    const StreamFramer::Frame f = framer.next();
    if (f == StreamFramer::Frame::NeedMore) return out;
    if (f == StreamFramer::Frame::Error) {
      failed = true;
      return out;
    }
    out.emplace_back(f == StreamFramer::Frame::Ping ? std::string("PING") : std::string(framer.message()));
  }
}

std::vector<std::string> frame_in_chunks(std::string_view stream, const std::vector<std::size_t>& sizes,
                                         bool& failed, FramerLimits limits = {}) {
  StreamFramer framer(limits);
  std::vector<std::string> out;
  std::size_t at = 0;
  for (std::size_t i = 0; at < stream.size(); ++i) {
    const std::size_t n = std::min(sizes[i % sizes.size()], stream.size() - at);
    framer.feed(stream.substr(at, n));
    at += n;
    for (std::string& m : drain(framer, failed))
      out.push_back(std::move(m));
  }
  return out;
}

// Several messages back to back: compact and folded Content-Length, a bare-LF message, a body
// holding CRLFCRLF, with keep-alive pings and stray CRLFs between them.
std::vector<std::string> stream_messages() {
  return {
      std::string(kInvite),
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nTo: <sip:b@c>;tag=2\r\nFrom: "
      "<sip:a@b>;tag=1\r\n"
      "Call-ID: x\r\nCSeq: 1 INVITE\r\nl: 9\r\n\r\n\r\n\r\nv=0\r\n",
      "OPTIONS sip:b@c SIP/2.0\nVia: SIP/2.0/TCP h;branch=z9hG4bK2\nTo: <sip:b@c>\nFrom: <sip:a@b>;tag=1\n"
      "Call-ID: y\nCSeq: 2 OPTIONS\nContent-Length:\n  0\n\n",
      "BYE sip:b@c SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK3\r\nTo: <sip:b@c>;tag=2\r\n"
      "From: <sip:a@b>;tag=1\r\nCall-ID: x\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n"};
}

TEST(StreamFramer, ArbitraryChunkingYieldsTheSameFrames) {
  const auto messages = stream_messages();
  std::string stream = "\r\n" + messages[0] + "\r\n\r\n" + messages[1] + messages[2] + "\r\n" + messages[3] +
                       "\r\n\r\n\r\n\r\n";
  const std::vector<std::string> expected = {messages[0], "PING", messages[1], messages[2],
                                             messages[3], "PING", "PING"};
  bool failed = false;
  EXPECT_EQ(frame_in_chunks(stream, {stream.size()}, failed), expected);
  EXPECT_EQ(frame_in_chunks(stream, {1}, failed), expected);
  std::mt19937 rng(4475);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::size_t> sizes(16);
    std::uniform_int_distribution<std::size_t> size(1, round % 2 == 0 ? 7 : 600);
    for (std::size_t& n : sizes)
      n = size(rng);
    ASSERT_EQ(frame_in_chunks(stream, sizes, failed), expected) << "round " << round;
  }
  EXPECT_FALSE(failed);
  ParseLimits on_stream;
  on_stream.require_content_length = true;
  for (const std::string& m : messages) {
    const auto parsed = parse_message(m, on_stream);
    EXPECT_TRUE(parsed) << m;
  }
  EXPECT_EQ(parse_message(messages[1])->body(), "\r\n\r\nv=0\r\n");
}

TEST(StreamFramer, PingIsAnsweredWithOneCrlfAndPongsAreSkipped) {
  StreamFramer server;
  server.feed("\r\n");
  EXPECT_EQ(server.next(), StreamFramer::Frame::NeedMore);  // maybe the first half of a ping
  server.feed("\r\n");
  EXPECT_EQ(server.next(), StreamFramer::Frame::Ping);
  EXPECT_EQ(kKeepAlivePong, "\r\n");
  EXPECT_EQ(server.next(), StreamFramer::Frame::NeedMore);
  EXPECT_EQ(server.buffered(), 0u);
  // A client receiving the pong (one CRLF) and then a request sees only the request.
  StreamFramer client;
  client.feed("\r\n");
  client.feed(kInvite);
  EXPECT_EQ(client.next(), StreamFramer::Frame::Message);
  EXPECT_EQ(client.message(), kInvite);
}

TEST(StreamFramer, LimitsAndBadInputAreStickyErrors) {
  struct Bad {
    std::string stream;
    ParseErrorCode code;
  };
  FramerLimits limits;
  limits.max_header_block = 512;
  limits.max_body = 16;
  const std::string head = "MESSAGE sip:b@c SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n";
  const std::vector<Bad> cases = {
      {head + "X: " + std::string(600, 'a'), ParseErrorCode::HeaderTooLong},  // no end in sight
      {head + "X: " + std::string(600, 'a') + "\r\nContent-Length: 0\r\n\r\n", ParseErrorCode::HeaderTooLong},
      {head + "Content-Length: 17\r\n\r\n", ParseErrorCode::BodyTooLarge},
      {head + "\r\nbody", ParseErrorCode::MissingContentLength},
      {head + "Content-Length: 1\r\nl: 2\r\n\r\nab", ParseErrorCode::BadContentLength},
      {head + "Content-Length: -1\r\n\r\n", ParseErrorCode::BadContentLength},
      {head + "Content-Length: 99999999999\r\n\r\n", ParseErrorCode::BadContentLength},
      {"\x16\x03\x01 TLS hello\r\n\r\n", ParseErrorCode::BadFraming},
      {" INVITE sip:b@c SIP/2.0\r\n\r\n", ParseErrorCode::BadFraming},
      {"MESSAGE sip:b@c SIP/2.0\r\n continuation first?\r\n\r\n", ParseErrorCode::BadFraming},
  };
  for (const Bad& b : cases) {
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, b.stream.size()}) {
      bool failed = false;
      const auto frames = frame_in_chunks(b.stream, {chunk}, failed, limits);
      EXPECT_TRUE(failed) << b.stream;
      EXPECT_TRUE(frames.empty()) << b.stream;
    }
    StreamFramer framer(limits);
    framer.feed(b.stream);
    ASSERT_EQ(framer.next(), StreamFramer::Frame::Error) << b.stream;
    ASSERT_TRUE(framer.error());
    EXPECT_EQ(framer.error()->code, b.code) << b.stream << " -> " << framer.error()->reason;
    framer.feed(kInvite);
    EXPECT_EQ(framer.next(), StreamFramer::Frame::Error);
    EXPECT_EQ(framer.buffered(), 0u);  // nothing kept once failed
  }
  // The buffer never grows past the header limit while waiting for the end of a header block.
  StreamFramer framer(limits);
  for (int i = 0; i < 100 && !framer.error(); ++i) {
    framer.feed("X: 0123456789\r\n");
    framer.next();
  }
  EXPECT_TRUE(framer.error());
  EXPECT_EQ(framer.buffered(), 0u);
}

}  // namespace
}  // namespace rtcgate::sip
