// Transport: the interface between the SIP stack and the network (RFC 3261 §18).
//
// A transport delivers complete SIP messages (one datagram, one framed message of a TCP/TLS
// stream, or one WebSocket frame, RFC 7118 §5.3), tagged with the Flow they arrived on, and sends
// bytes either back over a known Flow or to a destination address. Before delivery a request's top
// Via has been stamped with `received` and `rport` (RFC 3261 §18.2.1, RFC 3581 §4), so the
// transaction layer can route responses per §18.2.2 from the message alone.
//
// Ownership: the transport owns its sockets and connections. Bytes passed to the receive callback
// are valid only during the call. Callbacks are held by the transport until it is destroyed or
// set_events() is called again.
// Threads: every member function and every callback runs on one thread (the signaling thread);
// implementations take no locks. A callback may call back into the transport (send a response from
// on_message, for instance).
// Errors: completion handlers get a std::error_code of transport_category(); 0 means sent (handed
// to the kernel or to the connection's bounded queue's writer).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "rtcgate/sip/flow.hpp"

namespace rtcgate::sip {

enum class TransportError {
  Ok = 0,
  FlowClosed = 1,        // the connection of the flow no longer exists
  QueueFull = 2,         // the connection's send queue hit its bound; the connection was closed
  MessageTooLarge = 3,   // the message exceeds the configured size limit
  NoListener = 4,        // no listener of the needed kind to send from
  NotSupported = 5,      // e.g. opening an outgoing WebSocket connection
  ConnectFailed = 6,     // TCP connect or TLS handshake to the destination failed
  InvalidAddress = 7,    // not a numeric IP address
  ShuttingDown = 8,      // the transport is being destroyed
  IdleTimeout = 9,       // closed after the idle timeout
  PeerClosed = 10,       // the peer closed the connection (or reset it)
  FramingError = 11,     // bytes on a stream that are not SIP (bad Content-Length, garbage)
  LocalClose = 12,       // closed by close(flow)
  SendFailed = 13,       // the OS refused the datagram or the write failed
  HandshakeRefused = 14  // WebSocket upgrade without the `sip` subprotocol (RFC 7118 §4.1)
};

const std::error_category& transport_category() noexcept;

inline std::error_code make_error_code(TransportError e) noexcept {
  return {static_cast<int>(e), transport_category()};
}

namespace detail {
class TransportCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "rtcgate.sip.transport"; }
  std::string message(int code) const override {
    switch (static_cast<TransportError>(code)) {
      case TransportError::Ok:
        return "ok";
      case TransportError::FlowClosed:
        return "flow closed";
      case TransportError::QueueFull:
        return "send queue full";
      case TransportError::MessageTooLarge:
        return "message too large";
      case TransportError::NoListener:
        return "no listener for this transport";
      case TransportError::NotSupported:
        return "not supported by this transport";
      case TransportError::ConnectFailed:
        return "connect failed";
      case TransportError::InvalidAddress:
        return "invalid address";
      case TransportError::ShuttingDown:
        return "transport shutting down";
      case TransportError::IdleTimeout:
        return "idle timeout";
      case TransportError::PeerClosed:
        return "closed by peer";
      case TransportError::FramingError:
        return "framing error";
      case TransportError::LocalClose:
        return "closed locally";
      case TransportError::SendFailed:
        return "send failed";
      case TransportError::HandshakeRefused:
        return "websocket handshake refused";
    }
    return "unknown transport error";
  }
};
}  // namespace detail

inline const std::error_category& transport_category() noexcept {
  static const detail::TransportCategory category;
  return category;
}

// What a transport listens on, after binding (the port is the real one when 0 was asked for).
struct ListenerInfo {
  TransportKind kind = TransportKind::Udp;
  TransportAddress local;
};

struct TransportEvents {
  // One complete SIP message. `bytes` is valid only during the call.
  std::function<void(const Flow& flow, std::string_view bytes)> on_message;
  // A connection-oriented flow opened (accepted, connected, or WebSocket upgrade completed).
  std::function<void(const Flow& flow)> on_flow_opened;
  // A connection-oriented flow closed; `reason` says why (PeerClosed, IdleTimeout, ...).
  // Calls and registrations bound to a WebSocket flow end here (RFC 7118 §5, RFC 5626 §4.4).
  std::function<void(const Flow& flow, std::error_code reason)> on_flow_closed;
};

// Completion of a send: the error, and the flow actually used (a new connection for send_to()).
using SendHandler = std::function<void(std::error_code ec, const Flow& flow)>;

class Transport {
 public:
  virtual ~Transport() = default;

  virtual void set_events(TransportEvents events) = 0;

  // The bound listeners, in configuration order.
  virtual std::vector<ListenerInfo> listeners() const = 0;

  // Sends over an existing flow: for UDP from the listener bound to flow.local to flow.remote;
  // for connection-oriented kinds over flow.connection (FlowClosed if it is gone — the caller may
  // then fall back to send_to() with the Via sent-by, RFC 3261 §18.2.2). `handler` may be empty.
  virtual void send(const Flow& flow, std::string bytes, SendHandler handler) = 0;

  // Sends to a destination: UDP from the first UDP listener; TCP/TLS over an existing connection
  // to that address if one is open (connection reuse, RFC 3261 §18.1.1), otherwise over a new one.
  // WS/WSS destinations are reachable only through an existing flow (NotSupported otherwise).
  virtual void send_to(TransportKind kind, const TransportAddress& destination, std::string bytes,
                       SendHandler handler) = 0;

  // Closes a connection-oriented flow; on_flow_closed fires with LocalClose. No-op for UDP.
  virtual void close(const Flow& flow) = 0;

  // True while the connection of a connection-oriented flow is open (always true for UDP flows
  // whose local listener exists).
  virtual bool is_open(const Flow& flow) const = 0;
};

}  // namespace rtcgate::sip

template <>
struct std::is_error_code_enum<rtcgate::sip::TransportError> : std::true_type {};
