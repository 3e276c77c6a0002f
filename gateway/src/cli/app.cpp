#include "rtcgate/gateway/app.hpp"

#include "rtcgate/gateway/admin_router.hpp"
#include "rtcgate/gateway/http_admin.hpp"
#include "rtcgate/gateway/in_memory_call_registry.hpp"
#include "rtcgate/gateway/log.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <chrono>
#include <csignal>
#include <stdexcept>

#ifndef RTCGATE_VERSION
#define RTCGATE_VERSION "0"
#endif

namespace rtcgate::gateway {

struct App::Impl {
  explicit Impl(Config c)
      : config(std::move(c)),
        signals(io, SIGINT, SIGTERM),
        calls(metrics),
        router(config, metrics, calls),
        http(io, router, AdminHttpOptions{.listen = config.http.listen}) {}

  Config config;
  boost::asio::io_context io;
  boost::asio::signal_set signals;
  MetricsRegistry metrics;
  InMemoryCallRegistry calls;
  AdminRouter router;
  AdminHttpServer http;
  std::uint16_t http_port = 0;
  bool stopping = false;
};

App::App(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}
App::~App() = default;

const Config& App::config() const {
  return impl_->config;
}
MetricsRegistry& App::metrics() {
  return impl_->metrics;
}
CallRegistry& App::calls() {
  return impl_->calls;
}
boost::asio::io_context& App::io() {
  return impl_->io;
}
std::uint16_t App::http_port() const {
  return impl_->http_port;
}

void App::start() {
  Impl& s = *impl_;
  s.metrics
      .gauge("rtcgate_build_info", "Build information; the value is always 1.",
             {{"version", RTCGATE_VERSION}})
      .set(1);
  auto now = std::chrono::system_clock::now().time_since_epoch();
  s.metrics.gauge("rtcgate_start_time_seconds", "Process start time, seconds since the Unix epoch.")
      .set(std::chrono::duration_cast<std::chrono::seconds>(now).count());
  auto port = s.http.start();
  if (!port) {
    log_error("http.failed", {{"address", s.config.http.listen.to_string()}, {"reason", port.error()}});
    throw std::runtime_error("admin HTTP server: " + port.error());
  }
  s.http_port = *port;
  SocketAddress bound{s.config.http.listen.ip, *port};
  log_info("http.listening", {{"address", bound.to_string()}});
  s.signals.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log_info("rtcgate.signal", {{"signal", signal}});
    stop();
  });
  log_info("rtcgate.started", {{"version", RTCGATE_VERSION}, {"builtin_config", s.config.builtin}});
}

void App::run() {
  impl_->io.run();
  log_info("rtcgate.stopped");
}

void App::stop() {
  boost::asio::post(impl_->io, [this] {
    Impl& s = *impl_;
    if (s.stopping) return;
    s.stopping = true;
    log_info("rtcgate.stopping");
    // Reverse order of start(); each stop() cancels its pending operations, so run() returns
    // once their handlers have run.
    s.http.stop();
    boost::system::error_code ignored;
    s.signals.cancel(ignored);
  });
}

}  // namespace rtcgate::gateway
