// The registration relay's pure parts (b2bua/relay_bindings.hpp): the binding table (lookup by
// connection and Call-ID or by key, closed connections, expiry, the registered count) and the
// mapping between a browser's REGISTER and ours (what the browser asked for, the REGISTER sent to
// the PBX, the expiry the PBX granted to our Contact, the response the browser gets).
#include "rtcgate/gateway/b2bua/relay_bindings.hpp"

#include <rtcgate/sip/parser.hpp>
#include <rtcgate/sip/serialize.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

namespace rtcgate::gateway::b2bua {
namespace {

using namespace std::chrono_literals;

sip::Message parse(std::string text) {
  auto message = sip::parse_message(text);
  EXPECT_TRUE(message.has_value()) << text;
  return message.value_or(sip::Message{});
}

// What JsSIP sends: Contact with expires, +sip.ice, reg-id and +sip.instance, and Expires.
std::string browser_register(std::string contact_and_expires, std::string extra = {}) {
  return "REGISTER sip:pbx.test SIP/2.0\r\n"
         "Via: SIP/2.0/WS abc.invalid;branch=z9hG4bK1\r\n"
         "Max-Forwards: 69\r\n"
         "To: <sip:alice@pbx.test>\r\n"
         "From: <sip:alice@pbx.test>;tag=ft1\r\n"
         "Call-ID: browser-call-1\r\n"
         "CSeq: 2 REGISTER\r\n" +
         contact_and_expires + extra + "User-Agent: JsSIP 3.13.8\r\nContent-Length: 0\r\n\r\n";
}

const std::string kContact =
    "Contact: <sip:k3b1@abc.invalid;transport=ws>;+sip.ice;reg-id=1;"
    "+sip.instance=\"<urn:uuid:1-2>\";expires=600\r\nExpires: 600\r\n";

sip::Flow flow(std::uint64_t connection) {
  sip::Flow f;
  f.kind = sip::TransportKind::Ws;
  f.connection = connection;
  return f;
}

RelayBinding binding(std::string key, std::uint64_t connection, std::string call_id, sip::TimePoint expires,
                     bool registered) {
  RelayBinding b;
  b.key = std::move(key);
  b.flow = flow(connection);
  b.browser_call_id = std::move(call_id);
  b.expires_at = expires;
  b.registered = registered;
  return b;
}

TEST(RelayBindingsTest, FindsByConnectionAndCallIdOrByKey) {
  RelayBindings table;
  const sip::TimePoint t0{};
  ASSERT_TRUE(table.add(binding("rra", 1, "c1", t0 + 60s, true)));
  ASSERT_TRUE(table.add(binding("rrb", 2, "c1", t0 + 60s, false)));
  EXPECT_FALSE(table.add(binding("rra", 3, "c3", t0 + 60s, true))) << "keys are unique";
  EXPECT_FALSE(table.add(binding("", 3, "c3", t0 + 60s, true)));
  ASSERT_NE(table.find(flow(1), "c1"), nullptr);
  EXPECT_EQ(table.find(flow(1), "c1")->key, "rra");
  EXPECT_EQ(table.find(flow(2), "c1")->key, "rrb")
      << "the same Call-ID on another connection is another binding";
  EXPECT_EQ(table.find(flow(1), "c2"), nullptr);
  EXPECT_EQ(table.find_key("rrb")->flow, flow(2));
  EXPECT_EQ(table.find_key("rrc"), nullptr);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.registered(), 1u) << "a pending binding is not counted";
  table.remove("rra");
  EXPECT_EQ(table.find_key("rra"), nullptr);
  EXPECT_EQ(table.registered(), 0u);
}

TEST(RelayBindingsTest, AClosedConnectionTakesItsBindingsOnly) {
  RelayBindings table;
  const sip::TimePoint t0{};
  table.add(binding("rra", 1, "c1", t0 + 60s, true));
  table.add(binding("rrb", 1, "c2", t0 + 60s, true));
  table.add(binding("rrc", 2, "c3", t0 + 60s, true));
  auto gone = table.take_flow(flow(1));
  ASSERT_EQ(gone.size(), 2u);
  std::set<std::string> keys{gone[0].key, gone[1].key};
  EXPECT_EQ(keys, (std::set<std::string>{"rra", "rrb"}));
  EXPECT_EQ(table.size(), 1u);
  EXPECT_NE(table.find_key("rrc"), nullptr);
  EXPECT_TRUE(table.take_flow(flow(1)).empty());
}

TEST(RelayBindingsTest, ExpiresInOrderOfDeadline) {
  RelayBindings table;
  const sip::TimePoint t0{};
  EXPECT_FALSE(table.next_expiry().has_value());
  table.add(binding("rra", 1, "c1", t0 + 60s, true));
  table.add(binding("rrb", 1, "c2", t0 + 32s, false));
  EXPECT_EQ(table.next_expiry(), t0 + 32s);
  EXPECT_TRUE(table.take_expired(t0 + 31s).empty());
  auto first = table.take_expired(t0 + 32s);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].key, "rrb");
  EXPECT_EQ(table.next_expiry(), t0 + 60s);
  EXPECT_EQ(table.take_expired(t0 + 61s).size(), 1u);
  EXPECT_EQ(table.size(), 0u);
}

