#include "rtcgate/gateway/app.hpp"

#include "rtcgate/gateway/admin_router.hpp"
#include "rtcgate/gateway/b2bua/b2bua.hpp"
#include "rtcgate/gateway/b2bua/sip_stack.hpp"
#include "rtcgate/gateway/http_admin.hpp"
#include "rtcgate/gateway/in_memory_call_registry.hpp"
#include "rtcgate/gateway/log.hpp"
#include "rtcgate/gateway/test_endpoint/test_endpoint.hpp"

#include <rtcgate/media/dtls/certificate.hpp>
#include <rtcgate/media/srtp/srtp_backend.hpp>
#include <rtcgate/media/worker/media_engine.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <csignal>
#include <stdexcept>

#ifndef RTCGATE_VERSION
#define RTCGATE_VERSION "0"
#endif

namespace rtcgate::gateway {
namespace {

media::MediaEngineConfig engine_config(const Config& config) {
  media::MediaEngineConfig out;
  out.workers = config.media.workers;
  out.port_min = config.media.port_min;
  out.port_max = config.media.port_max;
  return out;
}

}  // namespace

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
  std::unique_ptr<test_endpoint::TestEndpoint> endpoint;
  std::unique_ptr<media::MediaEngine> media;
  std::unique_ptr<b2bua::SipStack> sip;
  std::unique_ptr<b2bua::B2bua> calls_control;
  // Media events posted to the io_context reach the B2BUA only while this slot points at it.
  std::shared_ptr<b2bua::B2bua*> b2bua_slot = std::make_shared<b2bua::B2bua*>(nullptr);
  boost::asio::steady_timer media_gauges{io};
  std::uint16_t http_port = 0;
  bool stopping = false;

  void start_calls();
  void shut_down();
  void sample_media();
};

void App::Impl::start_calls() {
  if (config.test_endpoint.enabled) {
    auto options = test_endpoint::options_from(config.test_endpoint);
    if (!options) throw std::runtime_error("[test_endpoint]: " + options.error());
    auto started = test_endpoint::TestEndpoint::start(io, *options);
    if (!started) {
      log_error("test_endpoint.failed", {{"reason", started.error()}});
      throw std::runtime_error("test endpoint: " + started.error());
    }
    endpoint = std::move(*started);
    log_info("test_endpoint.listening", {{"address", endpoint->address().to_string()}});
  }
  auto certificate = media::Certificate::generate();
  if (!certificate) throw std::runtime_error("DTLS certificate: cannot generate");
  auto engine = media::MediaEngine::create(engine_config(config), *certificate,
                                           b2bua::B2bua::media_sink(io, b2bua_slot));
  if (!engine) {
    log_error("media.failed", {{"reason", engine.error()}});
    throw std::runtime_error("media engine: " + engine.error());
  }
  media = std::move(*engine);
  auto stack = b2bua::SipStack::create(io, config);
  if (!stack) {
    log_error("sip.failed", {{"reason", stack.error()}});
    throw std::runtime_error("SIP transports: " + stack.error());
  }
  sip = std::move(*stack);
  for (const sip::ListenerInfo& l : sip->transport().listeners()) {
    log_info("sip.listening", {{"transport", sip::via_token(l.kind)}, {"address", l.local.to_string()}});
  }
  calls_control = std::make_unique<b2bua::B2bua>(config, *sip, *media, calls);
  *b2bua_slot = calls_control.get();
  sample_media();
}

// Media sessions and legacy RTP ports held right now: what a leaked call would leave behind.
void App::Impl::sample_media() {
  if (!media) return;
  metrics.gauge("rtcgate_media_sessions", "Media sessions alive in the media engine.")
      .set(static_cast<std::int64_t>(media->session_count()));
  metrics
      .gauge("rtcgate_media_ports_in_use",
             "Legacy-leg RTP/RTCP ports allocated from [media] port_min..port_max.")
      .set(static_cast<std::int64_t>(media->ports().in_use()));
  media_gauges.expires_after(std::chrono::seconds(1));
  media_gauges.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) sample_media();
  });
}

void App::Impl::shut_down() {
  media_gauges.cancel();
  *b2bua_slot = nullptr;
  calls_control.reset();
  sip.reset();
  media.reset();  // joins the workers after destroying their sessions
  endpoint.reset();
  http.stop();
  boost::system::error_code ignored;
  signals.cancel(ignored);
  io.stop();
}

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
  // Which crypto library SRTP runs on decides its per-packet cost (NSS is several times OpenSSL's).
  const media::SrtpCryptoBackend srtp_crypto = media::srtp_crypto_backend();
  s.metrics
      .gauge("rtcgate_build_info", "Build information; the value is always 1.",
             {{"version", RTCGATE_VERSION}, {"srtp_crypto", std::string(media::to_string(srtp_crypto))}})
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
  s.start_calls();
  SocketAddress bound{s.config.http.listen.ip, *port};
  log_info("http.listening", {{"address", bound.to_string()}});
  s.signals.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log_info("rtcgate.signal", {{"signal", signal}});
    stop();
  });
  log_info("rtcgate.started", {{"version", RTCGATE_VERSION},
                               {"builtin_config", s.config.builtin},
                               {"srtp", media::srtp_library_version()},
                               {"srtp_crypto", media::to_string(srtp_crypto)}});
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
    // New calls get 503 at once; calls in progress end by themselves or get BYE after the grace
    // period; then everything stops in reverse order of start().
    if (!s.calls_control) return s.shut_down();
    s.calls_control->drain(std::chrono::seconds(s.config.sip.drain_seconds),
                           [&s] { boost::asio::post(s.io, [&s] { s.shut_down(); }); });
  });
}

}  // namespace rtcgate::gateway
