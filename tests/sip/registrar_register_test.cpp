// Registrar and InMemoryLocationStore: RFC 3261 §10.3 (expiry, unregister, "*", Call-ID/CSeq
// ordering, Min-Expires), RFC 5626 §6 instance/reg-id replacement, flows, Path, lookup.
#include <gtest/gtest.h>

#include <string>

#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/registrar/in_memory_location_store.hpp"
#include "rtcgate/sip/registrar/registrar.hpp"

// The requests below name only the fields that differ from the defaults; g++ 12 warns about the
// rest even though default member initialisers fill them.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace rtcgate::sip::registrar {
namespace {

using namespace std::chrono_literals;

struct Register {
  std::string contacts;  // full "Contact: ..." lines, CRLF-terminated, or ""
  std::string call_id = "reg-1@client";
  std::uint32_t cseq = 1;
  std::string extra;  // more header lines
  std::string to = "<sip:alice@example.com>";
};

Message make(const Register& r) {
  const std::string text =
      "REGISTER sip:example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK" +
      std::to_string(r.cseq) +
      "\r\n"
      "Max-Forwards: 70\r\n"
      "From: <sip:alice@example.com>;tag=ft1\r\n"
      "To: " +
      r.to +
      "\r\n"
      "Call-ID: " +
      r.call_id + "\r\nCSeq: " + std::to_string(r.cseq) + " REGISTER\r\n" + r.contacts + r.extra +
      "Content-Length: 0\r\n\r\n";
  auto parsed = parse_message(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? std::move(*parsed) : Message{};
}

class RegistrarTest : public ::testing::Test {
 protected:
  RegisterResult handle(const Register& r, std::string flow = "flow-1") {
    return registrar_.handle(make(r), {.flow = std::move(flow), .authenticated_user = {}, .to_tag = {}},
                             now_);
  }
  std::vector<std::string_view> contacts_of(const RegisterResult& result) {
    return result.response.all("Contact");
  }

  TimePoint now_ = TimePoint{} + 100h;
  InMemoryLocationStore store_;
  Registrar registrar_{RegistrarConfig{}, store_};
};

TEST_F(RegistrarTest, RegistersAndListsBindingsWithRemainingExpiry) {
  auto result = handle({.contacts = "Contact: <sip:alice@192.0.2.1:5060>;expires=600\r\n"
                                    "Contact: <sip:alice@198.51.100.7>\r\n"});
  ASSERT_EQ(result.response.status(), 200);
  EXPECT_FALSE(result.response.to()->tag().empty());
  auto contacts = contacts_of(result);
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0], "<sip:alice@192.0.2.1:5060>;expires=600");
  EXPECT_EQ(contacts[1], "<sip:alice@198.51.100.7>;expires=3600");  // default_expires
  const auto date = result.response.first("Date");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(date->size(), 29u);  // "Wed, 25 Nov 2026 10:40:33 GMT"
  EXPECT_TRUE(date->ends_with(" GMT"));
  now_ += 100s;
  result = handle({.contacts = "", .cseq = 2});  // query: no Contact
  contacts = contacts_of(result);
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0], "<sip:alice@192.0.2.1:5060>;expires=500");
  const auto live = registrar_.lookup(std::string_view("sip:alice@example.com"), now_);
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0].uri, "sip:alice@192.0.2.1:5060");
  EXPECT_EQ(live[0].flow, "flow-1");
}

TEST_F(RegistrarTest, ExpiresHeaderAndClampToMax) {
  auto result =
      handle({.contacts = "Contact: <sip:a@192.0.2.1>\r\nContact: <sip:b@192.0.2.1>;expires=99999\r\n",
              .extra = "Expires: 120\r\n"});
  const auto contacts = contacts_of(result);
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0], "<sip:a@192.0.2.1>;expires=120");
  EXPECT_EQ(contacts[1], "<sip:b@192.0.2.1>;expires=7200");  // max_expires
}

