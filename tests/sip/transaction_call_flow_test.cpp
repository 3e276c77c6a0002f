// Call flows of RFC 3665 through two TransactionLayers wired back to back in memory: Alice's UA
// (UAC) and Bob's UA (UAS) built on the layer, Dialog and AnswerRetransmitter, messages serialised
// and parsed on the way, delivered 1 ms later on the fake clock, some of them dropped.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rtcgate/sip/dialog/answer_retransmitter.hpp"
#include "rtcgate/sip/dialog/dialog.hpp"
#include "rtcgate/sip/dialog/out_of_dialog_request.hpp"
#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/response.hpp"
#include "rtcgate/sip/serialize.hpp"
#include "rtcgate/sip/transaction_layer.hpp"
#include "support/fake_clock.hpp"

namespace rtcgate::sip {
namespace {

using namespace std::chrono_literals;

const TransportAddress kAlice{"192.0.2.101", 5060};
const TransportAddress kBob{"192.0.2.4", 5060};

std::string describe(const Message& m) {
  if (m.is_request()) return m.method_token();
  return std::to_string(m.status()) + "/" + m.cseq()->method_token;
}

struct Wire {
  testing::FakeTimerService timers;
  TransportKind kind = TransportKind::Udp;
  std::vector<std::string> log;        // "A>B INVITE", "B>A 180/INVITE", ...
  std::vector<std::string> drop_once;  // descriptions to lose, each once
  std::function<void(const Message&, const Flow&)> to_alice, to_bob;

  Flow flow(const TransportAddress& local, const TransportAddress& remote) const {
    return Flow{kind, local, remote, kind == TransportKind::Udp ? 0U : 1U};
  }

  SendFunction sender(bool from_alice) {
    return [this, from_alice](const Message& message, const Destination&, SendCompletion done) {
      const std::string what = describe(message);
      log.push_back(std::string(from_alice ? "A>B " : "B>A ") + what);
      if (done) done({});
      if (const auto it = std::find(drop_once.begin(), drop_once.end(), log.back()); it != drop_once.end()) {
        drop_once.erase(it);
        log.back() += " (lost)";
        return;
      }
      timers.schedule(1ms, [this, from_alice, bytes = serialize(message)] {
        auto parsed = parse_message(bytes);
        ASSERT_TRUE(parsed.has_value()) << bytes;
        if (from_alice) {
          to_bob(*parsed, flow(kBob, kAlice));
        } else {
          to_alice(*parsed, flow(kAlice, kBob));
        }
      });
    };
  }

  Destination to(const TransportAddress& address) const {
    Destination d{kind, address, std::nullopt};
    if (kind != TransportKind::Udp) d.flow = flow(address == kBob ? kAlice : kBob, address);
    return d;
  }
};

TransactionLayer::Config config_for(std::string sent_by) {
  TransactionLayer::Config config;
  config.via_sent_by = [sent_by](const Destination&) { return std::optional<std::string>(sent_by); };
  return config;
}

// Alice: sends the INVITE, ACKs every 2xx (§13.2.2.4), hangs up with BYE.
struct Alice {
  explicit Alice(Wire& wire)
      : wire_(wire), layer(wire.timers, wire.sender(true), user(), config_for("192.0.2.101")) {
    wire.to_alice = [this](const Message& m, const Flow& f) { layer.receive(m, f); };
  }

  TransactionUser user() {
    TransactionUser u;
    u.on_response = [this](TransactionId id, const Message& response) { on_response(id, response); };
    u.on_stray_2xx = [this](const Message& response, const Flow&) {
      if (ack && dialog && dialog->receive_response(response)) layer.send_stateless(*ack, wire_.to(kBob));
    };
    return u;
  }

  void call() {
    OutOfDialogRequest spec;
    spec.request_uri = *parse_uri("sip:bob@biloxi.example.com");
    spec.from = *parse_name_addr("Alice <sip:alice@atlanta.example.com>");
    spec.to = *parse_name_addr("Bob <sip:bob@biloxi.example.com>");
    spec.contact = *parse_uri("sip:alice@192.0.2.101");
    invite = make_out_of_dialog_request(spec);
    invite_id = *layer.send_request(*invite, wire_.to(kBob));
  }

