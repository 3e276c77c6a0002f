// TCP and TLS: the listener that accepts connections and the factory for outgoing ones
// (RFC 3261 §18; TLS per §26.2.1 on OpenSSL through asio::ssl). The connection class itself is a
// template over the stream type and lives in stream_connection.cpp. Internal.
// Ownership: listeners are shared_ptr-owned by the TransportCore and their pending accept.
// Thread: signaling.
#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "connection.hpp"
#include "rtcgate/sip/flow.hpp"

namespace rtcgate::sip::asio {

class TransportCore;

class StreamListener : public std::enable_shared_from_this<StreamListener> {
 public:
  // Binds and listens; returns nullptr and sets `ec` on failure.
  static std::shared_ptr<StreamListener> open(const std::shared_ptr<TransportCore>& core, TransportKind kind,
                                              const boost::asio::ip::tcp::endpoint& endpoint,
                                              boost::system::error_code& ec);

  StreamListener(const std::shared_ptr<TransportCore>& core, TransportKind kind,
                 boost::asio::ip::tcp::acceptor acceptor);

  void start() { do_accept(); }
  void close();
  TransportKind kind() const { return kind_; }
  const TransportAddress& local() const { return local_; }

 private:
  void do_accept();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);

  std::weak_ptr<TransportCore> core_;
  TransportKind kind_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  TransportAddress local_;
};

// Starts an outgoing TCP or TLS connection to `destination`; messages sent before it is up are
// queued. Returns nullptr when the address is not numeric.
std::shared_ptr<Connection> open_stream_connection(const std::shared_ptr<TransportCore>& core,
                                                   TransportKind kind, const TransportAddress& destination);

}  // namespace rtcgate::sip::asio
