// TestUa: a small SIP user agent built only on rtcgate's stack, the far end of the SIPp interop
// tests (RFC 3665 basic call flows over UDP and TCP).
//
// As a UAS it answers every INVITE by the user part of its Request-URI:
//   "answer..."  180 then 200 with an SDP body; the 200 is retransmitted (T1 doubling up to T2)
//                until its ACK arrives (RFC 3261 §13.3.1.4), giving up after 64*T1;
//   "ring..."    180 only, waits for a CANCEL (§9.2: 200 to the CANCEL, then 487 to the INVITE);
//   "auth..."    401 with a digest challenge (MD5, qop=auth; alice / wonderland) until the INVITE
//                carries valid credentials, then as "answer" (§22.2).
// BYE in a dialog gets 200 (§15.1.2), outside one 481; OPTIONS 200; other methods 405.
// As a UAC it places one call: INVITE with an SDP body, answers a 401/407 once with DigestClient,
// ACKs every 2xx (retransmissions too, §13.2.2.4), then either sends BYE after a short hold or,
// in cancel mode, CANCELs on the first 180 and expects 487.
// It counts what it did (Stats) so a test can assert on its side of the exchange; every message
// it sends goes through the stack's TransactionLayer (or send_stateless for the ACK of a 2xx).
//
// Ownership: owns its TransactionLayer; borrows the TimerService, which must outlive it.
// Thread affinity: the signaling thread (all calls and the send function on one thread).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rtcgate/sip/auth/digest_client.hpp"
#include "rtcgate/sip/auth/digest_server.hpp"
#include "rtcgate/sip/flow.hpp"
#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/timer_service.hpp"
#include "rtcgate/sip/transaction_layer.hpp"

namespace rtcgate::sip::testua {

enum class CallMode : std::uint8_t { Bye, Cancel };

// A deliberate misbehaviour, to show that the interop cases fail when the UA gets it wrong.
enum class Fault : std::uint8_t {
  None,
  NoAck,               // UAC: never ACKs a 2xx (§13.2.2.4)
  WrongPassword,       // UAC: answers challenges with a wrong password (§22.2)
  NoOkRetransmission,  // UAS: sends the 2xx to INVITE once, never again (§13.3.1.4)
  AnswerCancelled,     // UAS: answers a cancelled INVITE 200 instead of 487 (§9.2)
};

// "no-ack", "wrong-password", "no-ok-retransmission", "answer-cancelled"; nullopt otherwise.
std::optional<Fault> parse_fault(std::string_view name);

struct TestUaConfig {
  // Our listeners, for Via sent-by and Contact (one per transport kind).
  std::map<TransportKind, TransportAddress> local;
  std::string user = "ua";
  std::string username = "alice";
  std::string password = "wonderland";
  // The UAS is done once this many calls ended (BYE answered or CANCEL completed).
  std::uint32_t calls = 1;
  TransactionTimers timers;
  Fault fault = Fault::None;
};

struct Stats {
  std::uint64_t invites_received = 0;
  std::uint64_t challenges_sent = 0;
  std::uint64_t authenticated = 0;
  std::uint64_t ringing_sent = 0;
  std::uint64_t answered = 0;
  std::uint64_t ok_retransmissions = 0;  // 2xx to INVITE resent by the UA core (§13.3.1.4)
  std::uint64_t acks_received = 0;
  std::uint64_t byes_answered = 0;
  std::uint64_t cancels_answered = 0;
  std::uint64_t challenges_answered = 0;       // UAC: 401/407 answered with credentials
  std::uint64_t acks_sent = 0;                 // UAC: ACKs of 2xx, retransmitted 2xx included
  std::uint64_t request_retransmissions = 0;   // requests sent again by client transactions
  std::uint64_t response_retransmissions = 0;  // responses sent again (any layer)
  std::uint64_t calls_completed = 0;           // UAS: ended calls; UAC: 1 on success
  std::uint64_t failures = 0;                  // timeouts, transport errors, unexpected responses

  // "name=value" pairs separated by spaces, in declaration order.
  std::string to_string() const;
  // The value of a counter by its name, nullopt for an unknown name.
  std::optional<std::uint64_t> get(std::string_view name) const;
};

class TestUa {
 public:
  // `send` is the stack's way to the network (make_transport_sender); `on_done` runs once the UAS
  // has seen TestUaConfig::calls calls end, or the UAC call finished (either way).
  TestUa(TimerService& timers, SendFunction send, TestUaConfig config, std::function<void()> on_done);
  ~TestUa();
  TestUa(const TestUa&) = delete;
  TestUa& operator=(const TestUa&) = delete;

  // A message from the transport (parsed by the caller).
  void receive(const Message& message, const Flow& flow) { layer_.receive(message, flow); }
  void flow_closed(const Flow& flow) { layer_.on_flow_closed(flow); }

  // UAC: calls `target` ("sip:user@127.0.0.1:5070;transport=tcp").
  bool call(const Uri& target, CallMode mode);
  // UAC: true once the call ended as its mode wants (BYE answered 200, or INVITE answered 487).
  bool call_succeeded() const { return uac_.succeeded; }

  const Stats& stats() const { return stats_; }

 private:
  struct ServerCall {
    std::string call_id;
    std::string local_tag;
    TransactionId invite{};
    Message ok;
    TimerHandle retransmit;
    Duration interval{};
    TimePoint give_up{};
    bool confirmed = false;
    bool ended = false;
  };
  struct ClientCall {
    CallMode mode = CallMode::Bye;
    Uri target;
    Destination destination;
    Message invite;
    TransactionId invite_id{};
    std::uint32_t cseq = 1;
    std::optional<Message> ack;  // built from the first 2xx, resent on each retransmission
    std::optional<Message> bye;
    Destination in_dialog;
    TransactionId bye_id{};
    TimerHandle bye_timer;
    bool cancel_sent = false;
    bool finished = false;
    bool succeeded = false;
  };

  // UAS (test_ua_server.cpp)
  void on_request(TransactionId id, const Message& request, const Flow& flow);
  void on_invite(TransactionId id, const Message& invite);
  void answer(TransactionId id, const Message& invite, std::string_view local_tag);
  void retransmit_ok(const std::string& key);
  void on_ack(const Message& ack);
  void on_bye(TransactionId id, const Message& bye);
  void on_cancel(TransactionId id, const Message& cancel);
  void call_ended();
  ServerCall* find_server_call(const Message& in_dialog);

  // UAC (test_ua_client.cpp)
  void on_response(TransactionId id, const Message& response);
  void on_invite_response(const Message& response);
  void on_2xx(const Message& response);
  void send_bye();
  void finish(bool succeeded);
  Message in_dialog_request(Method method, std::uint32_t cseq, const Message& ok) const;

  void on_failure(TransactionId id, TransactionFailure failure);
  void count_send(const Message& message);
  std::string via_for(TransportKind kind) const;
  std::string contact_for(TransportKind kind) const;

  TimerService& timers_;
  TestUaConfig config_;
  std::function<void()> on_done_;
  bool done_ = false;
  Stats stats_;
  std::set<std::string> sent_;  // first line + branch + CSeq of each message sent, to spot resends
  auth::DigestServer digest_server_;
  auth::DigestClient digest_client_;
  std::map<std::string, ServerCall> server_calls_;  // by Call-ID + local tag
  ClientCall uac_;
  TransactionLayer layer_;  // last: its callbacks reach the members above
};

// A Destination for a request to `uri` (numeric host; `transport` parameter, UDP by default).
std::optional<Destination> destination_for(const Uri& uri);

}  // namespace rtcgate::sip::testua
