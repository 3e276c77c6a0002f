// sip_transport_udp_bench: SIP over UDP on 127.0.0.1 through TransportManager, in one thread.
//
//   sip_transport_udp_bench [--messages N] [--window W]
//
// A raw UDP client keeps W OPTIONS requests in flight; the transport stamps each request's Via
// (received/rport), hands it up, and the handler parses it, builds a 200 with make_response() and
// sends it back over the request's flow. Prints requests answered per second (wall clock) and
// CPU microseconds per request for the whole process, client included. Both ends share one core,
// so the figure is a lower bound for the transport alone.
#include <time.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "rtcgate/sip/asio/transport_manager.hpp"
#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/response.hpp"
#include "rtcgate/sip/serialize.hpp"

namespace {

using namespace rtcgate::sip;
namespace ip = boost::asio::ip;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string request(std::uint16_t client_port, std::uint64_t n) {
  const std::string branch = "z9hG4bKbench" + std::to_string(n);
  std::string m = "OPTIONS sip:bench@127.0.0.1 SIP/2.0\r\n";
  m += "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(client_port) + ";branch=" + branch + ";rport\r\n";
  m += "Max-Forwards: 70\r\n";
  m += "From: <sip:client@127.0.0.1>;tag=c1\r\n";
  m += "To: <sip:bench@127.0.0.1>\r\n";
  m += "Call-ID: " + branch + "@127.0.0.1\r\n";
  m += "CSeq: 1 OPTIONS\r\n";
  m += "User-Agent: rtcgate-bench\r\n";
  m += "Content-Length: 0\r\n\r\n";
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t total = 200000;
  std::uint64_t window = 32;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string_view value = argv[i + 1];
    std::uint64_t parsed = 0;
    std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (flag == "--messages") total = parsed;
    if (flag == "--window") window = parsed;
  }
  boost::asio::io_context io;
  asio::TransportConfig config;
  config.listen = {"udp:127.0.0.1:0"};
  auto created = asio::TransportManager::create(io, config);
  if (!created) {
    std::fprintf(stderr, "%s\n", created.error().c_str());
    return 1;
  }
  Transport& transport = **created;
  std::uint64_t bad = 0;
  TransportEvents events;
  events.on_message = [&](const Flow& flow, std::string_view bytes) {
    auto parsed = parse_message(bytes);
    if (!parsed || !parsed->is_request()) {
      ++bad;
      return;
    }
    transport.send(flow, serialize(make_response(*parsed, 200, "OK")), {});
  };
  transport.set_events(std::move(events));

  ip::udp::socket client(io, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
  // A deep receive buffer so the window is not lost to the default socket buffer size.
  client.set_option(boost::asio::socket_base::receive_buffer_size(4 << 20));
  const std::uint16_t client_port = client.local_endpoint().port();
  const ip::udp::endpoint server(ip::make_address("127.0.0.1"), transport.listeners().front().local.port);

  std::uint64_t sent = 0;
  std::uint64_t answered = 0;
  std::uint64_t lost_windows = 0;
  std::array<char, 4096> buffer{};
  ip::udp::endpoint from;
  auto send_one = [&] { client.send_to(boost::asio::buffer(request(client_port, sent++)), server); };
  std::function<void()> receive = [&] {
    client.async_receive_from(boost::asio::buffer(buffer), from,
                              [&](const boost::system::error_code& ec, std::size_t n) {
                                if (ec) return;
                                if (n > 12 && std::string_view(buffer.data(), 12) == "SIP/2.0 200 ")
                                  ++answered;
                                if (sent < total) send_one();
                                if (answered < total) receive();
                              });
  };

  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  for (std::uint64_t i = 0; i < window && sent < total; ++i)
    send_one();
  receive();
  // UDP may drop under load: if nothing arrives for a while, refill the window.
  while (answered < total) {
    const std::uint64_t before = answered;
    io.restart();
    io.run_for(std::chrono::milliseconds(200));
    if (answered == before) {
      if (sent >= total || ++lost_windows > 50) break;  // the rest was lost
      for (std::uint64_t i = 0; i < window && sent < total; ++i)
        send_one();
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const double cpu = cpu_seconds() - cpu_start;
  std::printf("udp round trips: %llu answered of %llu sent, window %llu, %llu stalls, %llu unparsable\n",
              static_cast<unsigned long long>(answered), static_cast<unsigned long long>(sent),
              static_cast<unsigned long long>(window), static_cast<unsigned long long>(lost_windows),
              static_cast<unsigned long long>(bad));
  std::printf("wall %.3f s: %.0f requests/s; cpu %.3f s: %.2f us per request (client and server)\n", wall,
              static_cast<double>(answered) / wall, cpu, cpu * 1e6 / static_cast<double>(answered));
  return answered > 0 ? 0 : 1;
}
