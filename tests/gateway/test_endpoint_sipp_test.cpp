// SIPp (Debian package sip-tester) as the caller of the built-in test endpoint: a third-party UAC
// INVITEs `echo`, streams a PCMU tone with rtp_stream, and hangs up. SIPp's exit code proves the
// SIP side (its scenario checks the 200 and its SDP answer); the endpoint's counters prove that the
// RTP arrived and that every packet went back.
#include "rtcgate/gateway/test_endpoint/g711.hpp"
#include "rtcgate/gateway/test_endpoint/test_endpoint.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <numbers>
#include <string>
#include <thread>

namespace {

namespace asio = boost::asio;
using rtcgate::gateway::test_endpoint::Options;
using rtcgate::gateway::test_endpoint::Stats;
using rtcgate::gateway::test_endpoint::TestEndpoint;

std::uint16_t free_udp_port() {
  asio::io_context io;
  asio::ip::udp::socket s(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return s.local_endpoint().port();
}

TEST(TestEndpointSipp, EchoCallWithRtpStream) {
  // A missing peer is a failure, not a skip: `./scripts/dev setup --tests` installs it.
  ASSERT_EQ(std::system("command -v sipp > /dev/null"), 0) << "sipp (sip-tester) is not installed";
  namespace fs = std::filesystem;
  fs::path work = fs::temp_directory_path() / ("rtcgate-test-endpoint-" + std::to_string(::getpid()));
  fs::create_directories(work);
  {
    // Three seconds of 1 kHz mu-law, more than the scenario streams.
    std::ofstream tone(work / "tone.ulaw", std::ios::binary);
    for (int i = 0; i < 3 * 8000; ++i) {
      double v = 8000.0 * std::sin(2.0 * std::numbers::pi * 1000.0 * i / 8000.0);
      tone.put(static_cast<char>(rtcgate::gateway::test_endpoint::ulaw_encode(static_cast<std::int16_t>(v))));
    }
  }

  asio::io_context io;
  Options options;
  options.rtp_port_min = 43000;
  options.rtp_port_max = 43999;
  auto endpoint = TestEndpoint::start(io, options);
  ASSERT_TRUE(endpoint) << endpoint.error();
  auto guard = asio::make_work_guard(io);
  std::thread runner([&] { io.run(); });

  std::string command =
      "cd '" + work.string() + "' && timeout 40 sipp " + (*endpoint)->address().to_string() +
      " -sf '" RTCGATE_SOURCE_DIR "/tests/gateway/test_endpoint/uac_echo.xml' -s echo" + " -i 127.0.0.1 -p " +
      std::to_string(free_udp_port()) + " -mi 127.0.0.1 -mp " + std::to_string(free_udp_port()) +
      " -m 1 -l 1 -timeout 30s -timeout_error -nostdin" + " -trace_err > sipp.out 2>&1";
  int status = std::system(command.c_str());

  std::promise<std::pair<Stats, std::size_t>> counters;
  asio::post(io, [&] { counters.set_value({(*endpoint)->stats(), (*endpoint)->active_calls()}); });
  auto [stats, active] = counters.get_future().get();
  asio::post(io, [&] { (*endpoint)->stop(); });
  guard.reset();
  runner.join();

  std::string log;
  for (const auto& entry : fs::directory_iterator(work)) {
    if (entry.path().extension() == ".log" || entry.path().filename() == "sipp.out") {
      std::ifstream in(entry.path());
      log += entry.path().filename().string() + ":\n" + std::string(std::istreambuf_iterator<char>(in), {}) +
             "\n";
    }
  }
  EXPECT_EQ(status, 0) << log;
  EXPECT_EQ(stats.calls_answered, 1u);
  EXPECT_EQ(active, 0u) << "the BYE ended the call";
  // 1.5 s of 20 ms packets is 75; SIPp starts streaming after the ACK, so allow for a slow start.
  EXPECT_GE(stats.rtp_received, 40u) << log;
  EXPECT_EQ(stats.rtp_sent, stats.rtp_received);
  fs::remove_all(work);
}

}  // namespace
