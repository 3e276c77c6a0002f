#include "rtcgate/gateway/b2bua/sip_stack.hpp"

#include "rtcgate/gateway/log.hpp"

#include <rtcgate/sip/parser.hpp>
#include <rtcgate/sip/response.hpp>
#include <rtcgate/sip/serialize.hpp>

#include <utility>

namespace rtcgate::gateway::b2bua {

std::expected<std::unique_ptr<SipStack>, std::string> SipStack::create(boost::asio::io_context& io,
                                                                       const Config& config) {
  sip::asio::TransportConfig tc;
  for (const ListenAddress& l : config.sip.listen)
    tc.listen.push_back(l.to_string());
  tc.tls.cert_file = config.sip.tls_cert;
  tc.tls.key_file = config.sip.tls_key;
  auto transport = sip::asio::TransportManager::create(io, std::move(tc));
  if (!transport) return std::unexpected(transport.error());
  std::string agent = config.sip.domain.empty() ? std::string("rtcgate") : config.sip.domain;
  std::unique_ptr<SipStack> stack(new SipStack(io, std::move(*transport), std::move(agent)));
  return stack;
}

SipStack::SipStack(boost::asio::io_context& io, std::unique_ptr<sip::asio::TransportManager> transport,
                   std::string warn_agent)
    : transport_(std::move(transport)), timers_(io), resolver_(io), warn_agent_(std::move(warn_agent)) {
  sip::TransactionLayer::Config lc;
  lc.via_sent_by = [this](const sip::Destination& to) -> std::optional<std::string> {
    return sent_by(to.flow ? to.flow->kind : to.kind);
  };
  layer_ = std::make_unique<sip::TransactionLayer>(timers_, sip::make_transport_sender(*transport_),
                                                   make_user(), std::move(lc));
  sip::TransportEvents events;
  events.on_message = [this](const sip::Flow& flow, std::string_view bytes) { on_message(flow, bytes); };
  events.on_flow_closed = [this](const sip::Flow& flow, std::error_code reason) {
    layer_->on_flow_closed(flow);
    if (handler_) handler_->on_flow_closed(flow, reason);
  };
  transport_->set_events(std::move(events));
}

SipStack::~SipStack() {
  transport_->set_events({});
}

sip::TransactionUser SipStack::make_user() {
  sip::TransactionUser user;
  user.on_request = [this](sip::TransactionId id, const sip::Message& request, const sip::Flow& flow) {
    if (handler_) {
      handler_->on_request(id, request, flow);
    } else {
      (void)layer_->send_response(id, sip::make_response(request, 503, "Service Unavailable"));
    }
  };
  user.on_ack = [this](const sip::Message& ack, const sip::Flow& flow) {
    if (handler_) handler_->on_ack(ack, flow);
  };
  user.on_response = [this](sip::TransactionId id, const sip::Message& response) {
    if (handler_) handler_->on_response(id, response);
  };
  user.on_stray_2xx = [this](const sip::Message& response, const sip::Flow& flow) {
    if (handler_) handler_->on_stray_2xx(response, flow);
  };
  user.on_failure = [this](sip::TransactionId id, sip::TransactionFailure failure) {
    if (handler_) handler_->on_failure(id, failure);
  };
  user.on_terminated = [this](sip::TransactionId id) {
    if (handler_) handler_->on_terminated(id);
  };
  return user;
}

void SipStack::on_message(const sip::Flow& flow, std::string_view bytes) {
  auto message = sip::parse_message(bytes);
  if (message) {
    layer_->receive(*message, flow);
    return;
  }
  log_debug("sip.malformed", {{"remote", flow.remote.to_string()}, {"reason", message.error().reason}});
  if (auto answer = sip::make_bad_request(bytes, message.error(), warn_agent_)) {
    transport_->send(flow, sip::serialize(*answer), {});
  }
}

std::optional<sip::ListenerInfo> SipStack::listener(sip::TransportKind kind) const {
  for (const sip::ListenerInfo& l : transport_->listeners()) {
    if (l.kind == kind) return l;
  }
  return std::nullopt;
}

std::string SipStack::sent_by(sip::TransportKind kind) const {
  auto l = listener(kind);
  if (!l) {
    auto all = transport_->listeners();
    if (all.empty()) return "127.0.0.1";
    l = all.front();
  }
  return l->local.to_string();
}

}  // namespace rtcgate::gateway::b2bua
