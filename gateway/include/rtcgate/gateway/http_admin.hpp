// The admin HTTP/1.1 server (admin API, metrics, demo page) on Boost.Beast. Beast lives only in
// src/http/admin_server.cpp behind this pimpl (LIMITS.md §6: Beast templates are slow to compile).
//
// Behaviour: keep-alive; one request at a time per connection; a request whose header exceeds
// max_header_bytes gets 431, a body over max_body_bytes 413, anything unparsable 400, and the
// connection is then closed. A connection idle or slow for longer than `timeout` is closed.
// Connections beyond max_connections are closed at accept.
//
// Ownership: borrows the io_context and the router, which must outlive it. Thread affinity: the
// io_context's thread (the signaling thread); start() and stop() are called there too.
#pragma once

#include "rtcgate/gateway/admin_router.hpp"
#include "rtcgate/gateway/config_listen.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace rtcgate::gateway {

struct AdminHttpOptions {
  SocketAddress listen{"127.0.0.1", 8088};
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 4 * 1024;
  std::size_t max_connections = 64;
  std::chrono::milliseconds timeout{15000};
};

class AdminHttpServer {
 public:
  AdminHttpServer(boost::asio::io_context& io, const AdminRouter& router, AdminHttpOptions options);
  ~AdminHttpServer();
  AdminHttpServer(const AdminHttpServer&) = delete;
  AdminHttpServer& operator=(const AdminHttpServer&) = delete;

  // Binds and starts accepting; returns the bound port (useful with port 0) or why it failed.
  std::expected<std::uint16_t, std::string> start();
  // Stops accepting and closes every open connection; pending handlers finish with errors.
  void stop();

  struct Impl;  // opaque; defined in admin_server.cpp

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace rtcgate::gateway
