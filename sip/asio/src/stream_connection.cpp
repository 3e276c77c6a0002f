// A SIP connection over a byte stream: plain TCP or TLS. Framing by sip::StreamFramer (RFC 3261
// §18.3); CRLFCRLF pings answered with CRLF (RFC 5626 §4.4.1); one write in flight, the rest in a
// bounded SendQueue; an idle timer that also bounds connect and handshake time.
#include "stream_connection.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <type_traits>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "endpoint.hpp"
#include "rtcgate/sip/stream_framer.hpp"
#include "transport_core.hpp"

namespace rtcgate::sip::asio {
namespace {

namespace ip = boost::asio::ip;
namespace ssl = boost::asio::ssl;
using TlsStream = ssl::stream<ip::tcp::socket>;

FramerLimits framer_limits(const TransportLimits& limits) {
  return FramerLimits{std::min<std::size_t>(limits.max_message_size, 16384), limits.max_message_size};
}

std::error_code framing_reason(const ParseError& error) {
  switch (error.code) {
    case ParseErrorCode::MessageTooLarge:
    case ParseErrorCode::HeaderTooLong:
    case ParseErrorCode::BodyTooLarge:
      return TransportError::MessageTooLarge;
    default:
      return TransportError::FramingError;
  }
}

template <typename Stream>
class StreamConnection final : public Connection {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  StreamConnection(const std::shared_ptr<TransportCore>& core, Stream stream, Flow flow)
      : Connection(std::move(flow)),
        core_(core),
        stream_(std::move(stream)),
        timer_(core->io()),
        queue_(core->limits()),
        framer_(framer_limits(core->limits())),
        idle_timeout_(core->limits().idle_timeout),
        handshake_timeout_(core->limits().handshake_timeout) {}

  // An accepted connection: TLS handshake (server) if needed, then reading.
  void start_accepted() {
    arm_timer(handshake_timeout_);
    if constexpr (kTls) {
      stream_.async_handshake(ssl::stream_base::server, [self = self()](const boost::system::error_code& ec) {
        self->on_handshake(ec);
      });
    } else {
      on_established();
    }
  }

  // An outgoing connection: connect, TLS handshake (client), then flush what was queued.
  void start_connect(const ip::tcp::endpoint& endpoint) {
    arm_timer(handshake_timeout_);
    stream_.lowest_layer().async_connect(
        endpoint, [self = self()](const boost::system::error_code& ec) { self->on_connect(ec); });
  }

  void send(std::string bytes, SendHandler handler) override {
    if (closed_) {
      if (handler) handler(TransportError::FlowClosed, flow_);
      return;
    }
    if (!queue_.push(bytes, handler)) {
      // RFC 3261 leaves flow control to us: a peer that stops reading is cut off, not buffered.
      close(TransportError::QueueFull);
      if (handler) handler(TransportError::QueueFull, flow_);
      return;
    }
    if (established_ && !writing_) do_write();
  }

  void close(std::error_code reason) override {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    boost::system::error_code ignored;
    stream_.lowest_layer().shutdown(ip::tcp::socket::shutdown_both, ignored);
    stream_.lowest_layer().close(ignored);
    queue_.fail_all(reason, flow_);
    if (auto core = core_.lock()) core->closed(*this, reason);
  }

 private:
  std::shared_ptr<StreamConnection> self() {
    return std::static_pointer_cast<StreamConnection>(shared_from_this());
  }

  void on_connect(const boost::system::error_code& ec) {
    if (closed_) return;
    if (ec) return close(TransportError::ConnectFailed);
    boost::system::error_code ignored;
    flow_.local = to_transport_address(stream_.lowest_layer().local_endpoint(ignored));
    if constexpr (kTls) {
      stream_.async_handshake(ssl::stream_base::client,
                              [self = self()](const boost::system::error_code& e) { self->on_handshake(e); });
    } else {
      on_established();
    }
  }

  void on_handshake(const boost::system::error_code& ec) {
    if (closed_) return;
    if (ec) return close(TransportError::ConnectFailed);
    on_established();
  }

  void on_established() {
    established_ = true;
    last_activity_ = std::chrono::steady_clock::now();
    arm_timer(idle_timeout_);
    mark_opened();
    if (auto core = core_.lock()) core->opened(*this);
    if (closed_) return;
    do_read();
    if (!queue_.empty() && !writing_) do_write();
  }

  void do_read() {
    stream_.async_read_some(
        boost::asio::buffer(buffer_),
        [self = self()](const boost::system::error_code& ec, std::size_t n) { self->on_read(ec, n); });
  }

  void on_read(const boost::system::error_code& ec, std::size_t size) {
    if (closed_) return;
    if (ec) return close(TransportError::PeerClosed);
    last_activity_ = std::chrono::steady_clock::now();
    framer_.feed(std::string_view(buffer_.data(), size));
    for (;;) {
      const StreamFramer::Frame frame = framer_.next();
      if (frame == StreamFramer::Frame::NeedMore) break;
      if (frame == StreamFramer::Frame::Error) return close(framing_reason(*framer_.error()));
      if (frame == StreamFramer::Frame::Ping) {
        send("\r\n", {});  // RFC 5626 §4.4.1: a CRLFCRLF ping gets a CRLF pong
      } else {
        message_.assign(framer_.message());
        if (auto core = core_.lock()) core->deliver(flow_, message_);
      }
      if (closed_) return;
    }
    do_read();
  }

