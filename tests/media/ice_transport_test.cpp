// Two IceTransports on 127.0.0.1 connecting through libnice (trickle, controlling + controlled),
// ICE-lite, 1:1 NAT address rewrite, port range, STUN and TURN servers, data both ways, restart, and
// consent loss.
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "rtcgate/media/ice/ice_transport.hpp"
#include "rtcgate/media/io/address.hpp"
#include "rtcgate/media/worker/worker.hpp"
#include "session_test_support.hpp"

namespace rtcgate::media {
namespace {

using namespace std::chrono_literals;

template <typename F>
auto call_on(Worker& worker, F&& f) {
  std::packaged_task<decltype(f())()> task(std::forward<F>(f));
  auto result = task.get_future();
  worker.post([&task] { task(); });
  return result.get();
}

struct Side final : IceTransport::Observer {
  std::unique_ptr<IceTransport> transport;
  Side* peer = nullptr;
  bool trickle_to_peer = true;
  std::mutex mutex;
  std::vector<IceCandidate> candidates;
  std::vector<std::string> received;
  std::atomic<bool> gathered{false};
  std::atomic<bool> consent_lost{false};
  std::atomic<IceState> state{IceState::New};

  void on_local_candidate(const IceCandidate& candidate) override {
    {
      std::lock_guard lock(mutex);
      candidates.push_back(candidate);
    }
    if (trickle_to_peer && peer != nullptr && peer->transport) {
      EXPECT_FALSE(peer->transport->add_remote_candidate(candidate));
    }
  }
  void on_gathering_done() override {
    gathered = true;
    if (trickle_to_peer && peer != nullptr && peer->transport) peer->transport->end_of_remote_candidates();
  }
  void on_ice_state(IceState s) override { state = s; }
  void on_consent_lost() override { consent_lost = true; }
  void on_ice_packet(PacketPtr packet) noexcept override {
    std::lock_guard lock(mutex);
    const auto bytes = packet->data();
    received.emplace_back(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  bool writable() const {
    const IceState s = state;
    return s == IceState::Connected || s == IceState::Ready;
  }
};

bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// A STUN message received by a fake server on 127.0.0.1, with the port it came from.
struct StunRequest {
  std::vector<std::byte> bytes;
  std::uint16_t from_port = 0;
  [[nodiscard]] std::uint16_t type() const {
    return static_cast<std::uint16_t>((std::to_integer<unsigned>(bytes[0]) << 8) |
                                      std::to_integer<unsigned>(bytes[1]));
  }
};

// Any datagram with a STUN header (RFC 5389 §6: 20 bytes, top two bits zero). libnice's server
// discovery speaks RFC 3489 (no magic cookie), its TURN client RFC 5389.
std::optional<StunRequest> receive_stun(const test::UdpSocket& server, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::array<std::byte, 1500> buf;
  while (std::chrono::steady_clock::now() < deadline) {
    SocketAddress from;
    from.length = sizeof(from.storage);
    const ssize_t got = ::recvfrom(server.fd(), buf.data(), buf.size(), 0, from.get(), &from.length);
    if (got >= 20 && (std::to_integer<unsigned>(buf[0]) & 0xc0u) == 0)
      return StunRequest{std::vector<std::byte>(buf.begin(), buf.begin() + got), port_of(from)};
    if (got < 0) std::this_thread::sleep_for(1ms);
  }
  return std::nullopt;
}

// A Binding success response to `request` carrying MAPPED-ADDRESS ip:port (RFC 3489 §11.2.1), which
// every STUN client understands.
std::vector<std::byte> binding_response(const StunRequest& request, std::uint32_t ip, std::uint16_t port) {
  std::vector<std::byte> out(20 + 12);
  const auto put16 = [&](std::size_t at, std::uint32_t v) {
    out[at] = static_cast<std::byte>(v >> 8);
    out[at + 1] = static_cast<std::byte>(v);
  };
  put16(0, 0x0101);
  put16(2, 12);
  std::copy(request.bytes.begin() + 4, request.bytes.begin() + 20, out.begin() + 4);  // transaction id
  put16(20, 0x0001);                                                                  // MAPPED-ADDRESS
  put16(22, 8);
  put16(24, 0x0001);  // IPv4
  put16(26, port);
  put16(28, ip >> 16);
  put16(30, ip & 0xffffu);
  return out;
}

class IceTransportTest : public ::testing::Test {
 protected:
  void SetUp() override { worker.start(); }
  void TearDown() override {
    call_on(worker, [&] {
      a.transport.reset();
      b.transport.reset();
      return 0;
    });
    worker.stop();
  }
  void create(IceConfig ca, IceConfig cb) {
    a.peer = &b;
    b.peer = &a;
    call_on(worker, [&] {
      auto ta = IceTransport::create(worker.poller(), worker.glib(), worker.pool(), ca, a);
      auto tb = IceTransport::create(worker.poller(), worker.glib(), worker.pool(), cb, b);
      EXPECT_TRUE(ta.has_value());
      EXPECT_TRUE(tb.has_value());
      a.transport = std::move(*ta);
      b.transport = std::move(*tb);
      EXPECT_FALSE(a.transport->set_remote_credentials(b.transport->local_credentials()));
      EXPECT_FALSE(b.transport->set_remote_credentials(a.transport->local_credentials()));
      EXPECT_FALSE(a.transport->gather());
      EXPECT_FALSE(b.transport->gather());
      return 0;
    });
  }
  static IceConfig loopback(IceRole role) {
    IceConfig config;
    config.role = role;
    config.bind_addresses = {"127.0.0.1"};
    return config;
  }
  bool fast_paths() {
    return call_on(worker,
                   [&] { return a.transport->fast_path_active() && b.transport->fast_path_active(); });
  }
  bool send(Side& from, const std::string& text) {
    return call_on(worker,
                   [&] { return from.transport->send(std::as_bytes(std::span(text.data(), text.size()))); });
  }

  Worker worker{0, {}};
  Side a;
  Side b;
};

TEST_F(IceTransportTest, ConnectsWithTrickleAndCarriesDataBothWays) {
  const auto start = std::chrono::steady_clock::now();
  create(loopback(IceRole::Controlling), loopback(IceRole::Controlled));
  ASSERT_TRUE(wait_for([&] { return a.writable() && b.writable(); }, 5s));
  const auto setup = std::chrono::steady_clock::now() - start;
  EXPECT_LT(setup, 3s);
  EXPECT_TRUE(a.gathered && b.gathered);
  // Both selected pairs are host UDP: the fast path carries the data below (ice_fast_path.hpp).
  EXPECT_TRUE(wait_for([&] { return fast_paths(); }, 2s));
  {
    std::lock_guard lock(a.mutex);
    ASSERT_FALSE(a.candidates.empty());
    EXPECT_EQ(a.candidates[0].address, "127.0.0.1");
    EXPECT_EQ(a.candidates[0].type, IceCandidateType::Host);
    EXPECT_EQ(a.candidates[0].component, 1u);
    EXPECT_FALSE(a.candidates[0].foundation.empty());
    EXPECT_GT(a.candidates[0].priority, 0u);
  }
  EXPECT_TRUE(send(a, "\x80 hello from a"));
  EXPECT_TRUE(send(b, "\x16 hello from b"));
  ASSERT_TRUE(wait_for(
      [&] {
        std::scoped_lock lock(a.mutex, b.mutex);
        return !a.received.empty() && !b.received.empty();
      },
      2s));
  std::scoped_lock lock(a.mutex, b.mutex);
  EXPECT_EQ(b.received[0], "\x80 hello from a");
  EXPECT_EQ(a.received[0], "\x16 hello from b");
  EXPECT_FALSE(call_on(worker, [&] { return a.transport->selected_remote(); }).empty());
}

TEST_F(IceTransportTest, LiteAgentIsControlledAndConnects) {
  IceConfig lite = loopback(IceRole::Controlling);  // asked to control, but lite forces controlled
  lite.lite = true;
  create(loopback(IceRole::Controlling), lite);
  ASSERT_TRUE(wait_for([&] { return a.writable() && b.writable(); }, 5s));
}

TEST_F(IceTransportTest, PublishesThePublicAddressAndHonoursThePortRange) {
  IceConfig nat = loopback(IceRole::Controlled);
  nat.public_address = "203.0.113.7";
  nat.port_min = 45000;
  nat.port_max = 45009;
  a.trickle_to_peer = false;
  b.trickle_to_peer = false;
  create(loopback(IceRole::Controlling), nat);
  ASSERT_TRUE(wait_for([&] { return b.gathered.load(); }, 2s));
  std::lock_guard lock(b.mutex);
  ASSERT_FALSE(b.candidates.empty());
  EXPECT_EQ(b.candidates[0].address, "203.0.113.7");
  EXPECT_GE(b.candidates[0].port, 45000);
  EXPECT_LE(b.candidates[0].port, 45009);
}

// The configured STUN server is asked during gathering, and its answer becomes a server-reflexive
// candidate whose related address is the host it was learned from.
TEST_F(IceTransportTest, StunServerYieldsAServerReflexiveCandidate) {
  test::UdpSocket stun;
  IceConfig config = loopback(IceRole::Controlling);
  config.servers = {IceServer{IceServer::Kind::Stun, "127.0.0.1", stun.port(), {}, {}}};
  a.trickle_to_peer = false;
  b.trickle_to_peer = false;
  create(config, loopback(IceRole::Controlled));
  const auto request = receive_stun(stun, 3s);
  ASSERT_TRUE(request.has_value()) << "no STUN request reached the configured server";
  EXPECT_EQ(request->type(), 0x0001) << "Binding request";
  ASSERT_TRUE(
      stun.send_to(request->from_port, binding_response(*request, 0xc6336409, 40000)));  // 198.51.100.9
  ASSERT_TRUE(wait_for(
      [&] {
        std::lock_guard lock(a.mutex);
        return std::any_of(a.candidates.begin(), a.candidates.end(),
                           [](const IceCandidate& c) { return c.type == IceCandidateType::ServerReflexive; });
      },
      3s));
  std::lock_guard lock(a.mutex);
  for (const IceCandidate& c : a.candidates) {
    if (c.type != IceCandidateType::ServerReflexive) continue;
    EXPECT_EQ(c.address, "198.51.100.9");
    EXPECT_EQ(c.port, 40000);
    EXPECT_EQ(c.related_address, "127.0.0.1");
    EXPECT_EQ(c.related_port, request->from_port);
  }
}

// A configured TURN server gets an Allocate request (RFC 5766 §6.1) when gathering starts.
TEST_F(IceTransportTest, TurnServerIsAskedForAnAllocation) {
  test::UdpSocket turn;
  IceConfig config = loopback(IceRole::Controlling);
  config.servers = {IceServer{IceServer::Kind::Turn, "127.0.0.1", turn.port(), "user", "secret"}};
  a.trickle_to_peer = false;
  b.trickle_to_peer = false;
  create(config, loopback(IceRole::Controlled));
  const auto request = receive_stun(turn, 3s);
  ASSERT_TRUE(request.has_value()) << "no request reached the configured TURN server";
  EXPECT_EQ(request->type(), 0x0003) << "Allocate request";
}

TEST_F(IceTransportTest, RejectsBadCandidatesAndCapsTheirNumber) {
  a.trickle_to_peer = false;
  b.trickle_to_peer = false;
  create(loopback(IceRole::Controlling), loopback(IceRole::Controlled));
  call_on(worker, [&] {
    IceCandidate bad;
    bad.address = "not-an-ip";
    bad.port = 9;
    bad.foundation = "1";
    EXPECT_TRUE(a.transport->add_remote_candidate(bad));
    IceCandidate tcp = bad;
    tcp.address = "127.0.0.1";
    tcp.transport = "tcp";
    EXPECT_TRUE(a.transport->add_remote_candidate(tcp));
    IceCandidate ok = tcp;
    ok.transport = "udp";
    for (std::size_t i = 0; i < IceTransport::kMaxRemoteCandidates; ++i) {
      ok.port = static_cast<std::uint16_t>(20000 + i);
      ok.priority = 1000 + static_cast<std::uint32_t>(i);
      EXPECT_FALSE(a.transport->add_remote_candidate(ok));
    }
    ok.port = 30000;
    EXPECT_TRUE(a.transport->add_remote_candidate(ok));
    return 0;
  });
}

TEST_F(IceTransportTest, RestartReconnectsWithNewCredentials) {
  create(loopback(IceRole::Controlling), loopback(IceRole::Controlled));
  ASSERT_TRUE(wait_for([&] { return a.writable() && b.writable(); }, 5s));
  const auto before = call_on(worker, [&] { return a.transport->local_credentials(); });
  call_on(worker, [&] {
    EXPECT_FALSE(a.transport->restart());
    EXPECT_FALSE(b.transport->restart());
    EXPECT_FALSE(a.transport->set_remote_credentials(b.transport->local_credentials()));
    EXPECT_FALSE(b.transport->set_remote_credentials(a.transport->local_credentials()));
    std::scoped_lock lock(a.mutex, b.mutex);
    for (const auto& c : a.candidates)
      EXPECT_FALSE(b.transport->add_remote_candidate(c));
    for (const auto& c : b.candidates)
      EXPECT_FALSE(a.transport->add_remote_candidate(c));
    return 0;
  });
  EXPECT_NE(call_on(worker, [&] { return a.transport->local_credentials(); }), before);
  ASSERT_TRUE(wait_for([&] { return a.writable() && b.writable(); }, 5s));
  // The socket went back to libnice for the new checks and is taken again with the new credentials.
  ASSERT_TRUE(wait_for([&] { return fast_paths(); }, 5s));
  EXPECT_TRUE(send(a, "\x80 after restart"));
  ASSERT_TRUE(wait_for(
      [&] {
        std::lock_guard lock(b.mutex);
        return !b.received.empty();
      },
      2s));
}

// RFC 7675: the far end vanishes (its transport is destroyed, so nobody answers consent checks);
// the fast path's checker gives up after consent_timeout (libnice 0.1.21's own gives up after 10 s).
TEST_F(IceTransportTest, VanishedPeerIsReportedAsConsentLost) {
  // The fast path checks consent (RFC 7675: 30 s by default; shortened to stay in the test budget).
  IceConfig config = loopback(IceRole::Controlling);
  config.consent_timeout = std::chrono::milliseconds(6000);
  create(config, loopback(IceRole::Controlled));
  ASSERT_TRUE(wait_for([&] { return a.writable() && b.writable(); }, 5s));
  const auto vanished = std::chrono::steady_clock::now();
  call_on(worker, [&] {
    b.transport.reset();
    return 0;
  });
  ASSERT_TRUE(wait_for([&] { return a.consent_lost.load(); }, 20s));
  const auto elapsed = std::chrono::steady_clock::now() - vanished;
  EXPECT_GE(elapsed, 5s);
  EXPECT_LT(elapsed, 9s);
  EXPECT_EQ(a.state.load(), IceState::Failed);
  EXPECT_FALSE(send(a, "\x80 into the void"));
}

}  // namespace
}  // namespace rtcgate::media
