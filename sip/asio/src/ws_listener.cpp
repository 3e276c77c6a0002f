// SIP over WebSocket (RFC 7118) on Boost.Beast: the only translation unit that includes Beast.
//
// Accept sequence per connection:
//   TLS handshake (wss only) -> read the HTTP Upgrade request (bounded size and time)
//   -> refuse with HTTP 400 unless it is a WebSocket upgrade offering the `sip` subprotocol
//      (RFC 7118 §4.1; any request path is accepted, "/" included)
//   -> accept, answering `Sec-WebSocket-Protocol: sip` -> one SIP message per frame (§5.3).
// Beast's idle timeout with keep-alive pings detects vanished browsers; the flow-closed event is
// what ends their calls and registrations. On a protocol violation Beast sends a close frame and
// waits for the peer to close TCP; a peer that never does is cut by that same idle timer (at half
// the idle timeout), so it holds a connection no longer than a silent one could.
#include "ws_listener.hpp"

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "connection.hpp"
#include "endpoint.hpp"
#include "transport_core.hpp"

namespace rtcgate::sip::asio {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ip = boost::asio::ip;
using PlainLayer = beast::tcp_stream;
using TlsLayer = beast::ssl_stream<beast::tcp_stream>;

// An Upgrade request has no body; its headers are small. Bounds keep a slow or hostile client
// from holding memory (RFC 7118 §4 leaves the HTTP details to RFC 6455).
constexpr std::uint32_t kMaxUpgradeHeader = 8192;
constexpr std::uint64_t kMaxUpgradeBody = 0;

// True when the comma-separated Sec-WebSocket-Protocol list holds the token `sip`.
bool offers_sip(std::string_view list) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
      item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
      item.remove_suffix(1);
    if (item.size() == 3 && (item[0] | 0x20) == 's' && (item[1] | 0x20) == 'i' && (item[2] | 0x20) == 'p') {
      return true;
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

std::error_code read_reason(const beast::error_code& ec) {
  if (ec == websocket::error::closed) return TransportError::PeerClosed;
  if (ec == beast::error::timeout) return TransportError::IdleTimeout;
  if (ec == websocket::error::message_too_big || ec == http::error::header_limit ||
      ec == http::error::body_limit) {
    return TransportError::MessageTooLarge;
  }
  return TransportError::PeerClosed;
}

template <typename Next>
class WsSession final : public Connection {
 public:
  static constexpr bool kTls = std::is_same_v<Next, TlsLayer>;

  template <typename... Args>
  WsSession(const std::shared_ptr<TransportCore>& core, Flow flow, Args&&... next_layer_args)
      : Connection(std::move(flow)),
        core_(core),
        ws_(std::forward<Args>(next_layer_args)...),
        queue_(core->limits()),
        limits_(core->limits()) {}

  void start() {
    beast::get_lowest_layer(ws_).expires_after(limits_.handshake_timeout);
    if constexpr (kTls) {
      ws_.next_layer().async_handshake(boost::asio::ssl::stream_base::server,
                                       [self = self()](const beast::error_code& ec) { self->on_tls(ec); });
    } else {
      do_read_upgrade();
    }
  }

  void send(std::string bytes, SendHandler handler) override {
    if (closed_) {
      if (handler) handler(TransportError::FlowClosed, flow_);
      return;
    }
    if (!queue_.push(bytes, handler)) {
      close(TransportError::QueueFull);
      if (handler) handler(TransportError::QueueFull, flow_);
      return;
    }
    if (established_ && !writing_) do_write();
  }

  void close(std::error_code reason) override {
    if (closed_) return;
    closed_ = true;
    queue_.fail_all(reason, flow_);
    if (established_ && reason == std::error_code(TransportError::LocalClose) && !writing_) {
      // Say goodbye with a close frame; Beast's timeout bounds the wait for the peer's answer.
      // Any other reason (a peer that stopped reading, shutdown, bad input) cuts the connection.
      ws_.async_close(websocket::close_code::normal, [self = self()](const beast::error_code&) {
        beast::error_code ignored;
        beast::get_lowest_layer(self->ws_).socket().close(ignored);
      });
    } else {
      beast::error_code ignored;
      beast::get_lowest_layer(ws_).socket().shutdown(ip::tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(ws_).socket().close(ignored);
    }
    if (auto core = core_.lock()) core->closed(*this, reason);
  }

 private:
  std::shared_ptr<WsSession> self() { return std::static_pointer_cast<WsSession>(shared_from_this()); }

  void on_tls(const beast::error_code& ec) {
    if (closed_) return;
    if (ec) return close(TransportError::ConnectFailed);
    do_read_upgrade();
  }

  void do_read_upgrade() {
    parser_.header_limit(kMaxUpgradeHeader);
    parser_.body_limit(kMaxUpgradeBody);
    http::async_read(
        ws_.next_layer(), http_buffer_, parser_,
        [self = self()](const beast::error_code& ec, std::size_t) { self->on_upgrade_request(ec); });
  }

  void on_upgrade_request(const beast::error_code& ec) {
    if (closed_) return;
    if (ec) return close(read_reason(ec));
    const auto& request = parser_.get();
    const beast::string_view protocols = request[http::field::sec_websocket_protocol];
    if (!websocket::is_upgrade(request) ||
        !offers_sip(std::string_view(protocols.data(), protocols.size()))) {
      return refuse(request.version());
    }
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeouts =
        websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.handshake_timeout = limits_.handshake_timeout;
    timeouts.idle_timeout = limits_.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
      response.set(http::field::sec_websocket_protocol, "sip");
      response.set(http::field::server, "rtcgate");
    }));
    ws_.read_message_max(limits_.max_message_size);
    ws_.async_accept(request, [self = self()](const beast::error_code& e) { self->on_accept(e); });
  }