TEST(RelayBindingsTest, KeysAreFreshValidUserParts) {
  std::set<std::string> keys;
  for (int i = 0; i < 100; ++i) {
    std::string key = new_relay_key();
    EXPECT_GE(key.size(), 18u);
    for (char c : key)
      EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) << key;
    keys.insert(key);
  }
  EXPECT_EQ(keys.size(), 100u);
}

TEST(RegisterIntentTest, ReadsTheContactAndItsExpiry) {
  auto intent = read_register_intent(parse(browser_register(kContact)));
  ASSERT_TRUE(intent.has_value()) << intent.error();
  EXPECT_EQ(intent->kind, RegisterIntent::Kind::Bind);
  EXPECT_EQ(intent->expires, 600u);
  EXPECT_EQ(intent->uri, "sip:k3b1@abc.invalid;transport=ws");
  EXPECT_EQ(intent->contact,
            "<sip:k3b1@abc.invalid;transport=ws>;+sip.ice;reg-id=1;+sip.instance=\"<urn:uuid:1-2>\"")
      << "the browser's instance id is kept: JsSIP finds its contact in the 200 by it";
}

TEST(RegisterIntentTest, ExpiryFromTheParameterThenTheHeaderThenTheDefault) {
  auto param = read_register_intent(
      parse(browser_register("Contact: <sip:a@b.invalid>;expires=30\r\nExpires: 90\r\n")));
  EXPECT_EQ(param->expires, 30u);
  auto header =
      read_register_intent(parse(browser_register("Contact: <sip:a@b.invalid>\r\nExpires: 90\r\n")));
  EXPECT_EQ(header->expires, 90u);
  auto fallback = read_register_intent(parse(browser_register("Contact: <sip:a@b.invalid>\r\n")));
  EXPECT_EQ(fallback->expires, kDefaultRegisterExpires);
}

TEST(RegisterIntentTest, UnregisterQueryAndRefusals) {
  auto unbind = read_register_intent(parse(browser_register("Contact: <sip:a@b.invalid>;expires=0\r\n")));
  EXPECT_EQ(unbind->kind, RegisterIntent::Kind::Unbind);
  auto wildcard = read_register_intent(parse(browser_register("Contact: *\r\nExpires: 0\r\n")));
  ASSERT_TRUE(wildcard.has_value());
  EXPECT_EQ(wildcard->kind, RegisterIntent::Kind::Unbind);
  EXPECT_FALSE(read_register_intent(parse(browser_register("Contact: *\r\n"))).has_value());
  auto query = read_register_intent(parse(browser_register("")));
  EXPECT_EQ(query->kind, RegisterIntent::Kind::Query);
  auto two =
      read_register_intent(parse(browser_register("Contact: <sip:a@b.invalid>, <sip:c@d.invalid>\r\n")));
  ASSERT_FALSE(two.has_value());
  EXPECT_NE(two.error().find("one Contact"), std::string::npos);
  EXPECT_FALSE(read_register_intent(parse(browser_register("Contact: <tel:+123>\r\n"))));
}

TEST(UpstreamRegisterTest, KeepsWhatTheDigestCoversAndPutsOurContact) {
  const std::string auth =
      "Digest username=\"alice\", realm=\"pbx.test\", nonce=\"n1\", uri=\"sip:pbx.test\", response=\"0123\"";
  sip::Message browser = parse(browser_register(kContact, "Authorization: " + auth + "\r\n"));
  RelayBinding b = binding("rr42", 1, "browser-call-1", {}, false);
  b.upstream_call_id = "ours-1";
  b.upstream_cseq = 7;
  sip::Uri base = *sip::parse_uri("sip:127.0.0.1:5060");
  sip::Message up = upstream_register(browser, b, relay_contact(base, b.key), 600, credentials_of(browser));
  EXPECT_EQ(up.method(), sip::Method::Register);
  EXPECT_EQ(up.request_uri().to_string(), "sip:pbx.test") << "the Request-URI the browser's digest names";
  EXPECT_EQ(up.first("Authorization"), auth) << "credentials pass through unchanged";
  EXPECT_EQ(up.to()->uri.to_string(), "sip:alice@pbx.test");
  EXPECT_EQ(up.from()->uri.to_string(), "sip:alice@pbx.test");
  EXPECT_EQ(up.call_id(), "ours-1");
  EXPECT_EQ(up.cseq()->number, 7u);
  EXPECT_EQ(up.cseq()->method, sip::Method::Register);
  auto contacts = up.contacts();
  ASSERT_TRUE(contacts && contacts->contacts.size() == 1);
  EXPECT_EQ(contacts->contacts[0].uri.to_string(), "sip:rr42@127.0.0.1:5060");
  EXPECT_EQ(contacts->contacts[0].param("expires"), "600");
  EXPECT_EQ(up.expires(), 600u);
  EXPECT_FALSE(up.has("Via")) << "the transaction layer adds ours";
  EXPECT_EQ(up.first("User-Agent"), "JsSIP 3.13.8");
  sip::Message sent = up;
  sent.add_via_front(*sip::parse_via("SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx"));
  EXPECT_TRUE(sip::parse_message(sip::serialize(sent)).has_value()) << sip::serialize(sent);

  sip::Message bye = upstream_register(browser, b, relay_contact(base, b.key), 0, {});
  EXPECT_EQ(bye.contacts()->contacts[0].param("expires"), "0")
      << "an unregistration names our Contact, never *";
  EXPECT_FALSE(bye.has("Authorization"));
}

