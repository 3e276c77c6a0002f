// TestUa as a UAS: INVITE (answer, ring, challenge), ACK, BYE, CANCEL, OPTIONS.
#include <algorithm>
#include <string>

#include "rtcgate/sip/auth/message_auth.hpp"
#include "rtcgate/sip/identifiers.hpp"
#include "rtcgate/sip/response.hpp"
#include "test_ua.hpp"

namespace rtcgate::sip::testua {
namespace {

// The media description of the answer; the tests check signaling only, nothing listens there.
constexpr std::string_view kAnswerSdp =
    "v=0\r\n"
    "o=rtcgate-test-ua 1 1 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\n"
    "m=audio 40000 RTP/AVP 0\r\n"
    "a=rtpmap:0 PCMU/8000\r\n";

std::string dialog_key(std::string_view call_id, std::string_view local_tag) {
  return std::string(call_id) + "|" + std::string(local_tag);
}

TransportKind kind_of(const Message& request) {
  const auto via = request.top_via();
  return via ? parse_transport_kind(via->transport).value_or(TransportKind::Udp) : TransportKind::Udp;
}

}  // namespace

void TestUa::on_request(TransactionId id, const Message& request, const Flow&) {
  switch (request.method()) {
    case Method::Invite:
      on_invite(id, request);
      return;
    case Method::Bye:
      on_bye(id, request);
      return;
    case Method::Cancel:
      on_cancel(id, request);
      return;
    case Method::Options:
      (void)layer_.send_response(id, make_response(request, 200, "OK", make_tag()));
      return;
    default: {
      Message refused = make_response(request, 405, "Method Not Allowed", make_tag());
      refused.add("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS");
      (void)layer_.send_response(id, refused);
    }
  }
}

void TestUa::on_invite(TransactionId id, const Message& invite) {
  ++stats_.invites_received;
  const auto to = invite.to();
  if (!to || !to->tag().empty()) {  // re-INVITEs are not part of these call flows
    (void)layer_.send_response(id, make_response(invite, 488, "Not Acceptable Here", make_tag()));
    return;
  }
  const std::string& user = invite.request_uri().user;
  if (user.starts_with("auth")) {
    const TimePoint now = timers_.now();
    const auto result = auth::verify_request(digest_server_, invite, auth::ChallengeKind::Www, now);
    if (!result.ok()) {
      // §22.2: 401 with a fresh nonce; stale=true when only the nonce was too old (RFC 7616 §3.3).
      const bool stale = result.verdict == auth::AuthVerdict::Stale;
      (void)layer_.send_response(
          id, auth::make_challenge(digest_server_, invite, auth::ChallengeKind::Www, stale, make_tag(), now));
      ++stats_.challenges_sent;
      return;
    }
    ++stats_.authenticated;
  }
  const std::string local_tag = make_tag();
  Message ringing = make_response(invite, 180, "Ringing", local_tag);
  ringing.add("Contact", contact_for(kind_of(invite)));
  if (layer_.send_response(id, ringing)) ++stats_.ringing_sent;
  if (user.starts_with("ring")) {
    // Rings until cancelled; the call is remembered so the CANCEL's 487 carries the same tag.
    ServerCall call;
    call.call_id = std::string(invite.call_id().value_or(""));
    call.local_tag = local_tag;
    call.invite = id;
    server_calls_.insert_or_assign(dialog_key(call.call_id, local_tag), std::move(call));
    return;
  }
  answer(id, invite, local_tag);
}

void TestUa::answer(TransactionId id, const Message& invite, std::string_view local_tag) {
  ServerCall call;
  call.call_id = std::string(invite.call_id().value_or(""));
  call.local_tag = std::string(local_tag);
  call.invite = id;
  call.ok = make_response(invite, 200, "OK", local_tag);
  call.ok.add("Contact", contact_for(kind_of(invite)));
  call.ok.set_body(std::string(kAnswerSdp), "application/sdp");
  if (!layer_.send_response(id, call.ok)) {
    ++stats_.failures;
    return;
  }
  ++stats_.answered;
  // §13.3.1.4: the UA core, not the transaction, resends the 2xx until the ACK comes: T1,
  // doubling up to T2, for at most 64*T1.
  call.interval = config_.timers.t1;
  call.give_up = timers_.now() + 64 * config_.timers.t1;
  const std::string key = dialog_key(call.call_id, call.local_tag);
  if (config_.fault != Fault::NoOkRetransmission) {
    call.retransmit = timers_.schedule(call.interval, [this, key] { retransmit_ok(key); });
  }
  server_calls_.insert_or_assign(key, std::move(call));
}

void TestUa::retransmit_ok(const std::string& key) {
  const auto it = server_calls_.find(key);
  if (it == server_calls_.end()) return;
  ServerCall& call = it->second;
  call.retransmit = {};
  if (call.confirmed || call.ended) return;
  if (timers_.now() >= call.give_up || !layer_.send_response(call.invite, call.ok)) {
    // No ACK within 64*T1 (§13.3.1.4 would send a BYE; the test only needs to see it failed).
    ++stats_.failures;
    call.ended = true;
    return;
  }
  ++stats_.ok_retransmissions;
  call.interval = std::min(2 * call.interval, config_.timers.t2);
  call.retransmit = timers_.schedule(call.interval, [this, key] { retransmit_ok(key); });
}

TestUa::ServerCall* TestUa::find_server_call(const Message& in_dialog) {
  const auto to = in_dialog.to();
  if (!to) return nullptr;
  const auto it = server_calls_.find(dialog_key(in_dialog.call_id().value_or(""), to->tag()));
  return it == server_calls_.end() ? nullptr : &it->second;
}

void TestUa::on_ack(const Message& ack) {
  ++stats_.acks_received;
  ServerCall* call = find_server_call(ack);
  if (!call || call->confirmed) return;
  call->confirmed = true;
  timers_.cancel(call->retransmit);
  call->retransmit = {};
}

void TestUa::on_bye(TransactionId id, const Message& bye) {
  ServerCall* call = find_server_call(bye);
  if (!call || call->ended) {
    (void)layer_.send_response(id, make_response(bye, 481, "Call/Transaction Does Not Exist", make_tag()));
    return;
  }
  (void)layer_.send_response(id, make_response(bye, 200, "OK"));
  ++stats_.byes_answered;
  call->ended = true;
  timers_.cancel(call->retransmit);
  call->retransmit = {};
  call_ended();
}

void TestUa::on_cancel(TransactionId id, const Message& cancel) {
  const auto invite_id = layer_.find_cancelled_invite(cancel);
  const Message* invite = invite_id ? layer_.request(*invite_id) : nullptr;
  if (!invite) {
    // §9.2: no matching transaction.
    (void)layer_.send_response(id, make_response(cancel, 481, "Call/Transaction Does Not Exist", make_tag()));
    return;
  }
  ServerCall* call = nullptr;
  for (auto& [key, candidate] : server_calls_) {
    if (candidate.invite == *invite_id) call = &candidate;
  }
  const std::string tag = call ? call->local_tag : make_tag();
  // §9.2: the CANCEL is answered 200 with the INVITE's To tag, then the INVITE gets 487.
  (void)layer_.send_response(id, make_response(cancel, 200, "OK", tag));
  if (config_.fault == Fault::AnswerCancelled) {
    answer(*invite_id, *invite, tag);
    return;
  }
  if (!layer_.send_response(*invite_id, make_response(*invite, 487, "Request Terminated", tag))) {
    ++stats_.failures;  // already answered: the CANCEL came too late
    return;
  }
  ++stats_.cancels_answered;
  if (call) call->ended = true;
  call_ended();
}

void TestUa::call_ended() {
  ++stats_.calls_completed;
  if (!done_ && stats_.calls_completed >= config_.calls) {
    done_ = true;
    if (on_done_) on_done_();
  }
}

}  // namespace rtcgate::sip::testua
