// sip_test_ua: the TestUa on rtcgate's own transports (TransportManager) and timers
// (AsioTimerService), for the SIPp interop tests.
//
//   sip_test_ua --listen udp:127.0.0.1:5060 --listen tcp:127.0.0.1:5060 [--calls N]
//   sip_test_ua --listen udp:127.0.0.1:5062 --call 'sip:svc@127.0.0.1:5070' [--mode bye|cancel]
//   common: [--timeout SECONDS] [--linger-ms MS] [--ready-file PATH] [--expect NAME>=N|NAME=N]...
//           [--fault no-ack|wrong-password|no-ok-retransmission|answer-cancelled]
//
// As a UAS it runs until --calls calls ended; as a UAC until its call ended. It then lingers
// (answering retransmissions), prints its counters and checks every --expect against them.
// Exit status: 0 all good, 1 the call failed or an expectation did not hold, 2 bad usage or a
// listener could not be bound, 3 --timeout passed first.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtcgate/sip/asio/asio_timer_service.hpp"
#include "rtcgate/sip/asio/transport_manager.hpp"
#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/transaction_layer.hpp"
#include "test_ua.hpp"

namespace {

using namespace rtcgate::sip;
using testua::CallMode;

struct Expectation {
  std::string name;
  bool at_least = false;  // ">=" rather than "="
  std::uint64_t value = 0;
};

struct Options {
  std::vector<std::string> listen;
  std::optional<std::string> call;
  CallMode mode = CallMode::Bye;
  std::uint32_t calls = 1;
  std::chrono::seconds timeout{30};
  std::chrono::milliseconds linger{500};
  std::string ready_file;
  std::vector<Expectation> expectations;
  testua::Fault fault = testua::Fault::None;
};

std::optional<Expectation> parse_expectation(std::string_view text) {
  Expectation e;
  auto split = text.find(">=");
  e.at_least = split != std::string_view::npos;
  if (!e.at_least) split = text.find('=');
  if (split == std::string_view::npos || split == 0) return std::nullopt;
  e.name = std::string(text.substr(0, split));
  const std::string number(text.substr(split + (e.at_least ? 2 : 1)));
  char* end = nullptr;
  e.value = std::strtoull(number.c_str(), &end, 10);
  if (number.empty() || *end != '\0') return std::nullopt;
  return e;
}

std::optional<Options> parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) return std::nullopt;
    const std::string value = argv[++i];
    if (arg == "--listen") {
      o.listen.push_back(value);
    } else if (arg == "--call") {
      o.call = value;
    } else if (arg == "--mode" && (value == "bye" || value == "cancel")) {
      o.mode = value == "bye" ? CallMode::Bye : CallMode::Cancel;
    } else if (arg == "--calls") {
      o.calls = static_cast<std::uint32_t>(std::strtoul(value.c_str(), nullptr, 10));
    } else if (arg == "--timeout") {
      o.timeout = std::chrono::seconds(std::strtol(value.c_str(), nullptr, 10));
    } else if (arg == "--linger-ms") {
      o.linger = std::chrono::milliseconds(std::strtol(value.c_str(), nullptr, 10));
    } else if (arg == "--ready-file") {
      o.ready_file = value;
    } else if (arg == "--fault") {
      const auto fault = testua::parse_fault(value);
      if (!fault) return std::nullopt;
      o.fault = *fault;
    } else if (arg == "--expect") {
      const auto e = parse_expectation(value);
      if (!e) return std::nullopt;
      o.expectations.push_back(*e);
    } else {
      return std::nullopt;
    }
  }
  if (o.listen.empty()) return std::nullopt;
  return o;
}

bool check(const testua::Stats& stats, const std::vector<Expectation>& expectations) {
  bool ok = true;
  for (const auto& e : expectations) {
    const auto actual = stats.get(e.name);
    const bool holds = actual && (e.at_least ? *actual >= e.value : *actual == e.value);
    if (!holds) {
      std::fprintf(stderr, "sip_test_ua: expected %s %s %llu, got %s\n", e.name.c_str(),
                   e.at_least ? ">=" : "=", static_cast<unsigned long long>(e.value),
                   actual ? std::to_string(*actual).c_str() : "no such counter");
      ok = false;
    }
  }
  return ok;
}

int run(const Options& options) {
  boost::asio::io_context io;
  auto transport = asio::TransportManager::create(io, {.listen = options.listen, .tls = {}, .limits = {}});
  if (!transport) {
    std::fprintf(stderr, "sip_test_ua: %s\n", transport.error().c_str());
    return 2;
  }
  asio::AsioTimerService timers(io);
  testua::TestUaConfig config;
  config.calls = options.calls;
  config.fault = options.fault;
  for (const auto& listener : (*transport)->listeners())
    config.local.emplace(listener.kind, listener.local);

  boost::asio::steady_timer linger(io);
  bool finished = false;
  testua::TestUa ua(timers, make_transport_sender(**transport), config, [&] {
    finished = true;
    linger.expires_after(options.linger);
    linger.async_wait([&](const boost::system::error_code&) { io.stop(); });
  });
  (*transport)
      ->set_events({
          .on_message =
              [&](const Flow& flow, std::string_view bytes) {
                ParseLimits limits;
                limits.require_content_length = is_reliable(flow.kind);  // RFC 3261 §18.3
                auto message = parse_message(bytes, limits);
                if (message) {
                  ua.receive(*message, flow);
                } else {
                  std::fprintf(stderr, "sip_test_ua: unparsable message from %s\n",
                               flow.remote.to_string().c_str());
                }
              },
          .on_flow_opened = {},
          .on_flow_closed = [&](const Flow& flow, std::error_code) { ua.flow_closed(flow); },
      });

  if (options.call) {
    const auto target = parse_uri(*options.call);
    if (!target || !ua.call(*target, options.mode)) {
      std::fprintf(stderr, "sip_test_ua: cannot call %s\n", options.call->c_str());
      return 2;
    }
  }
  if (!options.ready_file.empty()) {
    std::ofstream ready(options.ready_file);
    for (const auto& listener : (*transport)->listeners())
      ready << via_token(listener.kind) << ' ' << listener.local.to_string() << '\n';
  }

  bool timed_out = false;
  boost::asio::steady_timer deadline(io);
  deadline.expires_after(options.timeout);
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (ec) return;
    timed_out = !finished;
    io.stop();
  });
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
  io.run();

  std::printf("sip_test_ua: %s\n", ua.stats().to_string().c_str());
  std::fflush(stdout);
  if (timed_out) {
    std::fprintf(stderr, "sip_test_ua: timed out after %llds\n",
                 static_cast<long long>(options.timeout.count()));
    return 3;
  }
  const bool call_ok = !options.call || ua.call_succeeded();
  if (!call_ok) std::fprintf(stderr, "sip_test_ua: the call failed\n");
  return check(ua.stats(), options.expectations) && call_ok && finished ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const auto options = parse_options(argc, argv);
  if (!options) {
    std::fprintf(stderr,
                 "usage: sip_test_ua --listen SPEC... [--call URI [--mode bye|cancel]] [--calls N]\n"
                 "       [--timeout S] [--linger-ms MS] [--ready-file PATH] [--expect NAME>=N|NAME=N]...\n"
                 "       [--fault no-ack|wrong-password|no-ok-retransmission|answer-cancelled]\n");
    return 2;
  }
  return run(*options);
}
