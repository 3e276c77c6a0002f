// Where transaction messages go: the response destination of RFC 3261 §18.2.2 (with RFC 3581
// rport), a SendFunction over the Transport interface, and the layer's error category.
#include <string>
#include <utility>

#include "rtcgate/sip/serialize.hpp"
#include "rtcgate/sip/transaction_layer.hpp"

namespace rtcgate::sip {

namespace {

class TransactionLayerCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "rtcgate.sip.transaction"; }
  std::string message(int code) const override {
    switch (static_cast<TransactionLayerError>(code)) {
      case TransactionLayerError::Ok:
        return "ok";
      case TransactionLayerError::UnknownTransaction:
        return "unknown transaction";
      case TransactionLayerError::WrongKind:
        return "wrong kind of transaction";
      case TransactionLayerError::NotAllowedInState:
        return "not allowed in the transaction's state";
      case TransactionLayerError::TooManyTransactions:
        return "too many transactions";
      case TransactionLayerError::InvalidRequest:
        return "invalid request";
      case TransactionLayerError::BranchInUse:
        return "branch already in use";
    }
    return "unknown transaction layer error";
  }
};

std::uint16_t default_port(TransportKind kind) {
  return is_secure(kind) ? 5061 : 5060;
}

}  // namespace

const std::error_category& transaction_layer_category() noexcept {
  static const TransactionLayerCategory category;
  return category;
}

Destination response_destination(const Message& request, const Flow& arrival) {
  Destination to;
  to.kind = arrival.kind;
  const auto via = request.top_via();
  if (!via) {
    to.address = arrival.remote;
    to.flow = arrival;
    return to;
  }
  // The transport stamped `received` when sent-by was not the source address (§18.2.1), so the
  // source address is the right host whenever `received` is absent.
  const std::string host = via->received() ? std::string(*via->received()) : arrival.remote.ip;
  if (is_reliable(arrival.kind)) {
    // Back over the connection the request came on; if it closed, to received:sent-by port.
    to.flow = arrival;
    to.address = TransportAddress{host, via->port.value_or(default_port(arrival.kind))};
    return to;
  }
  if (const auto maddr = via->maddr()) {
    to.address = TransportAddress{std::string(*maddr), via->port.value_or(default_port(arrival.kind))};
    return to;
  }
  std::uint16_t port = via->port.value_or(default_port(arrival.kind));
  if (via->has_rport()) port = via->rport().value_or(arrival.remote.port);  // RFC 3581 §4
  to.address = TransportAddress{host, port};
  // Out of the listener the request came in on, so the client's NAT binding matches.
  to.flow = Flow{arrival.kind, arrival.local, to.address, 0};
  return to;
}

SendFunction make_transport_sender(Transport& transport) {
  return [&transport](const Message& message, const Destination& to, SendCompletion done) {
    std::string bytes = serialize(message);
    auto finish = [done](std::error_code ec, const Flow&) {
      if (done) done(ec);
    };
    if (!to.flow) {
      transport.send_to(to.kind, to.address, std::move(bytes), std::move(finish));
      return;
    }
    // A WebSocket client cannot be connected to (RFC 7118 §5), so only TCP and TLS fall back.
    const TransportKind kind = to.flow->kind;
    const bool can_fall_back =
        (kind == TransportKind::Tcp || kind == TransportKind::Tls) && !to.address.ip.empty();
    if (!can_fall_back) {
      transport.send(*to.flow, std::move(bytes), std::move(finish));
      return;
    }
    // §18.2.2: when the connection is gone, open one to the Via's received address and port.
    std::string copy = bytes;
    transport.send(
        *to.flow, std::move(bytes),
        [&transport, to, copy = std::move(copy), finish](std::error_code ec, const Flow& flow) mutable {
          if (ec == TransportError::FlowClosed) {
            transport.send_to(to.flow->kind, to.address, std::move(copy), finish);
          } else {
            finish(ec, flow);
          }
        });
  };
}

}  // namespace rtcgate::sip
