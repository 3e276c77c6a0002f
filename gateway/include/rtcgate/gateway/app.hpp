// The rtcgate process: owns the signaling io_context and every component on it, starts them in
// order, runs until stop() or SIGINT/SIGTERM, then stops them in reverse order.
//
// The components are the metrics registry, the call registry, the admin HTTP server (with the
// demo page), the media engine (its workers), the SIP stack and the B2BUA. stop() (or SIGINT/
// SIGTERM) drains: new calls get 503, calls in progress get a grace period, then BYE.
// Thread affinity: construct, start() and run() on the thread that becomes the signaling thread;
// stop() may be called from any thread (it posts).
#pragma once

#include "rtcgate/gateway/call_registry.hpp"
#include "rtcgate/gateway/config.hpp"
#include "rtcgate/gateway/metrics.hpp"

#include <cstdint>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace rtcgate::gateway {

class App {
 public:
  explicit App(Config config);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Binds every listener. Startup failures throw std::runtime_error (caught in main; STYLE.md
  // "Error handling" 4) after logging the cause.
  void start();
  // Blocks until stop() or a signal; returns after every component has stopped.
  void run();
  void stop();

  const Config& config() const;
  MetricsRegistry& metrics();
  // The call index the call logic fills and GET /api/calls and /metrics read.
  CallRegistry& calls();
  boost::asio::io_context& io();
  // Bound port of the admin server (differs from the config when it asks for port 0).
  std::uint16_t http_port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rtcgate::gateway
