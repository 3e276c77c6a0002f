// Dispatch and bookkeeping of the B2BUA: which call a transaction, a dialog or a media session
// belongs to. The call flows themselves are in requests.cpp, outbound.cpp, answer.cpp,
// media_events.cpp and teardown.cpp.
#include "rtcgate/gateway/b2bua/b2bua.hpp"

#include "call.hpp"

#include <rtcgate/sip/dialog/dialog_id.hpp>
#include <rtcgate/sip/response.hpp>

#include <boost/asio/post.hpp>

#include <utility>
#include <variant>

namespace rtcgate::gateway::b2bua {

std::string_view to_string(CallState state) {
  switch (state) {
    case CallState::Creating:
      return "setup";
    case CallState::Resolving:
      return "setup";
    case CallState::Calling:
      return "early";
    case CallState::Answering:
      return "early";
    case CallState::Active:
      return "active";
    case CallState::Ending:
      return "ending";
  }
  return "setup";
}

media::SessionEventSink B2bua::media_sink(boost::asio::io_context& io, std::weak_ptr<B2bua*> target) {
  return [&io, target](media::SessionEvent event) {
    boost::asio::post(io, [target, event = std::move(event)] {
      if (auto slot = target.lock(); slot && *slot) (*slot)->on_media_event(event);
    });
  };
}

B2bua::B2bua(const Config& config, SipStack& sip, media::MediaEngine& media, CallRegistry& calls)
    : config_(config),
      sip_(sip),
      media_(media),
      registry_(calls),
      registrar_(config),
      relay_(config, sip, calls, [this](sip::TransportKind kind) { return contact_uri(kind, {}); }) {
  sip_.set_handler(this);
}

B2bua::~B2bua() {
  sip_.set_handler(nullptr);
  sip_.timers().cancel(drain_timer_);
  for (auto& [id, call] : calls_) {
    sip_.timers().cancel(call->gather_timer);
    sip_.timers().cancel(call->stats_timer);
    sip_.timers().cancel(call->web_session_timer.handle);
    sip_.timers().cancel(call->legacy_session_timer.handle);
    if (call->session) media_.destroy_session(call->session);
  }
  for (auto& [session, ending] : ending_)
    sip_.timers().cancel(ending.timer);
}

void B2bua::on_request(sip::TransactionId id, const sip::Message& request, const sip::Flow& flow) {
  const bool in_dialog = request.to() && !request.to()->tag().empty();
  if (request.method() == sip::Method::Cancel) return on_cancel(id, request);
  if (in_dialog) return on_in_dialog(id, request);
  switch (request.method()) {
    case sip::Method::Invite:
      return on_new_invite(id, request, flow);
    case sip::Method::Options:
      return on_options(id, request);
    case sip::Method::Register:
      return on_register(id, request, flow);
    case sip::Method::Bye:
      return respond(id, request, 481);
    default:
      return respond(id, request, 405);
  }
}

void B2bua::on_ack(const sip::Message& ack, const sip::Flow&) {
  Call* call = find_by_dialog(ack);
  if (call && on_mid_call_ack(*call, ack)) return;
  if (call && call->inbound.retransmitter) {
    call->inbound.retransmitter->on_ack();
    log_call("call.pbx_ack", *call);
    if (call->inbound.offerless && !call->legacy.media && call->state == CallState::Active)
      on_offerless_ack(*call, ack);
    return;
  }
  if (!call || !call->web.dialog) return;
  if (call->web.retransmitter) call->web.retransmitter->on_ack();
  log_call("call.web_ack", *call);
}

void B2bua::on_response(sip::TransactionId id, const sip::Message& response) {
  if (relay_.on_response(id, response)) return;
  auto ref = txns_.find(static_cast<std::uint64_t>(id));
  if (ref == txns_.end()) return;
  Call* call = find_call(ref->second.call);
  if (ref->second.purpose == Purpose::ForkInvite) {
    if (call) return on_fork_response(*call, id, response);
    // The call ended while this fork was ringing: a 2xx that crossed our CANCEL is ended.
    const sip::Message* invite = sip_.layer().request(id);
    if (invite && sip::is_success(response.status()) && ref->second.flow)
      end_late_fork(*invite, response, *ref->second.flow);
    return;
  }
  if (ref->second.purpose == Purpose::MidCallInvite) {
    if (call) on_reoffer_response(*call, id, response);
    return;
  }
  if (ref->second.purpose == Purpose::MidCallInfo) {
    if (call) on_info_response(*call, id, response.status());
    return;
  }
  if (ref->second.purpose == Purpose::WebRefresh || ref->second.purpose == Purpose::LegacyRefresh) {
    const SessionLeg leg = ref->second.purpose == Purpose::WebRefresh ? SessionLeg::Web : SessionLeg::Legacy;
    if (call && call->state != CallState::Ending) on_refresh_response(*call, leg, id, response);
    return;
  }
  if (ref->second.purpose != Purpose::LegacyInvite) return;
  if (call) return on_legacy_response(*call, response);
  // The call ended while its INVITE was outstanding (CANCEL crossed the PBX's 200).
  if (sip::is_success(response.status())) bye_orphan(id, response);
}

void B2bua::on_stray_2xx(const sip::Message& response, const sip::Flow&) {
  // A retransmitted 2xx after the INVITE transaction ended: our ACK was lost (§13.2.2.4).
  auto id = sip::dialog_id_of_received_response(response);
  if (!id) return;
  auto it = dialogs_.find(id->call_id + ';' + id->local_tag);
  if (it == dialogs_.end()) return;
  Call* call = find_call(it->second);
  if (call && call->legacy.dialog && call->legacy.dialog->id() == *id) ack_legacy(*call, response);
}

void B2bua::on_failure(sip::TransactionId id, sip::TransactionFailure failure) {
  if (relay_.on_failure(id, failure)) return;
  auto ref = txns_.find(static_cast<std::uint64_t>(id));
  if (ref == txns_.end()) return;
  TxnRef what = ref->second;
  Call* call = find_call(what.call);
  if (!call) return;
  if (what.purpose == Purpose::LegacyInvite && !call->legacy.final_received) {
    call->legacy.final_received = true;
    const bool timeout = failure == sip::TransactionFailure::Timeout;
    log_call("call.pbx_failed", *call, {{"reason", sip::to_string(failure)}});
    // RFC 3261 §16.7 step 6 (a proxy's rule, which a B2BUA follows too): no answer is 408.
    fail_call(*call, timeout ? 408 : 503, timeout ? "PBX did not answer" : "PBX unreachable",
              timeout ? CallOutcome::NoAnswer : CallOutcome::Failed);
  } else if (what.purpose == Purpose::ForkInvite) {
    const bool timeout = failure == sip::TransactionFailure::Timeout;
    on_fork_failed(*call, id, timeout ? 408 : 480, sip::to_string(failure));
  } else if (what.purpose == Purpose::WebInvite) {
    hang_up(*call, "no ACK from the browser", CallOutcome::Failed);
  } else if (what.purpose == Purpose::MidCallInvite) {
    on_reoffer_failed(*call, id, 408, sip::to_string(failure));
  } else if (what.purpose == Purpose::MidCallInfo) {
    on_info_response(*call, id, 408);
  } else if (what.purpose == Purpose::PbxInvite) {
    hang_up(*call, "PBX transaction failed", CallOutcome::Failed);
  } else if (what.purpose == Purpose::WebRefresh || what.purpose == Purpose::LegacyRefresh) {
    hang_up(*call, "session refresh got no answer", CallOutcome::Answered);  // RFC 4028 §10
  }
}

void B2bua::on_terminated(sip::TransactionId id) {
  relay_.on_terminated(id);
  txns_.erase(static_cast<std::uint64_t>(id));
}

void B2bua::on_flow_closed(const sip::Flow& flow, std::error_code reason) {
  if (registrar_.enabled()) {
    registrar_.on_flow_closed(flow);
    registry_.set_registrations(RegistrationKind::Local, registrar_.size());
  }
  relay_.on_flow_closed(flow);
  std::vector<std::string> gone;
  for (auto& [id, call] : calls_) {
    if (call->web.flow.connection != 0 && call->web.flow == flow && call->state != CallState::Ending)
      gone.push_back(id);
  }
  for (const std::string& id : gone) {
    if (Call* call = find_call(id)) {
      log_call("call.websocket_closed", *call, {{"reason", reason.message()}});
      call->web.invite_pending = false;  // nothing can reach the browser any more
      call->web.dialog.reset();
      hang_up(*call, "websocket closed", CallOutcome::Cancelled);
    }
  }
}

Call* B2bua::find_call(std::string_view id) {
  auto it = calls_.find(std::string(id));
  return it == calls_.end() ? nullptr : it->second.get();
}

Call* B2bua::find_by_dialog(const sip::Message& request) {
  auto id = sip::dialog_id_of_incoming_request(request);
  if (!id) return nullptr;
  auto it = dialogs_.find(id->call_id + ';' + id->local_tag);
  return it == dialogs_.end() ? nullptr : find_call(it->second);
}

void B2bua::index_dialog(Call& call, const sip::Dialog& dialog) {
  std::string key = dialog.id().call_id + ';' + dialog.id().local_tag;
  dialogs_[key] = call.id;
  call.dialog_keys.push_back(std::move(key));
}

std::optional<sip::TransactionId> B2bua::send_request(Call& call, sip::Message request,
                                                      const sip::Destination& to, Purpose purpose) {
  auto id = sip_.layer().send_request(std::move(request), to);
  if (!id) {
    log_call("call.send_failed", call, {{"reason", id.error().message()}});
    return std::nullopt;
  }
  // A send that failed at once was reported (and the id retired) before we got it.
  if (sip_.layer().state(*id))
    txns_[static_cast<std::uint64_t>(*id)] = TxnRef{call.id, purpose, std::nullopt};
  return *id;
}

sip::Destination B2bua::web_destination(const Call& call) const {
  sip::Destination to;
  to.kind = call.web.flow.kind;
  to.address = call.web.flow.remote;
  to.flow = call.web.flow;
  return to;
}

sip::Uri B2bua::contact_uri(sip::TransportKind kind, std::string_view user) const {
  sip::Uri uri;
  uri.user = std::string(user);
  auto listener = sip_.listener(kind);
  if (listener) {
    uri.host = listener->local.ip.find(':') != std::string::npos ? "[" + listener->local.ip + "]"
                                                                 : listener->local.ip;
    uri.port = listener->local.port;
  } else {
    uri.host = sip_.sent_by(kind);
  }
  if (kind != sip::TransportKind::Udp) {
    std::string token(sip::via_token(kind));
    for (char& c : token)
      c = static_cast<char>(c - 'A' + 'a');
    uri.params.push_back({"transport", token});
  }
  return uri;
}

void B2bua::log_call(std::string_view event, const Call& call, std::initializer_list<LogField> extra) {
  std::vector<LogField> fields;
  fields.reserve(extra.size() + 2);
  fields.emplace_back("call_id", call.id);
  fields.emplace_back("state", to_string(call.state));
  fields.insert(fields.end(), extra.begin(), extra.end());
  Logger::global().write(LogLevel::Info, event, fields);
}

}  // namespace rtcgate::gateway::b2bua
