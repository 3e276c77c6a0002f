// Requests built within a dialog (RFC 3261 §12.2.1.1: loose and strict routing, CSeq, Contact),
// the ACK of a 2xx (§13.2.2.4), BYE, CANCEL from the INVITE (§9.1), and requests outside a
// dialog (§8.1.1).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dialog_test_support.hpp"
#include "rtcgate/sip/dialog/dialog.hpp"
#include "rtcgate/sip/dialog/out_of_dialog_request.hpp"
#include "rtcgate/sip/dialog/route_set.hpp"
#include "rtcgate/sip/serialize.hpp"
#include "rtcgate/sip/transaction/client_invite_transaction.hpp"

namespace rtcgate::sip {
namespace {

using test::bob_answer;
using test::invite_at_bob;
using test::invite_from_alice;
using test::parse;
using test::response_at_alice;

std::vector<std::string> route_values(const Message& message) {
  std::vector<std::string> out;
  for (const std::string_view value : message.all("Route"))
    out.emplace_back(value);
  return out;
}

// True when `request` parses back once the transaction layer has given it a Via.
bool round_trips(Message request) {
  request.add_front("Via", "SIP/2.0/UDP 192.0.2.101;branch=z9hG4bKrt");
  const auto reparsed = parse_message(serialize(request));
  return reparsed.has_value() && serialize(*reparsed) == serialize(request);
}

Dialog alice_dialog() {
  auto dialog = Dialog::create_uac(invite_from_alice(), response_at_alice(200));
  EXPECT_TRUE(dialog.has_value());
  return std::move(*dialog);
}

TEST(DialogRequest, LooseRoutingKeepsTheTargetAndListsTheRouteSet) {
  Dialog dialog = alice_dialog();
  const Message bye = dialog.make_request(Method::Bye);
  EXPECT_EQ(bye.method(), Method::Bye);
  EXPECT_EQ(bye.request_uri().to_string(), "sip:bob@client.biloxi.example.com;transport=tcp");
  EXPECT_EQ(route_values(bye), (std::vector<std::string>{"<sip:ss1.atlanta.example.com;lr>",
                                                         "<sip:ss2.biloxi.example.com;lr>"}));
  EXPECT_EQ(bye.from()->tag(), "9fxced76sl");
  EXPECT_EQ(bye.to()->tag(), "314159");
  EXPECT_EQ(bye.to()->display_name, "Bob");
  EXPECT_EQ(bye.call_id(), "3848276298220188511@atlanta.example.com");
  EXPECT_EQ(bye.cseq()->number, 2u);
  EXPECT_EQ(bye.cseq()->method, Method::Bye);
  EXPECT_EQ(bye.max_forwards(), 70u);
  EXPECT_FALSE(bye.has("Contact"));  // BYE refreshes nothing
  EXPECT_FALSE(bye.has("Via"));      // the transaction layer's
  EXPECT_EQ(dialog.make_request(Method::Info).cseq()->number, 3u);
  EXPECT_EQ(dialog.local_seq(), 3u);
  EXPECT_TRUE(round_trips(bye));
}

TEST(DialogRequest, StrictRouterBecomesTheRequestUri) {
  const Message invite = invite_at_bob();
  Message answer = bob_answer(invite, 200);
  Message strict_invite = invite;
  strict_invite.remove("Record-Route");
  strict_invite.add("Record-Route", "<sip:strict.example.com;maddr=192.0.2.30;method=INVITE?X=1>");
  strict_invite.add("Record-Route", "<sip:loose.example.com;lr>");
  auto dialog = Dialog::create_uas(strict_invite, answer);
  ASSERT_TRUE(dialog.has_value());
  const Message bye = dialog->make_request(Method::Bye);
  // §12.2.1.1: first route as Request-URI (no method parameter, no headers), the rest in Route,
  // then the remote target as the last Route.
  EXPECT_EQ(bye.request_uri().to_string(), "sip:strict.example.com;maddr=192.0.2.30");
  EXPECT_EQ(route_values(bye),
            (std::vector<std::string>{"<sip:loose.example.com;lr>",
                                      "<sip:alice@client.atlanta.example.com;transport=tcp>"}));
  EXPECT_EQ(dialog->next_hop().host, "strict.example.com");
}

TEST(DialogRequest, EmptyRouteSetSendsStraightToTheTarget) {
  Message ok = response_at_alice(200);
  ok.remove("Record-Route");
  auto dialog = Dialog::create_uac(invite_from_alice(), ok);
  ASSERT_TRUE(dialog.has_value());
  const Message info = dialog->make_request("INFO");
  EXPECT_TRUE(route_values(info).empty());
  EXPECT_EQ(info.request_uri().host, "client.biloxi.example.com");
  EXPECT_EQ(dialog->next_hop().host, "client.biloxi.example.com");
}

TEST(DialogRequest, TargetRefreshRequestsCarryOurContact) {
  Dialog dialog = alice_dialog();
  const Message reinvite = dialog.make_request(Method::Invite);
  ASSERT_TRUE(reinvite.contacts().has_value());
  EXPECT_EQ(reinvite.contacts()->contacts.at(0).uri.host, "client.atlanta.example.com");
  dialog.set_local_target(test::parse_uri_or_die("sip:alice@192.0.2.101:5070"));
  const Message update = dialog.make_request(Method::Update);
  EXPECT_EQ(update.contacts()->contacts.at(0).uri.port, 5070);
  EXPECT_FALSE(dialog.make_request(Method::Message).has("Contact"));
}

TEST(DialogRequest, UasPicksARandomInitialCSeqBelow2To31) {
  const Message invite = invite_at_bob();
  std::vector<std::uint32_t> firsts;
  for (int i = 0; i < 4; ++i) {
    auto dialog = Dialog::create_uas(invite, bob_answer(invite, 200));
    ASSERT_TRUE(dialog.has_value());
    const Message bye = dialog->make_request(Method::Bye);
    EXPECT_LT(bye.cseq()->number, 0x80000000U);
    EXPECT_GT(bye.cseq()->number, 0U);
    EXPECT_EQ(dialog->make_request(Method::Info).cseq()->number, bye.cseq()->number + 1);
    firsts.push_back(bye.cseq()->number);
    // From and To are mirrored for the UAS.
    EXPECT_EQ(bye.from()->tag(), "314159");
    EXPECT_EQ(bye.to()->tag(), "9fxced76sl");
    EXPECT_EQ(bye.request_uri().host, "client.atlanta.example.com");
    EXPECT_EQ(route_values(bye).front(), "<sip:ss2.biloxi.example.com;lr>");
  }
  EXPECT_FALSE(firsts[0] == firsts[1] && firsts[1] == firsts[2] && firsts[2] == firsts[3]);
}

TEST(DialogRequest, AckFor2xxUsesTheInviteCSeqAndCredentials) {
  Dialog dialog = alice_dialog();
  (void)dialog.make_request(Method::Info);  // CSeq 2 used meanwhile
  const Message ack = dialog.make_ack(invite_from_alice());
  EXPECT_EQ(ack.method(), Method::Ack);
  EXPECT_EQ(ack.cseq()->number, 1u);
  EXPECT_EQ(ack.cseq()->method, Method::Ack);
  EXPECT_EQ(ack.request_uri().host, "client.biloxi.example.com");
  EXPECT_EQ(route_values(ack).size(), 2u);
  EXPECT_EQ(ack.to()->tag(), "314159");
  EXPECT_TRUE(ack.has("Proxy-Authorization"));
  EXPECT_FALSE(ack.has("Contact"));
  EXPECT_EQ(dialog.local_seq(), 2u);  // the ACK takes no new number
}

TEST(DialogRequest, CancelIsBuiltFromTheInvite) {
  Message invite = invite_from_alice();
  const Message cancel = make_cancel(invite);
  EXPECT_EQ(cancel.method(), Method::Cancel);
  EXPECT_EQ(cancel.request_uri(), invite.request_uri());
  EXPECT_EQ(cancel.top_via()->branch(), "z9hG4bK74bf9");  // §9.1: same branch as the INVITE
  EXPECT_EQ(cancel.vias().size(), 1u);
  EXPECT_EQ(cancel.cseq()->number, 1u);
  EXPECT_EQ(cancel.cseq()->method, Method::Cancel);
  EXPECT_EQ(cancel.to()->tag(), "");  // the INVITE's To, untagged
  EXPECT_EQ(cancel.from()->tag(), "9fxced76sl");
  EXPECT_EQ(route_values(cancel), std::vector<std::string>{"<sip:ss1.atlanta.example.com;lr>"});
  EXPECT_FALSE(cancel.has("Proxy-Authorization"));
}

TEST(RouteSet, RecordRouteOrderAndNextHop) {
  const Message invite = invite_at_bob();
  const auto as_uas = route_set_from_record_route(invite, false);
  const auto as_uac = route_set_from_record_route(invite, true);
  ASSERT_EQ(as_uas.size(), 2u);
  EXPECT_EQ(as_uas[0].uri.host, "ss2.biloxi.example.com");
  EXPECT_EQ(as_uac[0].uri.host, "ss1.atlanta.example.com");
  const Uri target = invite.request_uri();
  EXPECT_EQ(next_hop(target, {}).host, "biloxi.example.com");
  EXPECT_EQ(next_hop(target, as_uac).host, "ss1.atlanta.example.com");
}

TEST(OutOfDialogRequest, FillsTheSection8HeadersAndFreshIdentifiers) {
  OutOfDialogRequest spec;
  spec.request_uri = test::parse_uri_or_die("sip:1000@pbx.example.com");
  spec.from = *parse_name_addr("\"Web 1\" <sip:web1@gw.example.com>");
  spec.to = *parse_name_addr("<sip:1000@pbx.example.com>;tag=stale");
  spec.contact = test::parse_uri_or_die("sip:web1@198.51.100.10:5060");
  spec.call_id_host = "gw.example.com";
  spec.cseq = 42;
  const Message invite = make_out_of_dialog_request(spec);
  EXPECT_EQ(invite.method(), Method::Invite);
  EXPECT_EQ(invite.request_uri().host, "pbx.example.com");
  EXPECT_EQ(invite.to()->tag(), "");
  EXPECT_EQ(invite.from()->tag().size(), 16u);
  EXPECT_EQ(invite.from()->display_name, "Web 1");
  EXPECT_TRUE(invite.call_id()->ends_with("@gw.example.com"));
  EXPECT_EQ(invite.cseq()->number, 42u);
  EXPECT_EQ(invite.cseq()->method, Method::Invite);
  EXPECT_EQ(invite.max_forwards(), 70u);
  EXPECT_EQ(invite.contacts()->contacts.at(0).uri.host, "198.51.100.10");
  EXPECT_FALSE(invite.has("Route"));
  EXPECT_TRUE(round_trips(invite));

  const Message again = make_out_of_dialog_request(spec);
  EXPECT_NE(again.from()->tag(), invite.from()->tag());
  EXPECT_NE(again.call_id(), invite.call_id());
}

TEST(OutOfDialogRequest, PreloadedRouteAndGivenIdentifiers) {
  OutOfDialogRequest spec;
  spec.method = "OPTIONS";
  spec.request_uri = test::parse_uri_or_die("sip:pbx.example.com");
  spec.from = *parse_name_addr("<sip:gw@gw.example.com>;tag=fixed");
  spec.to = *parse_name_addr("<sip:pbx.example.com>");
  spec.call_id = "given-call-id";
  spec.route_set.push_back(*parse_name_addr("<sip:outbound.example.com;lr>"));
  const Message options = make_out_of_dialog_request(spec);
  EXPECT_EQ(options.method(), Method::Options);
  EXPECT_EQ(options.from()->tag(), "fixed");
  EXPECT_EQ(options.call_id(), "given-call-id");
  EXPECT_EQ(route_values(options), std::vector<std::string>{"<sip:outbound.example.com;lr>"});
  EXPECT_EQ(options.request_uri().host, "pbx.example.com");
  EXPECT_FALSE(options.has("Contact"));
}

}  // namespace
}  // namespace rtcgate::sip
