// Interop with SIPp on 127.0.0.1 (UDP):
//  1. SIPp as a UAC registers with a small UAS built on DigestServer + Registrar; SIPp computes
//     the credentials with its own digest code ([authentication]) after our 401.
//  2. SIPp as a registrar challenges a REGISTER built by DigestClient and checks it with its own
//     digest code (verifyauth): 200 proves our client's response, 403 is what a wrong password gets.
// Each SIPp run is bounded (-timeout) and killed by pid if it overstays.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "rtcgate/sip/auth/message_auth.hpp"
#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/registrar/in_memory_location_store.hpp"
#include "rtcgate/sip/registrar/registrar.hpp"
#include "rtcgate/sip/serialize.hpp"

extern char** environ;

namespace rtcgate::sip {
namespace {

using namespace std::chrono_literals;

class UdpSocket {
 public:
  explicit UdpSocket(std::uint16_t port = 0) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in addr = loopback(port);
    bound_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~UdpSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  bool bound() const { return bound_; }
  std::uint16_t port() const {
    sockaddr_in addr{};
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    return ntohs(addr.sin_port);
  }
  void send_to(std::uint16_t port, const std::string& data) const {
    sockaddr_in addr = loopback(port);
    ::sendto(fd_, data.data(), data.size(), 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  }
  // One datagram and the sender's port, or nullopt after `timeout`.
  std::optional<std::pair<std::string, std::uint16_t>> receive(std::chrono::milliseconds timeout) const {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    std::string buffer(65535, '\0');
    sockaddr_in from{};
    socklen_t len = sizeof from;
    const auto n = ::recvfrom(fd_, buffer.data(), buffer.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0) return std::nullopt;
    buffer.resize(static_cast<std::size_t>(n));
    return std::make_pair(std::move(buffer), ntohs(from.sin_port));
  }

 private:
  static sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
  }
  int fd_ = -1;
  bool bound_ = false;
};

std::string scenario(std::string_view name) {
  return std::string(RTCGATE_SOURCE_DIR) + "/tests/sip/interop_auth/" + std::string(name);
}

bool have_sipp() {
  return std::system("command -v sipp > /dev/null 2>&1") == 0;
}

// Runs sipp with `args`, output to a log file; returns its pid.
pid_t spawn_sipp(std::vector<std::string> args, const std::filesystem::path& log) {
  args.insert(args.begin(), "sipp");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawnp(&pid, "sipp", &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// SIPp's exit status, or -1 when it had to be killed after `limit`.
int wait_sipp(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::this_thread::sleep_for(20ms);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

std::string read_log(const std::filesystem::path& log) {
  std::string out;
  if (FILE* f = std::fopen(log.c_str(), "r")) {
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && out.size() < 20000)
      out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

std::filesystem::path log_path(std::string_view name) {
  return std::filesystem::temp_directory_path() /
         ("rtcgate_" + std::string(name) + "_" + std::to_string(::getpid()) + ".log");
}

bool udp_port_bound(std::uint16_t port) {
  char needle[16];
  std::snprintf(needle, sizeof needle, ":%04X ", port);
  return read_log("/proc/net/udp").find(needle) != std::string::npos;
}

std::uint16_t free_udp_port() {
  UdpSocket probe;
  return probe.port();
}

// The test UAS: DigestServer in front of a Registrar, one UDP socket, its own thread.
class TestRegistrar {
 public:
  explicit TestRegistrar(std::vector<auth::Algorithm> algorithms)
      : server_({.realm = "rtcgate.test",
                 .algorithms = std::move(algorithms),
                 .accept_rfc2069 = false,
                 .nonces = {}},
                [](std::string_view user, std::string_view) -> std::optional<auth::UserSecret> {
                  if (user != "alice") return std::nullopt;
                  return auth::UserSecret{.password = "wonderland", .ha1_md5 = {}, .ha1_sha256 = {}};
                }),
        registrar_({}, store_),
        thread_([this] { run(); }) {}
  ~TestRegistrar() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  std::uint16_t port() const { return socket_.port(); }
  // Only read after the thread stopped.
  std::vector<auth::AuthVerdict> stop_and_verdicts() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return verdicts_;
  }
  registrar::Registrar& registrar() { return registrar_; }

 private:
  void run() {
    while (!stop_) {
      const auto datagram = socket_.receive(50ms);
      if (!datagram) continue;
      auto request = parse_message(datagram->first);
      if (!request || !request->is_request() || request->method() != Method::Register) continue;
      const TimePoint now = Clock::now();
      const auth::AuthResult result = auth::verify_request(server_, *request, auth::ChallengeKind::Www, now);
      verdicts_.push_back(result.verdict);
      Message response;
      if (result.ok()) {
        const std::string flow = "udp:127.0.0.1:" + std::to_string(datagram->second);
        response =
            registrar_
                .handle(*request, {.flow = flow, .authenticated_user = result.username, .to_tag = {}}, now)
                .response;
      } else {
        response = auth::make_challenge(server_, *request, auth::ChallengeKind::Www,
                                        result.verdict == auth::AuthVerdict::Stale, "uas1", now);
      }
      socket_.send_to(datagram->second, serialize(response));
    }
  }

  UdpSocket socket_{0};
  auth::DigestServer server_;
  registrar::InMemoryLocationStore store_;
  registrar::Registrar registrar_;
  std::atomic<bool> stop_{false};
  std::vector<auth::AuthVerdict> verdicts_;
  std::thread thread_;
};

void run_sipp_uac(std::vector<auth::Algorithm> algorithms) {
  ASSERT_TRUE(have_sipp()) << "sipp (Debian package sip-tester) is required";
  TestRegistrar uas(std::move(algorithms));
  const auto log = log_path("sipp_uac");
  const pid_t pid =
      spawn_sipp({"127.0.0.1:" + std::to_string(uas.port()), "-sf", scenario("uac_register_auth.xml"), "-m",
                  "1", "-i", "127.0.0.1", "-s", "alice", "-au", "alice", "-ap", "wonderland", "-timeout",
                  "10s", "-timeout_error", "-nostdin"},
                 log);
  ASSERT_GT(pid, 0);
  const int status = wait_sipp(pid, 20s);
  const auto verdicts = uas.stop_and_verdicts();
  EXPECT_EQ(status, 0) << read_log(log);
  ASSERT_EQ(verdicts.size(), 2u) << read_log(log);
  EXPECT_EQ(verdicts[0], auth::AuthVerdict::Missing);
  EXPECT_EQ(verdicts[1], auth::AuthVerdict::Ok);
  const auto bindings = uas.registrar().lookup(std::string_view("sip:alice@127.0.0.1"), Clock::now());
  ASSERT_EQ(bindings.size(), 1u);
  EXPECT_EQ(bindings[0].uri.rfind("sip:alice@127.0.0.1:", 0), 0u);
  std::filesystem::remove(log);
}

// SIPp 3.6 implements MD5 only and answers only the first WWW-Authenticate header, so the server
// here offers MD5 alone (with the RFC 8760 order, SHA-256 first, SIPp gives up).
TEST(AuthInterop, SippUacRegistersWithMd5Server) {
  run_sipp_uac({auth::Algorithm::Md5});
}

// Result of our DigestClient registering at SIPp's verifyauth registrar.
struct ClientRun {
  int final_status = 0;
  int sipp_exit = 0;
  std::string log;
};

ClientRun register_at_sipp(std::string_view password) {
  ClientRun run;
  const std::uint16_t sipp_port = free_udp_port();
  const auto log = log_path("sipp_uas");
  const pid_t pid = spawn_sipp({"-sf", scenario("uas_verifyauth.xml"), "-m", "1", "-i", "127.0.0.1", "-p",
                                std::to_string(sipp_port), "-timeout", "10s", "-timeout_error", "-nostdin"},
                               log);
  if (pid <= 0) return run;
  // Wait until SIPp holds its port, so the first REGISTER is not lost. Probing with bind() would
  // race with SIPp's own bind, so read the kernel's socket table instead.
  for (int i = 0; i < 250 && !udp_port_bound(sipp_port); ++i)
    std::this_thread::sleep_for(20ms);
  UdpSocket socket;
  auth::DigestClient client("alice", std::string(password));
  const auto make_register = [&](std::uint32_t cseq) {
    const std::string text = "REGISTER sip:127.0.0.1:" + std::to_string(sipp_port) +
                             " SIP/2.0\r\n"
                             "Via: SIP/2.0/UDP 127.0.0.1:" +
                             std::to_string(socket.port()) + ";branch=z9hG4bK-rtcgate-" +
                             std::to_string(cseq) +
                             ";rport\r\n"
                             "Max-Forwards: 70\r\n"
                             "From: <sip:alice@127.0.0.1>;tag=rtcgate1\r\n"
                             "To: <sip:alice@127.0.0.1>\r\n"
                             "Call-ID: rtcgate-auth-interop@127.0.0.1\r\n"
                             "CSeq: " +
                             std::to_string(cseq) +
                             " REGISTER\r\n"
                             "Contact: <sip:alice@127.0.0.1:" +
                             std::to_string(socket.port()) +
                             ">\r\n"
                             "Expires: 600\r\n"
                             "Content-Length: 0\r\n\r\n";
    return parse_message(text).value();
  };
  const Message first = make_register(1);
  socket.send_to(sipp_port, serialize(first));
  const auto challenge = socket.receive(5s);
  if (challenge) {
    const auto response = parse_message(challenge->first);
    if (response && auth::on_challenge(client, first, *response) == auth::ClientVerdict::Answered) {
      Message second = make_register(2);
      auth::authorize(client, second);
      socket.send_to(sipp_port, serialize(second));
      if (const auto final_reply = socket.receive(5s)) {
        if (const auto parsed = parse_message(final_reply->first)) run.final_status = parsed->status();
      }
    }
  }
  run.sipp_exit = wait_sipp(pid, 15s);
  run.log = read_log(log);
  std::filesystem::remove(log);
  return run;
}

TEST(AuthInterop, DigestClientPassesSippVerifyauth) {
  ASSERT_TRUE(have_sipp()) << "sipp (Debian package sip-tester) is required";
  const ClientRun run = register_at_sipp("wonderland");
  EXPECT_EQ(run.final_status, 200) << run.log;
  EXPECT_EQ(run.sipp_exit, 0) << run.log;
}

TEST(AuthInterop, DigestClientWithWrongPasswordFailsSippVerifyauth) {
  ASSERT_TRUE(have_sipp()) << "sipp (Debian package sip-tester) is required";
  const ClientRun run = register_at_sipp("not-the-password");
  EXPECT_EQ(run.final_status, 403) << run.log;
  EXPECT_NE(run.sipp_exit, 0) << run.log;
}

}  // namespace
}  // namespace rtcgate::sip