TEST_F(RegistrarTest, BindingsExpireByTimeAndArePurged) {
  handle({.contacts = "Contact: <sip:alice@192.0.2.1>;expires=60\r\n"});
  EXPECT_EQ(registrar_.lookup(std::string_view("sip:alice@example.com"), now_ + 59s).size(), 1u);
  EXPECT_TRUE(registrar_.lookup(std::string_view("sip:alice@example.com"), now_ + 60s).empty());
  EXPECT_EQ(store_.size(), 1u);
  EXPECT_EQ(registrar_.purge_expired(now_ + 30s), 0u);
  EXPECT_EQ(registrar_.purge_expired(now_ + 61s), 1u);
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(RegistrarTest, IntervalTooBriefGets423WithMinExpires) {
  const auto result = handle({.contacts = "Contact: <sip:alice@192.0.2.1>;expires=30\r\n"});
  EXPECT_EQ(result.response.status(), 423);
  EXPECT_EQ(result.outcome, RegisterOutcome::IntervalTooBrief);
  EXPECT_EQ(result.response.first("Min-Expires"), "60");
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(RegistrarTest, ExpiresZeroUnregistersOneContact) {
  handle({.contacts = "Contact: <sip:alice@192.0.2.1>\r\nContact: <sip:alice@192.0.2.2>\r\n"});
  // URI comparison per RFC 3261 §19.1.4: host case does not matter.
  const auto result = handle({.contacts = "Contact: <sip:alice@192.0.2.1>;expires=0\r\n", .cseq = 2});
  ASSERT_EQ(result.response.status(), 200);
  const auto contacts = contacts_of(result);
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0], "<sip:alice@192.0.2.2>;expires=3600");
}

TEST_F(RegistrarTest, WildcardWithExpiresZeroRemovesAll) {
  handle({.contacts = "Contact: <sip:alice@192.0.2.1>\r\nContact: <sip:alice@192.0.2.2>\r\n"});
  handle({.contacts = "Contact: <sip:alice@192.0.2.3>\r\n", .call_id = "other@client"});
  auto result = handle({.contacts = "Contact: *\r\n", .cseq = 5, .extra = "Expires: 0\r\n"});
  ASSERT_EQ(result.response.status(), 200);
  EXPECT_TRUE(contacts_of(result).empty());
  EXPECT_EQ(store_.size(), 0u);
}

TEST_F(RegistrarTest, WildcardRulesAndOrdering) {
  EXPECT_EQ(handle({.contacts = "Contact: *\r\n"}).response.status(), 400);  // no Expires: 0
  EXPECT_EQ(handle({.contacts = "Contact: *\r\n", .extra = "Expires: 10\r\n"}).response.status(), 400);
  handle({.contacts = "Contact: <sip:alice@192.0.2.1>\r\n", .cseq = 7});
  // Same Call-ID, CSeq not higher: the removal fails and nothing changes.
  const auto result = handle({.contacts = "Contact: *\r\n", .cseq = 7, .extra = "Expires: 0\r\n"});
  EXPECT_EQ(result.response.status(), 500);
  EXPECT_EQ(result.outcome, RegisterOutcome::OutOfOrder);
  EXPECT_EQ(store_.size(), 1u);
}

TEST_F(RegistrarTest, CSeqOrderingPerCallId) {
  handle({.contacts = "Contact: <sip:alice@192.0.2.1>;expires=600\r\n", .cseq = 10});
  // An older request (lower CSeq, same Call-ID) arriving late must not undo the newer state.
  auto result = handle({.contacts = "Contact: <sip:alice@192.0.2.1>;expires=0\r\n", .cseq = 9});
  EXPECT_EQ(result.response.status(), 500);
  EXPECT_EQ(store_.size(), 1u);
  result = handle({.contacts = "Contact: <sip:alice@192.0.2.1>;expires=900\r\n", .cseq = 10});
  EXPECT_EQ(result.response.status(), 500);  // equal CSeq is not higher
  result = handle({.contacts = "Contact: <sip:alice@192.0.2.1>;expires=900\r\n", .cseq = 11});
  ASSERT_EQ(result.response.status(), 200);
  EXPECT_EQ(contacts_of(result)[0], "<sip:alice@192.0.2.1>;expires=900");
  // A different Call-ID (a rebooted UA) always updates, whatever its CSeq.
  result = handle(
      {.contacts = "Contact: <sip:alice@192.0.2.1>;expires=300\r\n", .call_id = "new@client", .cseq = 1});
  ASSERT_EQ(result.response.status(), 200);
  EXPECT_EQ(contacts_of(result)[0], "<sip:alice@192.0.2.1>;expires=300");
}