  void on_response(TransactionId id, const Message& response) {
    statuses.push_back(response.status());
    if (id != invite_id) return;
    if (!dialog && response.status() > 100 && response.status() < 300) {
      if (auto created = Dialog::create_uac(*invite, response)) dialog.emplace(std::move(*created));
    } else if (dialog) {
      (void)dialog->receive_response(response);
    }
    if (response.status() >= 300) dialog.reset();  // the early dialog ends (§12.3)
    if (response.status() >= 200 && response.status() < 300 && dialog) {
      ack = dialog->make_ack(*invite);
      layer.send_stateless(*ack, wire_.to(kBob));
    }
  }

  void hang_up() { ASSERT_TRUE(layer.send_request(dialog->make_request(Method::Bye), wire_.to(kBob))); }

  Wire& wire_;
  std::optional<Message> invite;
  TransactionId invite_id{};
  std::optional<Dialog> dialog;
  std::optional<Message> ack;
  std::vector<int> statuses;
  TransactionLayer layer;
};

// Bob: rings at once, answers 1 s later (or never), retransmits the 2xx until the ACK, answers
// CANCEL with 200 + 487 (§9.2) and BYE with 200.
struct Bob {
  explicit Bob(Wire& wire)
      : wire_(wire), layer(wire.timers, wire.sender(false), user(), config_for("192.0.2.4")) {
    wire.to_bob = [this](const Message& m, const Flow& f) { layer.receive(m, f); };
  }

  TransactionUser user() {
    TransactionUser u;
    u.on_request = [this](TransactionId id, const Message& request, const Flow&) { on_request(id, request); };
    u.on_ack = [this](const Message& ack, const Flow&) {
      if (dialog && dialog->receive_request(ack)) {
        retransmitter.on_ack();
        ++acks;
      }
    };
    return u;
  }

  Message answer(const Message& request, int status) {
    Message response = make_response(request, status, default_reason(status), "314159");
    if (status > 100 && status < 300) response.add("Contact", "<sip:bob@192.0.2.4>");
    return response;
  }

  void on_request(TransactionId id, const Message& request) {
    if (request.method() == Method::Invite) {
      invite_id = id;
      invite = request;
      const Message ringing = answer(request, 180);
      if (auto created = Dialog::create_uas(request, ringing)) dialog.emplace(std::move(*created));
      (void)layer.send_response(id, ringing);
      if (answers) wire_.timers.schedule(1s, [this] { accept(); });
    } else if (request.method() == Method::Cancel) {
      (void)layer.send_response(id, answer(request, 200));
      if (const auto target = layer.find_cancelled_invite(request)) {
        (void)layer.send_response(*target, answer(*invite, 487));
      }
    } else if (request.method() == Method::Bye) {
      const bool in_order = dialog && dialog->receive_request(request).has_value();
      (void)layer.send_response(id, answer(request, in_order ? 200 : 500));
      if (in_order) ended = true;
    }
  }

  void accept() {
    ok = answer(*invite, 200);
    dialog->confirm();
    (void)layer.send_response(invite_id, *ok);
    retransmitter.start();
  }

