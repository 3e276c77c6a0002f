// sip_ws_test_server: a tiny registrar on TransportManager for the JsSIP interop test (RFC 7118).
//
//   sip_ws_test_server --port-file FILE [--timeout SECONDS] [--wss 1]
//
// Listens on ws:127.0.0.1:0 (wss: with a self-signed certificate made at start-up when --wss 1)
// and writes the bound port to FILE. A REGISTER is challenged with an
// MD5 digest (JsSIP answers MD5 only) and, once its credentials verify, answered 200 with its
// Contact. The registration keeps the flow as an RFC 5626 flow token, as the gateway's registrar
// does; the server then turns the token back into the flow and sends an OPTIONS to the Contact
// over that WebSocket connection. Exit 0 when the 200 to that OPTIONS arrives on the same flow;
// exit 1 on timeout or on anything unexpected (each check prints what failed).
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "../transport_test_support.hpp"
#include "rtcgate/sip/asio/flow_token.hpp"
#include "rtcgate/sip/asio/transport_manager.hpp"
#include "rtcgate/sip/auth/message_auth.hpp"
#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/response.hpp"
#include "rtcgate/sip/serialize.hpp"

namespace {

using namespace rtcgate::sip;

constexpr std::string_view kUser = "alice";
constexpr std::string_view kPassword = "wonderland";
constexpr std::string_view kRealm = "rtcgate.test";

// The URI inside the first Contact value ("<sip:x@y;transport=ws>;expires=600" -> "sip:x@y;...").
std::string contact_uri(std::string_view contact) {
  const std::size_t open = contact.find('<');
  const std::size_t close = contact.find('>', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return {};
  return std::string(contact.substr(open + 1, close - open - 1));
}

// JsSIP answers MD5 only.
auth::DigestServerConfig make_digest_config() {
  auth::DigestServerConfig config;
  config.realm = std::string(kRealm);
  config.algorithms = {auth::Algorithm::Md5};
  return config;
}

class Server {
 public:
  Server(boost::asio::io_context& io, Transport& transport)
      : io_(io),
        transport_(transport),
        digest_(make_digest_config(),
                [](std::string_view user, std::string_view) -> std::optional<auth::UserSecret> {
                  if (user != kUser) return std::nullopt;
                  return auth::UserSecret{
                      .password = std::string(kPassword), .ha1_md5 = {}, .ha1_sha256 = {}};
                }) {
    TransportEvents events;
    events.on_message = [this](const Flow& flow, std::string_view bytes) { on_message(flow, bytes); };
    events.on_flow_opened = [](const Flow& flow) {
      std::cout << "server: flow opened from " << flow.remote.to_string() << "\n";
    };
    events.on_flow_closed = [](const Flow& flow, std::error_code reason) {
      std::cout << "server: flow from " << flow.remote.to_string() << " closed: " << reason.message() << "\n";
    };
    transport_.set_events(std::move(events));
  }

  bool passed() const { return passed_; }
  bool failed() const { return failed_; }

 private:
  void fail(std::string_view why) {
    std::cout << "server: FAIL " << why << "\n";
    failed_ = true;
    io_.stop();
  }

  void on_message(const Flow& flow, std::string_view bytes) {
    auto message = parse_message(bytes);
    if (!message) return fail("unparsable message from JsSIP");
    if (message->is_response()) return on_response(flow, *message);
    if (message->method_token() == "REGISTER") return on_register(flow, *message);
    std::cout << "server: answering " << message->method_token() << " with 200\n";
    transport_.send(flow, serialize(make_response(*message, 200, "OK", "srv")), {});
  }

  void on_register(const Flow& flow, const Message& request) {
    // RFC 7118 §5.2 / RFC 3261 §18.2.1: the .invalid sent-by must have been corrected.
    const std::string via(request.first("Via").value_or(""));
    if (via.find("received=" + flow.remote.ip) == std::string::npos) return fail("Via not stamped: " + via);
    const auth::AuthResult result =
        auth::verify_request(digest_, request, auth::ChallengeKind::Www, Clock::now());
    std::cout << "server: REGISTER over " << via_token(flow.kind) << ", digest "
              << auth::to_string(result.verdict) << "\n";
    if (!result.ok()) {
      if (result.verdict != auth::AuthVerdict::Missing && result.verdict != auth::AuthVerdict::Stale) {
        return fail("JsSIP's credentials were refused");
      }
      ++challenges_;
      const Message challenge =
          auth::make_challenge(digest_, request, auth::ChallengeKind::Www,
                               result.verdict == auth::AuthVerdict::Stale, "srv", Clock::now());
      transport_.send(flow, serialize(challenge), {});
      return;
    }
    if (challenges_ == 0) return fail("credentials without a challenge");
    const auto contact = request.first("Contact");
    if (!contact) return fail("REGISTER without Contact");
    Message ok = make_response(request, 200, "OK", "srv");
    std::string value(*contact);
    if (value.find("expires=") == std::string::npos) value += ";expires=600";
    ok.add("Contact", value);
    transport_.send(flow, serialize(ok), {});
    // What a registrar keeps: the Contact and the token of the flow it came over (RFC 5626 §6).
    binding_uri_ = contact_uri(*contact);
    binding_flow_ = tokens_.encode(flow);
    register_flow_ = flow;
    boost::asio::post(io_, [this] { send_options(); });
  }

  void send_options() {
    const std::optional<Flow> flow = tokens_.decode(binding_flow_);
    if (!flow || !transport_.is_open(*flow))
      return fail("the registration's flow token does not name an open flow");
    const std::string local = flow->local.to_string();
    std::string m = "OPTIONS " + binding_uri_ + " SIP/2.0\r\n";
    m += "Via: SIP/2.0/" + std::string(via_token(flow->kind)) + " " + local +
         ";branch=z9hG4bKwsinterop1;rport\r\n";
    m += "Max-Forwards: 70\r\n";
    m += "To: <" + binding_uri_ + ">\r\n";
    m += "From: <sip:registrar@" + local + ">;tag=srv1\r\n";
    m += "Call-ID: " + options_call_id_ + "\r\n";
    m += "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    std::cout << "server: OPTIONS " << binding_uri_ << " over flow token " << binding_flow_ << "\n";
    transport_.send(*flow, std::move(m), [this](std::error_code ec, const Flow&) {
      if (ec) fail("sending OPTIONS: " + ec.message());
    });
  }

  void on_response(const Flow& flow, const Message& response) {
    if (response.call_id() != std::optional<std::string_view>(options_call_id_))
      return fail("unexpected response");
    std::cout << "server: OPTIONS answered " << response.status() << " " << response.reason() << "\n";
    if (flow != register_flow_) return fail("the answer came over another flow");
    if (response.status() != 200) return fail("OPTIONS not answered 200");
    passed_ = true;
    io_.stop();
  }

  boost::asio::io_context& io_;
  Transport& transport_;
  auth::DigestServer digest_;
  asio::FlowTokens tokens_;
  int challenges_ = 0;
  std::string binding_uri_;
  std::string binding_flow_;
  Flow register_flow_;
  const std::string options_call_id_ = "ws-interop-options@rtcgate.test";
  bool passed_ = false;
  bool failed_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  std::string port_file;
  int timeout_seconds = 20;
  bool secure = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string_view value = argv[i + 1];
    if (flag == "--port-file") port_file = value;
    if (flag == "--timeout") std::from_chars(value.data(), value.data() + value.size(), timeout_seconds);
    if (flag == "--wss") secure = value == "1";
  }
  if (port_file.empty()) {
    std::cerr << "usage: sip_ws_test_server --port-file FILE [--timeout SECONDS] [--wss 1]\n";
    return 2;
  }
  boost::asio::io_context io;
  asio::TransportConfig config;
  config.listen = {secure ? "wss:127.0.0.1:0" : "ws:127.0.0.1:0"};
  if (secure) {
    const test::TestCert cert = test::make_test_cert();
    config.tls.cert_pem = cert.cert_pem;
    config.tls.key_pem = cert.key_pem;
  }
  auto transport = asio::TransportManager::create(io, config);
  if (!transport) {
    std::cerr << "server: " << transport.error() << "\n";
    return 1;
  }
  Server server(io, **transport);
  {
    std::ofstream out(port_file + ".tmp");
    out << (*transport)->listeners().front().local.port << "\n";
  }
  std::rename((port_file + ".tmp").c_str(), port_file.c_str());
  boost::asio::steady_timer deadline(io, std::chrono::seconds(timeout_seconds));
  deadline.async_wait([&](const boost::system::error_code& ec) {
    if (!ec) {
      std::cout << "server: FAIL timed out\n";
      io.stop();
    }
  });
  io.run();
  std::cout << (server.passed() ? "server: PASS" : "server: did not pass") << std::endl;
  return server.passed() && !server.failed() ? 0 : 1;
}
