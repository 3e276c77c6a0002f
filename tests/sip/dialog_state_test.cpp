// Dialog creation and state (RFC 3261 §12.1, §12.2.1.2, §12.2.2): ids, route sets, remote
// targets, early dialogs, CSeq ordering, target refresh.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dialog_test_support.hpp"
#include "rtcgate/sip/dialog/dialog.hpp"
#include "rtcgate/sip/dialog/dialog_id.hpp"

namespace rtcgate::sip {
namespace {

using test::bob_answer;
using test::invite_at_bob;
using test::invite_from_alice;
using test::response_at_alice;

std::vector<std::string> hosts(const std::vector<NameAddr>& routes) {
  std::vector<std::string> out;
  for (const NameAddr& route : routes)
    out.push_back(route.uri.host);
  return out;
}

TEST(DialogCreate, UacFrom2xxReversesTheRecordRoute) {
  const auto dialog = Dialog::create_uac(invite_from_alice(), response_at_alice(200));
  ASSERT_TRUE(dialog.has_value()) << to_string(dialog.error());
  EXPECT_EQ(dialog->role(), DialogRole::Uac);
  EXPECT_EQ(dialog->state(), DialogState::Confirmed);
  EXPECT_EQ(dialog->id(), (DialogId{"3848276298220188511@atlanta.example.com", "9fxced76sl", "314159"}));
  EXPECT_EQ(hosts(dialog->route_set()),
            (std::vector<std::string>{"ss1.atlanta.example.com", "ss2.biloxi.example.com"}));
  EXPECT_EQ(dialog->remote_target().host, "client.biloxi.example.com");
  EXPECT_EQ(dialog->local_target().host, "client.atlanta.example.com");
  EXPECT_EQ(dialog->local_seq(), 1u);
  EXPECT_FALSE(dialog->remote_seq().has_value());
  EXPECT_EQ(dialog->local_uri().tag(), "9fxced76sl");
  EXPECT_EQ(dialog->remote_uri().tag(), "314159");
  EXPECT_EQ(dialog->remote_uri().uri.user, "bob");
  EXPECT_EQ(dialog->next_hop().host, "ss1.atlanta.example.com");
  EXPECT_FALSE(dialog->secure());
}

TEST(DialogCreate, UasKeepsTheRecordRouteOrder) {
  const Message invite = invite_at_bob();
  const auto dialog = Dialog::create_uas(invite, bob_answer(invite, 200));
  ASSERT_TRUE(dialog.has_value()) << to_string(dialog.error());
  EXPECT_EQ(dialog->role(), DialogRole::Uas);
  EXPECT_EQ(dialog->state(), DialogState::Confirmed);
  EXPECT_EQ(dialog->id(), (DialogId{"3848276298220188511@atlanta.example.com", "314159", "9fxced76sl"}));
  EXPECT_EQ(hosts(dialog->route_set()),
            (std::vector<std::string>{"ss2.biloxi.example.com", "ss1.atlanta.example.com"}));
  EXPECT_EQ(dialog->remote_target().host, "client.atlanta.example.com");
  EXPECT_EQ(dialog->remote_target().transport(), "tcp");
  EXPECT_EQ(dialog->remote_seq(), 1u);
  EXPECT_FALSE(dialog->local_seq().has_value());
  // Incoming requests of this dialog are found by the mirrored id.
  Message bye = invite_at_bob();
  bye.replace("To", "Bob <sip:bob@biloxi.example.com>;tag=314159");
  EXPECT_EQ(dialog_id_of_incoming_request(bye), dialog->id());
  EXPECT_FALSE(dialog_id_of_incoming_request(invite).has_value());  // no To tag: out of dialog
}

TEST(DialogCreate, ProvisionalWithTagMakesAnEarlyDialogThat2xxConfirms) {
  const Message invite = invite_from_alice();
  Message ringing = response_at_alice(180, "<sip:bob@192.0.2.4>");
  ringing.remove("Record-Route");
  auto dialog = Dialog::create_uac(invite, ringing);
  ASSERT_TRUE(dialog.has_value());
  EXPECT_EQ(dialog->state(), DialogState::Early);
  EXPECT_TRUE(dialog->route_set().empty());
  EXPECT_EQ(dialog->remote_target().host, "192.0.2.4");

  ASSERT_TRUE(dialog->receive_response(response_at_alice(183, "<sip:bob@192.0.2.5>")).has_value());
  EXPECT_EQ(dialog->remote_target().host, "192.0.2.5");  // still early: the 1xx Contact counts
  ASSERT_TRUE(dialog->receive_response(response_at_alice(200)).has_value());
  EXPECT_EQ(dialog->state(), DialogState::Confirmed);
  EXPECT_EQ(hosts(dialog->route_set()),  // recomputed from the 2xx (§13.2.2.4)
            (std::vector<std::string>{"ss1.atlanta.example.com", "ss2.biloxi.example.com"}));
  EXPECT_EQ(dialog->remote_target().host, "client.biloxi.example.com");
}

TEST(DialogCreate, RefusesResponsesThatCreateNoDialog) {
  const Message invite = invite_from_alice();
  EXPECT_EQ(Dialog::create_uac(invite, response_at_alice(100)).error(), DialogError::NotDialogCreating);
  EXPECT_EQ(Dialog::create_uac(invite, response_at_alice(486)).error(), DialogError::NotDialogCreating);
  Message untagged = response_at_alice(180);
  untagged.replace("To", "Bob <sip:bob@biloxi.example.com>");
  EXPECT_EQ(Dialog::create_uac(invite, untagged).error(), DialogError::MissingTag);
  Message no_contact = invite;
  no_contact.remove("Contact");
  EXPECT_EQ(Dialog::create_uac(no_contact, response_at_alice(200)).error(), DialogError::BadContact);
  // The UAS needs the peer's Contact; '*' or two contacts are no target.
  Message star = invite_at_bob();
  star.replace("Contact", "*");
  EXPECT_EQ(Dialog::create_uas(star, bob_answer(invite_at_bob(), 200)).error(), DialogError::BadContact);
  Message two = invite_at_bob();
  two.add("Contact", "<sip:other@192.0.2.9>");
  EXPECT_EQ(Dialog::create_uas(two, bob_answer(invite_at_bob(), 200)).error(), DialogError::BadContact);
  Message answer = bob_answer(invite_at_bob(), 200);
  answer.replace("To", "Bob <sip:bob@biloxi.example.com>");
  EXPECT_EQ(Dialog::create_uas(invite_at_bob(), answer).error(), DialogError::MissingTag);
}

TEST(DialogCreate, ResponseWithoutContactKeepsTheRequestUri) {
  const auto dialog = Dialog::create_uac(invite_from_alice(), response_at_alice(200, ""));
  ASSERT_TRUE(dialog.has_value());
  EXPECT_EQ(dialog->remote_target().to_string(), "sip:bob@biloxi.example.com");
}

TEST(DialogCreate, SipsRequestUriMakesASecureDialog) {
  Message invite = invite_at_bob();
  invite.request_uri().scheme = UriScheme::Sips;
  invite.request_uri().scheme_name = "sips";
  const auto dialog = Dialog::create_uas(invite, bob_answer(invite, 180));
  ASSERT_TRUE(dialog.has_value());
  EXPECT_TRUE(dialog->secure());
  EXPECT_EQ(dialog->state(), DialogState::Early);
}

class UasDialog : public ::testing::Test {
 protected:
  void SetUp() override {
    const Message invite = invite_at_bob();
    auto created = Dialog::create_uas(invite, bob_answer(invite, 200));
    ASSERT_TRUE(created.has_value());
    dialog_.emplace(std::move(*created));
  }