  void do_write() {
    writing_ = true;
    boost::asio::async_write(
        stream_, boost::asio::buffer(queue_.front()),
        [self = self()](const boost::system::error_code& ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(const boost::system::error_code& ec) {
    writing_ = false;
    if (closed_) return;
    if (ec) return close(TransportError::SendFailed);
    SendQueue::Item item = queue_.pop();
    if (item.handler) item.handler({}, flow_);
    if (!closed_ && !queue_.empty() && !writing_) do_write();
  }

  void arm_timer(std::chrono::steady_clock::duration after) {
    timer_.expires_after(after);
    timer_.async_wait([self = self()](const boost::system::error_code& ec) { self->on_timer(ec); });
  }

  // One timer covers connect/handshake and idleness: re-armed for the remainder while data flows,
  // so reads never touch the timer (no cancel per message).
  void on_timer(const boost::system::error_code& ec) {
    if (ec || closed_) return;
    if (!established_) return close(TransportError::ConnectFailed);
    const auto idle_for = std::chrono::steady_clock::now() - last_activity_;
    if (idle_for >= idle_timeout_) return close(TransportError::IdleTimeout);
    arm_timer(idle_timeout_ - idle_for);
  }

  std::weak_ptr<TransportCore> core_;
  Stream stream_;
  boost::asio::steady_timer timer_;
  SendQueue queue_;
  StreamFramer framer_;
  std::chrono::steady_clock::duration idle_timeout_;
  std::chrono::steady_clock::duration handshake_timeout_;
  std::chrono::steady_clock::time_point last_activity_{};
  std::array<char, 16384> buffer_{};
  std::string message_;
  bool established_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

}  // namespace

std::shared_ptr<StreamListener> StreamListener::open(const std::shared_ptr<TransportCore>& core,
                                                     TransportKind kind, const ip::tcp::endpoint& endpoint,
                                                     boost::system::error_code& ec) {
  ip::tcp::acceptor acceptor(core->io());
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return nullptr;
  return std::make_shared<StreamListener>(core, kind, std::move(acceptor));
}

StreamListener::StreamListener(const std::shared_ptr<TransportCore>& core, TransportKind kind,
                               ip::tcp::acceptor acceptor)
    : core_(core), kind_(kind), acceptor_(std::move(acceptor)), retry_(acceptor_.get_executor()) {
  boost::system::error_code ec;
  local_ = to_transport_address(acceptor_.local_endpoint(ec));
}

void StreamListener::close() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
}

void StreamListener::do_accept() {
  acceptor_.async_accept([self = shared_from_this()](const boost::system::error_code& ec, ip::tcp::socket s) {
    self->on_accept(ec, std::move(s));
  });
}

void StreamListener::on_accept(const boost::system::error_code& ec, ip::tcp::socket socket) {
  if (ec == boost::asio::error::operation_aborted || !acceptor_.is_open()) return;
  const std::shared_ptr<TransportCore> core = core_.lock();
  if (!core) return;
  if (ec) {
    // Out of descriptors or memory: accepting again at once would spin; retry a little later.
    retry_.expires_after(kAcceptRetryDelay);
    retry_.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
      if (!e && self->acceptor_.is_open()) self->do_accept();
    });
    return;
  }
  if (!core->at_connection_limit()) {
    boost::system::error_code ignored;
    Flow flow{kind_, to_transport_address(socket.local_endpoint(ignored)),
              to_transport_address(socket.remote_endpoint(ignored)), core->next_connection_id()};
    if (kind_ == TransportKind::Tls) {
      auto c = std::make_shared<StreamConnection<TlsStream>>(
          core, TlsStream(std::move(socket), *core->tls_server), std::move(flow));
      core->add(c);
      c->start_accepted();
    } else {
      auto c = std::make_shared<StreamConnection<ip::tcp::socket>>(core, std::move(socket), std::move(flow));
      core->add(c);
      c->start_accepted();
    }
  }
  do_accept();
}

std::shared_ptr<Connection> open_stream_connection(const std::shared_ptr<TransportCore>& core,
                                                   TransportKind kind, const TransportAddress& destination) {
  const auto endpoint = to_endpoint<ip::tcp::endpoint>(destination);
  if (!endpoint) return nullptr;
  Flow flow{kind, {}, destination, core->next_connection_id()};
  if (kind == TransportKind::Tls) {
    TlsStream stream(ip::tcp::socket(core->io()), *core->tls_client);
    if (core->tls_client->native_handle() != nullptr &&
        SSL_CTX_get_verify_mode(core->tls_client->native_handle()) != SSL_VERIFY_NONE) {
      stream.set_verify_callback(ssl::host_name_verification(destination.ip));
    }
    auto c = std::make_shared<StreamConnection<TlsStream>>(core, std::move(stream), std::move(flow));
    core->add(c);
    c->start_connect(*endpoint);
    return c;
  }
  auto c =
      std::make_shared<StreamConnection<ip::tcp::socket>>(core, ip::tcp::socket(core->io()), std::move(flow));
  core->add(c);
  c->start_connect(*endpoint);
  return c;
}

}  // namespace rtcgate::sip::asio
