#include "rtcgate/gateway/b2bua/registration_relay.hpp"

#include "pbx_route.hpp"

#include "rtcgate/gateway/log.hpp"

#include <rtcgate/sip/identifiers.hpp>
#include <rtcgate/sip/response.hpp>

#include <algorithm>
#include <chrono>

namespace rtcgate::gateway::b2bua {
namespace {

// How long a challenged registration waits for the browser's answer (64·T1, RFC 3261 §17.1.2.2).
constexpr std::chrono::seconds kChallengeWait{32};

std::string aor_of(const sip::Message& request) {
  return request.to() ? request.to()->uri.to_string() : std::string();
}

}  // namespace

RegistrationRelay::RegistrationRelay(const Config& config, SipStack& sip, CallRegistry& registry,
                                     ContactBase contact_base)
    : config_(config), sip_(sip), registry_(registry), contact_base_(std::move(contact_base)) {}

RegistrationRelay::~RegistrationRelay() {
  sip_.timers().cancel(sweep_timer_);
}

bool RegistrationRelay::serves(const sip::Message& request, const sip::Flow& flow) const {
  if (!config_.registration.relay) return false;
  if (flow.kind != sip::TransportKind::Ws && flow.kind != sip::TransportKind::Wss) return false;
  const std::string user = request.to() ? request.to()->uri.user : std::string();
  return std::none_of(config_.users.begin(), config_.users.end(),
                      [&](const LocalUser& u) { return u.name == user; });
}

void RegistrationRelay::on_register(sip::TransactionId id, const sip::Message& request,
                                    const sip::Flow& flow) {
  auto intent = read_register_intent(request);
  if (!intent) return answer(id, request, 400, intent.error());
  if (!request.to() || !request.to()->uri.is_sip()) return answer(id, request, 400, "To is not a SIP URI");
  if (intent->kind == RegisterIntent::Kind::Query) return query(id, request, flow);
  const std::string call_id(request.call_id().value_or(""));
  const sip::TimePoint now = sip_.timers().now();
  RelayBinding* binding = bindings_.find(flow, call_id);
  if (intent->kind == RegisterIntent::Kind::Unbind) {
    if (!binding) return answer(id, request, 200);
    if (!binding->registered) {
      bindings_.remove(binding->key);
      rearm();
      return answer(id, request, 200);
    }
  } else {
    if (!binding) {
      RelayBinding fresh;
      fresh.key = new_relay_key();
      fresh.aor = aor_of(request);
      fresh.aor_user = request.to()->uri.user;
      fresh.browser_call_id = call_id;
      fresh.flow = flow;
      fresh.upstream_call_id = sip::make_call_id();
      fresh.expires_at = now + kChallengeWait;
      const std::string key = fresh.key;
      if (!bindings_.add(std::move(fresh))) return answer(id, request, 500, "relay key in use");
      binding = bindings_.find_key(key);
      rearm();
    }
    binding->browser_contact = intent->contact;
    binding->browser_uri = intent->uri;
  }
  Upstream upstream;
  upstream.key = binding->key;
  upstream.browser_txn = id;
  upstream.browser_request = request;
  upstream.requested = intent->kind == RegisterIntent::Kind::Unbind ? 0 : intent->expires;
  send_upstream(std::move(upstream), std::nullopt);
}

void RegistrationRelay::send_upstream(Upstream upstream, std::optional<RelayBinding> gone) {
  auto pbx = sip::parse_uri(config_.pbx.uri);
  auto request = pbx ? resolve_request(*pbx) : std::nullopt;
  if (!request) return fail_browser(upstream, 500, "[pbx] uri is not a SIP URI");
  std::weak_ptr<bool> alive = alive_;
  sip_.resolver().resolve(*request, [this, alive, upstream = std::move(upstream), gone = std::move(gone)](
                                        std::vector<sip::asio::ResolvedTarget> targets) mutable {
    if (!alive.lock()) return;
    RelayBinding* binding = gone ? &*gone : bindings_.find_key(upstream.key);
    if (!binding) return fail_browser(upstream, 480, "the registration ended");
    if (targets.empty()) return fail_browser(upstream, 503, "PBX address not found");
    sip::Destination to;
    to.kind = targets.front().kind;
    to.address = targets.front().address;
    binding->upstream_cseq += 1;
    sip::Message message = upstream_register(upstream.browser_request, *binding,
                                             relay_contact(contact_base_(to.kind), binding->key),
                                             upstream.requested, credentials_of(upstream.browser_request));
    auto id = sip_.layer().send_request(std::move(message), to);
    // A send that failed at once was reported (and its id retired) before we got the id.
    if (!id || !sip_.layer().state(*id)) return fail_browser(upstream, 503, "cannot send to the PBX");
    upstream_.emplace(static_cast<std::uint64_t>(*id), std::move(upstream));
  });
}

bool RegistrationRelay::on_response(sip::TransactionId id, const sip::Message& response) {
  auto it = upstream_.find(static_cast<std::uint64_t>(id));
  if (it == upstream_.end()) return false;
  if (response.status() < 200) return true;
  Upstream upstream = std::move(it->second);
  upstream_.erase(it);
  on_final(upstream, response);
  return true;
}

void RegistrationRelay::on_final(const Upstream& upstream, const sip::Message& response) {
  const int status = response.status();
  const std::string call_id(upstream.browser_request.call_id().value_or(""));
  if (!upstream.browser_txn) {
    return log_info("registration.relay_closed",
                    {{"call_id", call_id}, {"aor", aor_of(upstream.browser_request)}, {"pbx_code", status}});
  }
  RelayBinding* binding = bindings_.find_key(upstream.key);
  std::uint32_t granted = 0;
  std::string contact;
  if (binding && sip::is_success(status) && upstream.requested > 0) {
    granted = granted_expiry(response, binding->key, upstream.requested);
    contact = binding->browser_contact;
  }
  (void)sip_.layer().send_response(
      *upstream.browser_txn,
      browser_response(upstream.browser_request, response, contact, granted, sip::make_tag()));
  if (binding) {
    const sip::TimePoint now = sip_.timers().now();
    if (sip::is_success(status) && granted > 0) {
      binding->registered = true;
      binding->expires_at = now + std::chrono::seconds(granted);
      binding->accepted = upstream.browser_request;
    } else if (sip::is_success(status)) {
      bindings_.remove(upstream.key);  // unregistered
    } else if (status == 401 || status == 407) {
      if (!binding->registered) binding->expires_at = now + kChallengeWait;
    } else if (!binding->registered) {
      bindings_.remove(upstream.key);
    }
    publish();
    rearm();
  }
  if (status != 401 && status != 407) {
    log_info("registration.relay", {{"call_id", call_id},
                                    {"aor", aor_of(upstream.browser_request)},
                                    {"code", status},
                                    {"expires", static_cast<std::int64_t>(granted)},
                                    {"contact", upstream.key}});
  }
}

bool RegistrationRelay::on_failure(sip::TransactionId id, sip::TransactionFailure failure) {
  auto it = upstream_.find(static_cast<std::uint64_t>(id));
  if (it == upstream_.end()) return false;
  Upstream upstream = std::move(it->second);
  upstream_.erase(it);
  const bool timeout = failure == sip::TransactionFailure::Timeout;
  fail_browser(upstream, timeout ? 408 : 503, timeout ? "PBX did not answer" : "PBX unreachable");
  return true;
}

void RegistrationRelay::on_terminated(sip::TransactionId id) {
  upstream_.erase(static_cast<std::uint64_t>(id));
}

void RegistrationRelay::on_flow_closed(const sip::Flow& flow) {
  std::vector<RelayBinding> closed = bindings_.take_flow(flow);
  if (closed.empty()) return;
  publish();
  rearm();
  for (RelayBinding& binding : closed) {
    log_info("registration.relay_websocket_closed",
             {{"aor", binding.aor}, {"contact", binding.key}, {"registered", binding.registered}});
    if (!binding.registered || !binding.accepted) continue;
    Upstream upstream;
    upstream.key = binding.key;
    upstream.browser_request = *binding.accepted;
    upstream.requested = 0;
    send_upstream(std::move(upstream), std::move(binding));
  }
}

std::optional<RegistrationRelay::Target> RegistrationRelay::target(const sip::Uri& request_uri,
                                                                   sip::TimePoint now) const {
  const RelayBinding* binding = bindings_.find_key(request_uri.user);
  if (!binding || !binding->registered || binding->expires_at <= now) return std::nullopt;
  return Target{binding->flow, binding->browser_uri, binding->aor_user};
}

void RegistrationRelay::fail_browser(const Upstream& upstream, int status, std::string_view reason) {
  if (RelayBinding* binding = bindings_.find_key(upstream.key); binding && !binding->registered) {
    bindings_.remove(upstream.key);
    rearm();
  }
  if (upstream.browser_txn) answer(*upstream.browser_txn, upstream.browser_request, status, reason);
  log_info("registration.relay_failed",
           {{"call_id", std::string(upstream.browser_request.call_id().value_or(""))},
            {"aor", aor_of(upstream.browser_request)},
            {"code", status},
            {"reason", reason}});
}

void RegistrationRelay::answer(sip::TransactionId id, const sip::Message& request, int status,
                               std::string_view reason) {
  std::string_view phrase = sip::default_reason(status);
  sip::Message response =
      sip::make_response(request, status, phrase.empty() ? "Error" : phrase, sip::make_tag());
  if (!reason.empty() && status >= 300) {
    std::string warning = "399 rtcgate \"";
    for (char c : reason)
      warning += (c == '"' || c == '\\' || c < ' ') ? ' ' : c;
    warning += '"';
    response.add("Warning", warning);
  }
  (void)sip_.layer().send_response(id, response);
}

void RegistrationRelay::query(sip::TransactionId id, const sip::Message& request, const sip::Flow& flow) {
  sip::Message ok = sip::make_response(request, 200, "OK", sip::make_tag());
  const RelayBinding* binding = bindings_.find(flow, request.call_id().value_or(""));
  const sip::TimePoint now = sip_.timers().now();
  if (binding && binding->registered && binding->expires_at > now) {
    auto left = std::chrono::duration_cast<std::chrono::seconds>(binding->expires_at - now).count();
    ok.add("Contact", binding->browser_contact + ";expires=" + std::to_string(left));
  }
  (void)sip_.layer().send_response(id, ok);
}

void RegistrationRelay::rearm() {
  sip_.timers().cancel(sweep_timer_);
  sweep_timer_ = {};
  auto next = bindings_.next_expiry();
  if (!next) return;
  sweep_timer_ = sip_.timers().schedule(*next - sip_.timers().now(), [this] {
    sweep_timer_ = {};
    sweep();
  });
}

void RegistrationRelay::sweep() {
  for (const RelayBinding& binding : bindings_.take_expired(sip_.timers().now())) {
    log_info("registration.relay_expired",
             {{"aor", binding.aor}, {"contact", binding.key}, {"registered", binding.registered}});
  }
  publish();
  rearm();
}

void RegistrationRelay::publish() {
  registry_.set_registrations(RegistrationKind::Relay, bindings_.registered());
}

}  // namespace rtcgate::gateway::b2bua
