// SipStack: the SIP side of one rtcgate process on the signaling io_context — the transports of
// `[sip] listen` (TransportManager), the Asio TimerService and the TransactionLayer, joined so that
// every received message is parsed once and handed to the layer (RFC 3261 §18 → §17).
//
// A message that does not parse is answered statelessly with the 400 that make_bad_request()
// builds (RFC 3261 §21.4.1) and dropped. A closed connection fails its client transactions
// (§17.1.4) and is reported to the SipHandler so calls and registrations bound to it end
// (RFC 7118 §5). The handler receives the TransactionUser callbacks of the layer.
//
// Ownership: owns the transports, the timers and the layer; the handler is borrowed and must
// outlive the stack or be cleared with set_handler(nullptr). Thread affinity: the io_context's thread.
#pragma once

#include "rtcgate/gateway/config.hpp"

#include <rtcgate/sip/asio/asio_timer_service.hpp>
#include <rtcgate/sip/asio/resolver.hpp>
#include <rtcgate/sip/asio/transport_manager.hpp>
#include <rtcgate/sip/transaction_layer.hpp>

#include <boost/asio/io_context.hpp>

#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

namespace rtcgate::gateway::b2bua {

class SipHandler {
 public:
  virtual void on_request(sip::TransactionId id, const sip::Message& request, const sip::Flow& flow) = 0;
  virtual void on_ack(const sip::Message& ack, const sip::Flow& flow) = 0;
  virtual void on_response(sip::TransactionId id, const sip::Message& response) = 0;
  virtual void on_stray_2xx(const sip::Message& response, const sip::Flow& flow) = 0;
  virtual void on_failure(sip::TransactionId id, sip::TransactionFailure failure) = 0;
  virtual void on_terminated(sip::TransactionId id) = 0;
  virtual void on_flow_closed(const sip::Flow& flow, std::error_code reason) = 0;

 protected:
  ~SipHandler() = default;
};

class SipStack {
 public:
  // Binds every `[sip] listen` address; the error names the listener that failed.
  static std::expected<std::unique_ptr<SipStack>, std::string> create(boost::asio::io_context& io,
                                                                      const Config& config);
  ~SipStack();
  SipStack(const SipStack&) = delete;
  SipStack& operator=(const SipStack&) = delete;

  void set_handler(SipHandler* handler) { handler_ = handler; }

  sip::TransactionLayer& layer() { return *layer_; }
  sip::TimerService& timers() { return timers_; }
  sip::asio::Resolver& resolver() { return resolver_; }
  sip::Transport& transport() { return *transport_; }

  // The bound listener of `kind` (the first one), if any.
  std::optional<sip::ListenerInfo> listener(sip::TransportKind kind) const;
  // "host:port" for a Via or a Contact on `kind` (our listener of that kind, else the first one).
  std::string sent_by(sip::TransportKind kind) const;

 private:
  SipStack(boost::asio::io_context& io, std::unique_ptr<sip::asio::TransportManager> transport,
           std::string warn_agent);
  void on_message(const sip::Flow& flow, std::string_view bytes);
  sip::TransactionUser make_user();

  std::unique_ptr<sip::asio::TransportManager> transport_;
  sip::asio::AsioTimerService timers_;
  sip::asio::Resolver resolver_;
  std::unique_ptr<sip::TransactionLayer> layer_;
  std::string warn_agent_;
  SipHandler* handler_ = nullptr;
};

}  // namespace rtcgate::gateway::b2bua