TEST_F(RegistrarTest, InstanceAndRegIdReplaceTheOldBinding) {
  const std::string instance = "\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"";
  handle({.contacts =
              "Contact: <sip:alice@abc.invalid;transport=ws>;+sip.instance=" + instance + ";reg-id=1\r\n",
          .extra = "Supported: path, outbound\r\n"},
         "ws-conn-1");
  // The same browser reconnects: new Contact URI, new connection, new Call-ID.
  const auto result =
      handle({.contacts =
                  "Contact: <sip:alice@xyz.invalid;transport=ws>;+sip.instance=" + instance + ";reg-id=1\r\n",
              .call_id = "second@client",
              .extra = "Supported: outbound\r\n"},
             "ws-conn-2");
  ASSERT_EQ(result.response.status(), 200);
  EXPECT_EQ(result.response.first("Require"), "outbound");
  const auto live = registrar_.lookup(std::string_view("sip:alice@example.com"), now_);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].uri, "sip:alice@xyz.invalid;transport=ws");
  EXPECT_EQ(live[0].flow, "ws-conn-2");
  EXPECT_EQ(live[0].instance, "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>");
  EXPECT_EQ(live[0].reg_id, 1u);
  // A second reg-id of the same instance is a second flow (RFC 5626 §4.2), not a replacement.
  handle({.contacts =
              "Contact: <sip:alice@xyz.invalid;transport=ws>;+sip.instance=" + instance + ";reg-id=2\r\n",
          .call_id = "second@client",
          .cseq = 2},
         "ws-conn-3");
  EXPECT_EQ(registrar_.lookup(std::string_view("sip:alice@example.com"), now_).size(), 2u);
}

TEST_F(RegistrarTest, ClosingAFlowRemovesItsBindings) {
  handle({.contacts = "Contact: <sip:alice@a.invalid;transport=ws>\r\n"}, "ws-1");
  handle({.contacts = "Contact: <sip:alice@b.invalid;transport=ws>\r\n", .call_id = "b@client"}, "ws-2");
  handle({.contacts = "Contact: <sip:bob@c.invalid;transport=ws>\r\n",
          .call_id = "c@client",
          .to = "<sip:bob@example.com>"},
         "ws-1");
  EXPECT_EQ(store_.size(), 3u);
  EXPECT_EQ(registrar_.remove_flow("ws-1"), 2u);
  EXPECT_EQ(registrar_.remove_flow("ws-1"), 0u);
  const auto alice = registrar_.lookup(std::string_view("sip:alice@example.com"), now_);
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0].flow, "ws-2");
  EXPECT_TRUE(registrar_.lookup(std::string_view("sip:bob@example.com"), now_).empty());
}

TEST_F(RegistrarTest, PathIsStoredAndEchoedWhenSupported) {
  const auto result =
      handle({.contacts = "Contact: <sip:alice@192.0.2.1>\r\n",
              .extra = "Path: <sip:edge1.example.com;lr>\r\nPath: <sip:edge2.example.com;lr>\r\n"
                       "Supported: path\r\n"});
  const auto paths = result.response.all("Path");
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0], "<sip:edge1.example.com;lr>");
  const auto live = registrar_.lookup(std::string_view("sip:alice@example.com"), now_);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].path.size(), 2u);
}

TEST_F(RegistrarTest, AuthorizationDomainAndLimits) {
  InMemoryLocationStore store;
  Registrar strict({.default_expires = 3600,
                    .min_expires = 60,
                    .max_expires = 7200,
                    .max_bindings_per_aor = 2,
                    .domains = {"example.com"}},
                   store);
  const Message msg = make({.contacts = "Contact: <sip:alice@192.0.2.1>\r\n"});
  EXPECT_EQ(
      strict.handle(msg, {.flow = {}, .authenticated_user = "bob", .to_tag = {}}, now_).response.status(),
      403);
  EXPECT_EQ(
      strict.handle(msg, {.flow = {}, .authenticated_user = "alice", .to_tag = "t1"}, now_).response.status(),
      200);
  const Message foreign =
      make({.contacts = "Contact: <sip:alice@192.0.2.1>\r\n", .to = "<sip:alice@other.org>"});
  EXPECT_EQ(strict.handle(foreign, {}, now_).response.status(), 404);
  const Message three =
      make({.contacts = "Contact: <sip:a@192.0.2.1>, <sip:b@192.0.2.1>, <sip:c@192.0.2.1>\r\n",
            .call_id = "x@client"});
  const auto result = strict.handle(three, {}, now_);
  EXPECT_EQ(result.response.status(), 403);
  EXPECT_EQ(store.size(), 1u);  // unchanged
  const Message bad =
      make({.contacts = "Contact: <sip:a@192.0.2.1>;expires=soon\r\n", .call_id = "y@client"});
  EXPECT_EQ(strict.handle(bad, {}, now_).response.status(), 400);
}

TEST(CanonicalAor, FoldsSchemeHostCaseAndEscapes) {
  const auto uri = parse_uri("sips:%61lice@EXAMPLE.com:5061;transport=tls");
  ASSERT_TRUE(uri.has_value());
  EXPECT_EQ(canonical_aor(*uri), "sip:alice@example.com");
}

}  // namespace
}  // namespace rtcgate::sip::registrar