  // RFC 7118 §4.1: a server that does not get the `sip` subprotocol must not complete the upgrade.
  void refuse(unsigned version) {
    auto response = std::make_shared<http::response<http::string_body>>(http::status::bad_request, version);
    response->set(http::field::server, "rtcgate");
    response->set(http::field::content_type, "text/plain");
    response->set(http::field::connection, "close");
    response->body() = "WebSocket upgrade with subprotocol \"sip\" required (RFC 7118)\r\n";
    response->prepare_payload();
    http::async_write(ws_.next_layer(), *response,
                      [self = self(), response](const beast::error_code&, std::size_t) {
                        self->close(TransportError::HandshakeRefused);
                      });
  }

  void on_accept(const beast::error_code& ec) {
    if (closed_) return;
    if (ec) return close(TransportError::ConnectFailed);
    established_ = true;
    mark_opened();
    if (auto core = core_.lock()) core->opened(*this);
    if (closed_) return;
    do_read();
    if (!queue_.empty() && !writing_) do_write();
  }

  void do_read() {
    ws_.async_read(read_buffer_,
                   [self = self()](const beast::error_code& ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(const beast::error_code& ec) {
    if (closed_) return;
    if (ec) return close(read_reason(ec));
    message_ = beast::buffers_to_string(read_buffer_.data());
    read_buffer_.consume(read_buffer_.size());
    if (message_.find_first_not_of(" \t\r\n") == std::string::npos) {
      // SIP.js-style keep-alive over WebSocket: CRLFCRLF ping, CRLF pong (RFC 5626 §4.4.1).
      if (message_ == "\r\n\r\n") send("\r\n", {});
    } else if (auto core = core_.lock()) {
      core->deliver(flow_, message_);
    }
    if (!closed_) do_read();
  }

  void do_write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(boost::asio::buffer(queue_.front()),
                    [self = self()](const beast::error_code& ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(const beast::error_code& ec) {
    writing_ = false;
    if (closed_) return;
    if (ec) return close(TransportError::SendFailed);
    SendQueue::Item item = queue_.pop();
    if (item.handler) item.handler({}, flow_);
    if (!closed_ && !queue_.empty() && !writing_) do_write();
  }

  std::weak_ptr<TransportCore> core_;
  websocket::stream<Next> ws_;
  SendQueue queue_;
  TransportLimits limits_;
  beast::flat_buffer http_buffer_;
  http::request_parser<http::empty_body> parser_;
  beast::flat_buffer read_buffer_;
  std::string message_;
  bool established_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

class BeastWsListener final : public WsListener, public std::enable_shared_from_this<BeastWsListener> {
 public:
  BeastWsListener(const std::shared_ptr<TransportCore>& core, TransportKind kind, ip::tcp::acceptor acceptor)
      : core_(core), kind_(kind), acceptor_(std::move(acceptor)), retry_(acceptor_.get_executor()) {
    beast::error_code ec;
    local_ = to_transport_address(acceptor_.local_endpoint(ec));
  }

  void start() override { do_accept(); }
  void close() override {
    beast::error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
  }
  const TransportAddress& local() const override { return local_; }

 private:
  void do_accept() {
    acceptor_.async_accept([self = shared_from_this()](const beast::error_code& ec, ip::tcp::socket socket) {
      self->on_accept(ec, std::move(socket));
    });
  }

  void on_accept(const beast::error_code& ec, ip::tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
    const std::shared_ptr<TransportCore> core = core_.lock();
    if (!core) return;
    if (ec) {
      // Out of descriptors or memory: accepting again at once would spin; retry a little later.
      retry_.expires_after(kAcceptRetryDelay);
      retry_.async_wait([self = shared_from_this()](const beast::error_code& e) {
        if (!e && self->acceptor_.is_open()) self->do_accept();
      });
      return;
    }
    if (!core->at_connection_limit()) {
      beast::error_code ignored;
      Flow flow{kind_, to_transport_address(socket.local_endpoint(ignored)),
                to_transport_address(socket.remote_endpoint(ignored)), core->next_connection_id()};
      if (kind_ == TransportKind::Wss) {
        auto session = std::make_shared<WsSession<TlsLayer>>(core, std::move(flow), std::move(socket),
                                                             *core->tls_server);
        core->add(session);
        session->start();
      } else {
        auto session = std::make_shared<WsSession<PlainLayer>>(core, std::move(flow), std::move(socket));
        core->add(session);
        session->start();
      }
    }
    do_accept();
  }

  std::weak_ptr<TransportCore> core_;
  TransportKind kind_;
  ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  TransportAddress local_;
};

}  // namespace

std::shared_ptr<WsListener> WsListener::open(const std::shared_ptr<TransportCore>& core, TransportKind kind,
                                             const ip::tcp::endpoint& endpoint,
                                             boost::system::error_code& ec) {
  ip::tcp::acceptor acceptor(core->io());
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return nullptr;
  return std::make_shared<BeastWsListener>(core, kind, std::move(acceptor));
}

}  // namespace rtcgate::sip::asio
