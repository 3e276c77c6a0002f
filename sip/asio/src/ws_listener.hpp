// WsListener: a WS or WSS listener (RFC 7118). Every Boost.Beast type stays inside
// ws_listener.cpp — the one translation unit that pays Beast's compile cost (about a minute and
// 1.3 GB of memory per build); this header is Beast-free on purpose. Internal.
// Ownership: shared_ptr-owned by the TransportCore and its pending accept. Thread: signaling.
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "rtcgate/sip/flow.hpp"

namespace rtcgate::sip::asio {

class TransportCore;

class WsListener {
 public:
  // Binds and listens (kind is Ws or Wss; Wss uses the core's TLS server context).
  static std::shared_ptr<WsListener> open(const std::shared_ptr<TransportCore>& core, TransportKind kind,
                                          const boost::asio::ip::tcp::endpoint& endpoint,
                                          boost::system::error_code& ec);
  virtual ~WsListener() = default;

  virtual void start() = 0;
  virtual void close() = 0;
  virtual const TransportAddress& local() const = 0;
};

}  // namespace rtcgate::sip::asio