TEST(UpstreamRegisterTest, RelayContactKeepsTransportAndReplacesTheUser) {
  sip::Uri base = *sip::parse_uri("sip:gw@10.0.0.1:5080;transport=tcp");
  EXPECT_EQ(relay_contact(base, "rrx").to_string(), "sip:rrx@10.0.0.1:5080;transport=tcp");
}

TEST(GrantedExpiryTest, OurContactsParameterThenExpiresThenWhatWasAsked) {
  auto ok = [](std::string contacts) {
    return parse(
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\nTo: <sip:alice@pbx.test>;tag=1\r\n"
        "From: <sip:alice@pbx.test>;tag=2\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\n" +
        contacts + "Content-Length: 0\r\n\r\n");
  };
  EXPECT_EQ(granted_expiry(
                ok("Contact: <sip:other@10.0.0.9>;expires=900, <sip:rr1@127.0.0.1:5060>;expires=120\r\n"),
                "rr1", 600),
            120u)
      << "another phone's binding of the same user is not ours";
  EXPECT_EQ(granted_expiry(ok("Contact: <sip:rr1@127.0.0.1:5060>\r\nExpires: 300\r\n"), "rr1", 600), 300u);
  EXPECT_EQ(granted_expiry(ok(""), "rr1", 600), 600u);
}

TEST(BrowserResponseTest, ChallengePassesBackAndSuccessNamesTheBrowsersContact) {
  sip::Message browser = parse(browser_register(kContact));
  sip::Message challenge = parse(
      "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK9\r\nTo: "
      "<sip:alice@pbx.test>;tag=p\r\n"
      "From: <sip:alice@pbx.test>;tag=ft1\r\nCall-ID: ours-1\r\nCSeq: 1 REGISTER\r\n"
      "WWW-Authenticate: Digest realm=\"pbx.test\", nonce=\"abc\", qop=\"auth\"\r\n"
      "Server: pbx\r\nContent-Length: 0\r\n\r\n");
  sip::Message to_browser = browser_response(browser, challenge, "", 0, "t1");
  EXPECT_EQ(to_browser.status(), 401);
  EXPECT_EQ(to_browser.first("WWW-Authenticate"), "Digest realm=\"pbx.test\", nonce=\"abc\", qop=\"auth\"");
  EXPECT_EQ(to_browser.call_id(), "browser-call-1") << "the browser's own transaction and Call-ID";
  EXPECT_EQ(to_browser.top_via()->branch(), "z9hG4bK1");
  EXPECT_FALSE(to_browser.has("Server"));

  sip::Message ok = parse(
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK9\r\nTo: <sip:alice@pbx.test>;tag=p\r\n"
      "From: <sip:alice@pbx.test>;tag=ft1\r\nCall-ID: ours-1\r\nCSeq: 2 REGISTER\r\n"
      "Contact: <sip:rr1@127.0.0.1:5060>;expires=120\r\nContent-Length: 0\r\n\r\n");
  const std::string contact = "<sip:k3b1@abc.invalid;transport=ws>;+sip.instance=\"<urn:uuid:1-2>\"";
  sip::Message registered = browser_response(browser, ok, contact, 120, "t2");
  EXPECT_EQ(registered.status(), 200);
  auto contacts = registered.contacts();
  ASSERT_TRUE(contacts && contacts->contacts.size() == 1) << "only the browser's own binding";
  EXPECT_EQ(contacts->contacts[0].uri.to_string(), "sip:k3b1@abc.invalid;transport=ws");
  EXPECT_EQ(contacts->contacts[0].param("expires"), "120");
  EXPECT_EQ(contacts->contacts[0].param("+sip.instance"), "<urn:uuid:1-2>");

  EXPECT_FALSE(browser_response(browser, ok, contact, 0, "t3").has("Contact")) << "unregistered";

  sip::Message brief = parse(
      "SIP/2.0 423 Interval Too Brief\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK9\r\nTo: "
      "<sip:alice@pbx.test>;tag=p\r\n"
      "From: <sip:alice@pbx.test>;tag=ft1\r\nCall-ID: ours-1\r\nCSeq: 2 REGISTER\r\nMin-Expires: 1800\r\n"
      "Content-Length: 0\r\n\r\n");
  sip::Message too_brief = browser_response(browser, brief, contact, 0, "t4");
  EXPECT_EQ(too_brief.status(), 423);
  EXPECT_EQ(too_brief.first("Min-Expires"), "1800");
}

}  // namespace
}  // namespace rtcgate::gateway::b2bua
