// The only translation unit of the admin server that includes Boost.Beast (LIMITS.md §6).
// Session follows Beast's async server examples: do_read()/on_read(), do_write()/on_write().
#include "rtcgate/gateway/http_admin.hpp"

#include "rtcgate/gateway/log.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <list>
#include <optional>

namespace rtcgate::gateway {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session;

}  // namespace

struct AdminHttpServer::Impl : std::enable_shared_from_this<AdminHttpServer::Impl> {
  Impl(asio::io_context& io, const AdminRouter& r, AdminHttpOptions o)
      : acceptor(io), router(r), options(o) {}

  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);

  tcp::acceptor acceptor;
  const AdminRouter& router;
  AdminHttpOptions options;
  std::list<std::weak_ptr<Session>> sessions;
  bool stopped = false;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<AdminHttpServer::Impl> server)
      : stream_(std::move(socket)),
        buffer_(server->options.max_header_bytes + server->options.max_body_bytes),
        server_(std::move(server)) {}

  void start() { do_read(); }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

 private:
  void do_read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->options.max_header_bytes));
    parser_->body_limit(server_->options.max_body_bytes);
    stream_.expires_after(server_->options.timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof) {
      return close();
    }
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      return reply(HttpReply{431, "text/plain; charset=utf-8", "request header too large\n", {}}, false);
    }
    if (ec == http::error::body_limit) {
      return reply(HttpReply{413, "text/plain; charset=utf-8", "request body too large\n", {}}, false);
    }
    if (ec) return reply(HttpReply{400, "text/plain; charset=utf-8", "bad request\n", {}}, false);
    const auto& request = parser_->get();
    std::string_view method(request.method_string().data(), request.method_string().size());
    std::string_view target(request.target().data(), request.target().size());
    reply(server_->router.handle(method, target), request.keep_alive());
  }

  void reply(HttpReply result, bool keep_alive) {
    response_.emplace(static_cast<http::status>(result.status), 11);
    response_->set(http::field::server, "rtcgate");
    response_->set(http::field::content_type, result.content_type);
    response_->set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : result.headers)
      response_->set(name, value);
    response_->body() = std::move(result.body);
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    stream_.expires_after(server_->options.timeout);
    http::async_write(stream_, *response_, beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    bool keep_alive = response_->keep_alive();
    response_.reset();
    if (ec || !keep_alive || server_->stopped) return close();
    do_read();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::shared_ptr<AdminHttpServer::Impl> server_;
};

}  // namespace

void AdminHttpServer::Impl::do_accept() {
  acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void AdminHttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopped || ec == asio::error::operation_aborted) return;
  if (!ec) {
    sessions.remove_if([](const std::weak_ptr<Session>& s) { return s.expired(); });
    if (sessions.size() >= options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
      log_warn("http.refused", {{"reason", "max_connections"}, {"limit", options.max_connections}});
    } else {
      auto session = std::make_shared<Session>(std::move(socket), shared_from_this());
      sessions.push_back(session);
      session->start();
    }
  }
  do_accept();
}

AdminHttpServer::AdminHttpServer(asio::io_context& io, const AdminRouter& router, AdminHttpOptions options)
    : impl_(std::make_shared<Impl>(io, router, std::move(options))) {}

AdminHttpServer::~AdminHttpServer() {
  stop();
}

std::expected<std::uint16_t, std::string> AdminHttpServer::start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.listen.ip, ec);
  if (ec) return std::unexpected("bad address '" + impl_->options.listen.ip + "': " + ec.message());
  tcp::endpoint endpoint(address, impl_->options.listen.port);
  tcp::acceptor& acceptor = impl_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) return std::unexpected("open: " + ec.message());
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return std::unexpected("reuse_address: " + ec.message());
  }
  beast::error_code ignored;
  if (acceptor.bind(endpoint, ec); ec) {
    acceptor.close(ignored);
    return std::unexpected("bind " + impl_->options.listen.to_string() + ": " + ec.message());
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    acceptor.close(ignored);
    return std::unexpected("listen: " + ec.message());
  }
  std::uint16_t port = acceptor.local_endpoint(ec).port();
  impl_->do_accept();
  return port;
}

void AdminHttpServer::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  beast::error_code ec;
  impl_->acceptor.close(ec);
  for (const auto& weak : impl_->sessions) {
    if (auto session = weak.lock()) session->close();
  }
  impl_->sessions.clear();
}

}  // namespace rtcgate::gateway