  Wire& wire_;
  bool answers = true;
  TransactionId invite_id{};
  std::optional<Message> invite;
  std::optional<Message> ok;
  std::optional<Dialog> dialog;
  int acks = 0;
  bool ended = false;
  TransactionLayer layer;
  AnswerRetransmitter retransmitter{wire_.timers, TransactionTimers{},
                                    [this] { (void)layer.send_response(invite_id, *ok); }, [] {}};
};

std::size_t count(const std::vector<std::string>& log, std::string_view entry) {
  return static_cast<std::size_t>(std::count(log.begin(), log.end(), entry));
}

TEST(CallFlow, BasicSessionOverUdpSurvivesALostInviteAndALost200) {
  Wire wire;
  wire.drop_once = {"A>B INVITE", "B>A 200/INVITE"};
  Alice alice(wire);
  Bob bob(wire);
  alice.call();
  wire.timers.advance(3s);
  // Timer A resent the INVITE after 500 ms; Bob's core resent the 200 after T1 (§13.3.1.4).
  EXPECT_EQ(count(wire.log, "A>B INVITE (lost)"), 1u);
  EXPECT_EQ(count(wire.log, "A>B INVITE"), 1u);
  EXPECT_EQ(count(wire.log, "B>A 200/INVITE"), 1u);
  EXPECT_EQ(count(wire.log, "B>A 200/INVITE (lost)"), 1u);
  EXPECT_EQ(count(wire.log, "A>B ACK"), 1u);
  EXPECT_EQ(bob.acks, 1);
  EXPECT_FALSE(bob.retransmitter.active());
  ASSERT_TRUE(alice.dialog && bob.dialog);
  EXPECT_EQ(alice.dialog->state(), DialogState::Confirmed);
  EXPECT_EQ(alice.dialog->id().local_tag, bob.dialog->id().remote_tag);
  EXPECT_EQ(alice.dialog->remote_target().host, "192.0.2.4");
  EXPECT_EQ(bob.dialog->remote_target().host, "192.0.2.101");

  alice.hang_up();
  wire.timers.advance(10ms);
  EXPECT_TRUE(bob.ended);
  EXPECT_EQ(alice.statuses, (std::vector<int>{180, 200, 200}));  // 180, 200 (INVITE), 200 (BYE)
  wire.timers.advance(40s);                                      // timers J, K, L, M run out
  EXPECT_EQ(alice.layer.size(), 0u);
  EXPECT_EQ(bob.layer.size(), 0u);
  EXPECT_EQ(wire.timers.pending(), 0u);
}

TEST(CallFlow, BasicSessionOverTcpIsNeverRetransmittedByTheLayers) {
  Wire wire;
  wire.kind = TransportKind::Tcp;
  Alice alice(wire);
  Bob bob(wire);
  alice.call();
  wire.timers.advance(3s);
  alice.hang_up();
  wire.timers.advance(40s);
  EXPECT_EQ(wire.log, (std::vector<std::string>{"A>B INVITE", "B>A 180/INVITE", "B>A 200/INVITE", "A>B ACK",
                                                "A>B BYE", "B>A 200/BYE"}));
  EXPECT_TRUE(bob.ended);
  EXPECT_EQ(alice.layer.size() + bob.layer.size(), 0u);
}

TEST(CallFlow, LostAckIsRepeatedForTheRetransmitted200) {
  Wire wire;
  wire.drop_once = {"A>B ACK"};
  Alice alice(wire);
  Bob bob(wire);
  alice.call();
  wire.timers.advance(3s);
  EXPECT_EQ(count(wire.log, "A>B ACK (lost)"), 1u);
  EXPECT_EQ(count(wire.log, "A>B ACK"), 1u);
  EXPECT_EQ(bob.acks, 1);
  EXPECT_FALSE(bob.retransmitter.active());
}

TEST(CallFlow, CancelOfARingingCall) {
  Wire wire;
  Alice alice(wire);
  Bob bob(wire);
  bob.answers = false;
  alice.call();
  wire.timers.advance(100ms);
  ASSERT_TRUE(alice.layer.cancel(alice.invite_id));
  wire.timers.advance(100ms);
  EXPECT_EQ(wire.log, (std::vector<std::string>{"A>B INVITE", "B>A 180/INVITE", "A>B CANCEL",
                                                "B>A 200/CANCEL", "B>A 487/INVITE", "A>B ACK"}));
  EXPECT_EQ(alice.statuses, (std::vector<int>{180, 487}));  // the CANCEL's 200 stays in the layer
  EXPECT_FALSE(alice.dialog.has_value());
  EXPECT_EQ(bob.acks, 0);  // the ACK of the 487 ends in Bob's INVITE transaction
  wire.timers.advance(40s);
  EXPECT_EQ(alice.layer.size() + bob.layer.size(), 0u);
}

}  // namespace
}  // namespace rtcgate::sip
