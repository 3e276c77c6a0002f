// TestUa as a UAC: one call with INVITE, digest answer, ACK of every 2xx, BYE or CANCEL.
#include <algorithm>
#include <chrono>
#include <string>

#include "rtcgate/sip/auth/message_auth.hpp"
#include "rtcgate/sip/identifiers.hpp"
#include "test_ua.hpp"

namespace rtcgate::sip::testua {
namespace {

constexpr std::string_view kOfferSdp =
    "v=0\r\n"
    "o=rtcgate-test-ua 2 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "c=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\n"
    "m=audio 40002 RTP/AVP 0\r\n"
    "a=rtpmap:0 PCMU/8000\r\n";

// How long the call stays up before the BYE.
constexpr auto kHold = std::chrono::milliseconds(300);

bool is_invite_response(const Message& response) {
  const auto cseq = response.cseq();
  return cseq && cseq->method == Method::Invite;
}

}  // namespace

bool TestUa::call(const Uri& target, CallMode mode) {
  const auto destination = destination_for(target);
  if (!destination) return false;
  uac_ = ClientCall{};
  uac_.mode = mode;
  uac_.target = target;
  uac_.destination = *destination;
  const auto local = config_.local.find(destination->kind);
  const std::string host = local == config_.local.end() ? "127.0.0.1" : local->second.ip;
  Uri to = target;
  to.params.clear();
  to.headers.clear();

  Message invite = Message::request(Method::Invite, target);
  invite.add("Via", via_for(destination->kind));
  invite.add("Max-Forwards", "70");
  invite.add("From", "<sip:" + config_.username + "@" + host + ">;tag=" + make_tag());
  invite.add("To", "<" + to.to_string() + ">");
  invite.add("Call-ID", make_call_id(host));
  invite.add("CSeq", "1 INVITE");
  invite.add("Contact", contact_for(destination->kind));
  invite.set_body(std::string(kOfferSdp), "application/sdp");
  const auto id = layer_.send_request(invite, uac_.destination);
  if (!id) return false;
  uac_.invite = std::move(invite);
  uac_.invite_id = *id;
  return true;
}

void TestUa::on_response(TransactionId id, const Message& response) {
  if (uac_.finished) return;
  if (id == uac_.invite_id) {
    on_invite_response(response);
    return;
  }
  // The CANCEL's own transaction is the layer's (TransactionLayer::cancel): its 200 never gets
  // here, and the INVITE's 487 is what tells the call was cancelled (§9.1).
  if (response.status() < 200) return;
  if (id == uac_.bye_id) finish(response.status() < 300 && uac_.mode == CallMode::Bye);
}

void TestUa::on_invite_response(const Message& response) {
  const int status = response.status();
  if (status < 200) {
    // Cancel once the far end rings: the INVITE is then known to have arrived (§9.1).
    if (uac_.mode == CallMode::Cancel && status == 180 && !uac_.cancel_sent) {
      uac_.cancel_sent = true;
      if (!layer_.cancel(uac_.invite_id)) finish(false);
    }
    return;
  }
  if (status < 300) {
    on_2xx(response);
    return;
  }
  if ((status == 401 || status == 407) && stats_.challenges_answered == 0 &&
      auth::on_challenge(digest_client_, uac_.invite, response) == auth::ClientVerdict::Answered) {
    // §22.2: the same request again with a new CSeq and branch, now with credentials. The ACK of
    // the 401 was sent by the INVITE client transaction (§17.1.1.3).
    Message retry = uac_.invite;
    retry.remove_first("Via");
    retry.add_front("Via", via_for(uac_.destination.kind));
    retry.replace("CSeq", std::to_string(++uac_.cseq) + " INVITE");
    auth::authorize(digest_client_, retry);
    const auto id = layer_.send_request(retry, uac_.destination);
    if (!id) {
      finish(false);
      return;
    }
    ++stats_.challenges_answered;
    uac_.invite = std::move(retry);
    uac_.invite_id = *id;
    return;
  }
  if (status == 487 && uac_.mode == CallMode::Cancel && uac_.cancel_sent) {
    finish(true);
    return;
  }
  finish(false);
}

void TestUa::on_2xx(const Message& response) {
  if (!is_invite_response(response) || response.call_id() != uac_.invite.call_id() || uac_.finished) return;
  if (uac_.ack) {
    // A retransmitted 2xx: its ACK was lost, send the same ACK again (§13.2.2.4).
    if (config_.fault == Fault::NoAck) return;
    layer_.send_stateless(*uac_.ack, uac_.in_dialog);
    ++stats_.acks_sent;
    return;
  }
  uac_.ack = in_dialog_request(Method::Ack, uac_.cseq, response);
  // §13.2.2.4 / §22.1: the ACK carries the INVITE's credentials.
  for (const auto value : uac_.invite.all("Authorization"))
    uac_.ack->add("Authorization", value);
  uac_.bye = in_dialog_request(Method::Bye, uac_.cseq + 1, response);
  // §12.2.1.1: the request goes to the first Route when there is a route set, else the target.
  const auto routes = uac_.ack->routes();
  const Uri& next_hop = routes.empty() ? uac_.ack->request_uri() : routes.front().uri;
  const auto destination = destination_for(next_hop);
  if (!destination) {
    finish(false);
    return;
  }
  uac_.in_dialog = *destination;
  if (config_.fault != Fault::NoAck) {
    layer_.send_stateless(*uac_.ack, uac_.in_dialog);
    ++stats_.acks_sent;
  }
  // A 2xx in cancel mode means the CANCEL lost the race: end the call, and the run fails.
  uac_.bye_timer = timers_.schedule(kHold, [this] { send_bye(); });
}

Message TestUa::in_dialog_request(Method method, std::uint32_t cseq, const Message& ok) const {
  // §12.1.2: remote target from the Contact of the 2xx; route set from Record-Route, reversed.
  Uri target = uac_.target;
  if (const auto contacts = ok.contacts(); contacts && !contacts->contacts.empty())
    target = contacts->contacts.front().uri;
  Message request = Message::request(method, target);
  request.add("Via", via_for(uac_.destination.kind));
  request.add("Max-Forwards", "70");
  auto record_routes = ok.record_routes();
  std::reverse(record_routes.begin(), record_routes.end());
  for (const auto& route : record_routes)
    request.add("Route", route.to_string());
  request.add("From", uac_.invite.first("From").value_or(""));
  request.add("To", ok.first("To").value_or(""));
  request.add("Call-ID", uac_.invite.call_id().value_or(""));
  request.add("CSeq", make_cseq(cseq, method).to_string());
  return request;
}

void TestUa::send_bye() {
  uac_.bye_timer = {};
  if (uac_.finished || !uac_.bye) return;
  const auto id = layer_.send_request(*uac_.bye, uac_.in_dialog);
  if (!id) {
    finish(false);
    return;
  }
  uac_.bye_id = *id;
}

void TestUa::finish(bool succeeded) {
  if (uac_.finished) return;
  uac_.finished = true;
  uac_.succeeded = succeeded;
  if (succeeded) {
    ++stats_.calls_completed;
  } else {
    ++stats_.failures;
  }
  timers_.cancel(uac_.bye_timer);
  if (!done_) {
    done_ = true;
    if (on_done_) on_done_();
  }
}

}  // namespace rtcgate::sip::testua
