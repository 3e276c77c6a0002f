// sip_transport_bench: SIP round trips on 127.0.0.1 through TransportManager, in one thread.
//
//   sip_transport_bench [--transport udp|tcp|ws] [--messages N] [--window W]
//
// A raw client (a UDP socket, one TCP connection, or one WebSocket connection with hand-made
// frames) keeps W OPTIONS requests in flight; the transport frames each request, stamps its Via
// (received/rport) and hands it up; the handler parses it, builds a 200 with make_response() and
// sends it back over the request's flow. Prints requests answered per second (wall clock) and CPU
// microseconds per request for the whole process, client included. Both ends share one thread,
// so the figure is a lower bound for the transport alone.
#include <time.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read_until.hpp>

#include "rtcgate/sip/asio/transport_manager.hpp"
#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/response.hpp"
#include "rtcgate/sip/serialize.hpp"
#include "transport_test_support.hpp"

namespace {

using namespace rtcgate::sip;
namespace ip = boost::asio::ip;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string request(std::string_view transport, std::uint16_t client_port, std::uint64_t n) {
  const std::string branch = "z9hG4bKbench" + std::to_string(n);
  std::string m = "OPTIONS sip:bench@127.0.0.1 SIP/2.0\r\n";
  m += "Via: SIP/2.0/" + std::string(transport) + " 127.0.0.1:" + std::to_string(client_port) +
       ";branch=" + branch + ";rport\r\n";
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
  std::string kind_name = "udp";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string_view value = argv[i + 1];
    std::uint64_t parsed = 0;
    std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (flag == "--messages") total = parsed;
    if (flag == "--window") window = parsed;
    if (flag == "--transport") kind_name = value;
  }
  const std::optional<TransportKind> kind = parse_transport_kind(kind_name);
  if (!kind || (*kind != TransportKind::Udp && *kind != TransportKind::Tcp && *kind != TransportKind::Ws)) {
    std::fprintf(stderr, "--transport is udp, tcp or ws\n");
    return 2;
  }
  boost::asio::io_context io;
  asio::TransportConfig config;
  config.listen = {kind_name + ":127.0.0.1:0"};
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
  const std::uint16_t server_port = transport.listeners().front().local.port;
  const std::string_view token = via_token(*kind);

  std::uint64_t sent = 0;
  std::uint64_t answered = 0;
  std::uint64_t lost_windows = 0;
  std::array<char, 65536> buffer{};
  std::function<void()> send_one;
  std::function<void()> receive;
  auto on_response = [&] {
    ++answered;
    if (sent < total) send_one();
  };

  ip::udp::socket udp(io);
  ip::tcp::socket tcp(io);
  std::string pending;  // stream bytes not yet split into responses
  ip::udp::endpoint from;
  if (*kind == TransportKind::Udp) {
    udp.open(ip::udp::v4());
    udp.bind(ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
    // A deep receive buffer so the window is not lost to the default socket buffer size.
    udp.set_option(boost::asio::socket_base::receive_buffer_size(4 << 20));
    const ip::udp::endpoint server(ip::make_address("127.0.0.1"), server_port);
    const std::uint16_t port = udp.local_endpoint().port();
    send_one = [&, server, port] { udp.send_to(boost::asio::buffer(request(token, port, sent++)), server); };
    receive = [&] {
      udp.async_receive_from(boost::asio::buffer(buffer), from,
                             [&](const boost::system::error_code& ec, std::size_t n) {
                               if (ec) return;
                               if (n > 12 && std::string_view(buffer.data(), 12) == "SIP/2.0 200 ")
                                 on_response();
                               if (answered < total) receive();
                             });
    };
  } else {
    tcp.connect(ip::tcp::endpoint(ip::make_address("127.0.0.1"), server_port));
    tcp.set_option(ip::tcp::no_delay(true));
    const bool ws = *kind == TransportKind::Ws;
    if (ws) {
      boost::asio::write(tcp, boost::asio::buffer(test::ws_upgrade_request("/", "sip")));
      bool upgraded = false;
      boost::asio::async_read_until(
          tcp, boost::asio::dynamic_buffer(pending), "\r\n\r\n",
          [&](const boost::system::error_code& ec, std::size_t) { upgraded = !ec; });
      if (!test::run_until(io, [&] { return upgraded; }) || !test::take_http_head(pending)) {
        std::fprintf(stderr, "websocket upgrade failed\n");
        return 1;
      }
    }
    const std::uint16_t port = tcp.local_endpoint().port();
    send_one = [&, ws, port] {
      const std::string m = request(token, port, sent++);
      boost::asio::write(tcp, boost::asio::buffer(ws ? test::ws_frame(m) : m));
    };
    receive = [&, ws] {
      tcp.async_read_some(boost::asio::buffer(buffer),
                          [&, ws](const boost::system::error_code& ec, std::size_t n) {
                            if (ec) return;
                            pending.append(buffer.data(), n);
                            for (;;) {
                              if (ws) {
                                const auto frame = test::take_ws_frame(pending);
                                if (!frame) break;
                                if (frame->second.starts_with("SIP/2.0 200 ")) on_response();
                              } else {
                                // Responses carry Content-Length: 0, so a message ends with its header
                                // section.
                                const std::size_t end = pending.find("\r\n\r\n");
                                if (end == std::string::npos) break;
                                if (pending.starts_with("SIP/2.0 200 ")) on_response();
                                pending.erase(0, end + 4);
                              }
                            }
                            if (answered < total) receive();
                          });
    };
  }

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
  std::printf("%s round trips: %llu answered of %llu sent, window %llu, %llu stalls, %llu unparsable\n",
              kind_name.c_str(), static_cast<unsigned long long>(answered),
              static_cast<unsigned long long>(sent), static_cast<unsigned long long>(window),
              static_cast<unsigned long long>(lost_windows), static_cast<unsigned long long>(bad));
  std::printf("wall %.3f s: %.0f requests/s; cpu %.3f s: %.2f us per request (client and server)\n", wall,
              static_cast<double>(answered) / wall, cpu, cpu * 1e6 / static_cast<double>(answered));
  return answered > 0 ? 0 : 1;
}
