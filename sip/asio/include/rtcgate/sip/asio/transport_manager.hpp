// TransportManager: the sip::Transport of rtcgate on Boost.Asio (UDP, TCP, TLS) and Boost.Beast
// (WS, WSS; RFC 7118).
//
// It owns one listener per listen string of TransportConfig and every connection accepted or
// opened. Stream transports are framed with sip::StreamFramer (RFC 3261 §18.3) and answer CRLF
// keep-alive pings with a CRLF pong (RFC 5626 §4.4.1); WebSocket carries one message per frame
// (RFC 7118 §5.3) and requires the `sip` subprotocol on any request path. Requests get Via
// `received`/`rport` stamped before delivery (RFC 3261 §18.2.1, RFC 3581 §4).
//
// Ownership: created by create(); destroying it closes every socket and drops pending handlers'
// effects (their completions are not reported).
// Threads: all calls and callbacks on the thread running the io_context given to create().
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "rtcgate/sip/asio/transport_config.hpp"
#include "rtcgate/sip/transport.hpp"

namespace rtcgate::sip::asio {

class TransportCore;

class TransportManager final : public sip::Transport {
 public:
  // Binds every listener; fails (with a reason naming the listen string) if one cannot be bound,
  // a listen string does not parse, or TLS is needed and the certificate or key cannot be loaded.
  static std::expected<std::unique_ptr<TransportManager>, std::string> create(boost::asio::io_context& io,
                                                                              TransportConfig config);
  ~TransportManager() override;
  TransportManager(const TransportManager&) = delete;
  TransportManager& operator=(const TransportManager&) = delete;

  void set_events(TransportEvents events) override;
  std::vector<ListenerInfo> listeners() const override;
  void send(const Flow& flow, std::string bytes, SendHandler handler) override;
  void send_to(TransportKind kind, const TransportAddress& destination, std::string bytes,
               SendHandler handler) override;
  void close(const Flow& flow) override;
  bool is_open(const Flow& flow) const override;

  // Number of open connections (all connection-oriented kinds), for metrics and tests.
  std::size_t connection_count() const;

 private:
  explicit TransportManager(std::shared_ptr<TransportCore> core);
  std::shared_ptr<TransportCore> core_;
};

}  // namespace rtcgate::sip::asio