  // A request from Alice within the dialog.
  static Message in_dialog(Method method, std::uint32_t cseq, std::string_view contact = {}) {
    Message request = invite_at_bob();
    request.set_request_line(method, std::string(to_string(method)), request.request_uri());
    request.replace("To", "Bob <sip:bob@biloxi.example.com>;tag=314159");
    request.set_cseq(make_cseq(cseq, method));
    request.remove("Contact");
    if (!contact.empty()) request.add("Contact", contact);
    return request;
  }

  std::optional<Dialog> dialog_;
};

TEST_F(UasDialog, LowerRemoteCSeqIsRefused) {
  ASSERT_TRUE(dialog_->receive_request(in_dialog(Method::Info, 2)).has_value());
  EXPECT_EQ(dialog_->remote_seq(), 2u);
  ASSERT_TRUE(dialog_->receive_request(in_dialog(Method::Info, 10)).has_value());  // gaps are fine
  EXPECT_EQ(dialog_->receive_request(in_dialog(Method::Bye, 9)).error(), DialogError::CSeqOutOfOrder);
  EXPECT_EQ(dialog_->remote_seq(), 10u);
  // ACK and CANCEL reuse the number of their request.
  EXPECT_TRUE(dialog_->receive_request(in_dialog(Method::Ack, 1)).has_value());
  EXPECT_TRUE(dialog_->receive_request(in_dialog(Method::Cancel, 1)).has_value());
  EXPECT_EQ(dialog_->remote_seq(), 10u);
}

TEST_F(UasDialog, ReInviteAndUpdateRefreshTheTargetButInfoDoesNot) {
  ASSERT_TRUE(dialog_->receive_request(in_dialog(Method::Info, 2, "<sip:alice@192.0.2.50>")).has_value());
  EXPECT_EQ(dialog_->remote_target().host, "client.atlanta.example.com");
  ASSERT_TRUE(dialog_->receive_request(in_dialog(Method::Invite, 3, "<sip:alice@192.0.2.51>")).has_value());
  EXPECT_EQ(dialog_->remote_target().host, "192.0.2.51");
  ASSERT_TRUE(
      dialog_->receive_request(in_dialog(Method::Update, 4, "<sip:alice@192.0.2.52:5070>")).has_value());
  EXPECT_EQ(dialog_->remote_target().host, "192.0.2.52");
  EXPECT_EQ(dialog_->remote_target().port, 5070);
  ASSERT_TRUE(dialog_->receive_request(in_dialog(Method::Invite, 5)).has_value());  // no Contact
  EXPECT_EQ(dialog_->remote_target().host, "192.0.2.52");
}

TEST_F(UasDialog, RequestsOfOtherDialogsAreRefused) {
  Message other = in_dialog(Method::Bye, 2);
  other.replace("To", "Bob <sip:bob@biloxi.example.com>;tag=999");
  EXPECT_EQ(dialog_->receive_request(other).error(), DialogError::WrongDialog);
  Message untagged = in_dialog(Method::Bye, 2);
  untagged.replace("To", "Bob <sip:bob@biloxi.example.com>");
  EXPECT_EQ(dialog_->receive_request(untagged).error(), DialogError::MissingTag);
  Message other_call = in_dialog(Method::Bye, 2);
  other_call.set_call_id("other@atlanta.example.com");
  EXPECT_EQ(dialog_->receive_request(other_call).error(), DialogError::WrongDialog);
}

TEST(DialogUac, TwoHundredToAReInviteRefreshesTheTarget) {
  auto dialog = Dialog::create_uac(invite_from_alice(), response_at_alice(200));
  ASSERT_TRUE(dialog.has_value());
  Message reinvite_ok = response_at_alice(200, "<sip:bob@192.0.2.77>");
  reinvite_ok.set_cseq(make_cseq(2, Method::Invite));
  reinvite_ok.remove("Record-Route");
  ASSERT_TRUE(dialog->receive_response(reinvite_ok).has_value());
  EXPECT_EQ(dialog->remote_target().host, "192.0.2.77");
  EXPECT_EQ(dialog->route_set().size(), 2u);  // fixed once confirmed (§12.2.1.2)
  Message info_ok = response_at_alice(200, "<sip:bob@192.0.2.78>");
  info_ok.set_cseq(make_cseq(3, Method::Info));
  ASSERT_TRUE(dialog->receive_response(info_ok).has_value());
  EXPECT_EQ(dialog->remote_target().host, "192.0.2.77");
  Message forked = response_at_alice(200);
  forked.replace("To", "Bob <sip:bob@biloxi.example.com>;tag=other-fork");
  EXPECT_EQ(dialog->receive_response(forked).error(), DialogError::WrongDialog);
}

}  // namespace
}  // namespace rtcgate::sip
