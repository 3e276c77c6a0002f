// STUN codec against the RFC 5769 test vectors, and IceFastPath against a fake ICE peer on 127.0.0.1:
// it answers authenticated Binding requests only (RFC 8445 §7.3, RFC 5389 §10), resolves role
// conflicts (RFC 8445 §7.3.1.1), follows a USE-CANDIDATE from a new address, delivers media from the
// selected remote only, and runs consent freshness (RFC 7675): renewed by authenticated answers,
// lost (once, and sending stops) when the peer goes quiet or answers with the wrong key.
// This binary also counts operator new: the fast path's receive, send and STUN answers allocate nothing.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include "rtcgate/media/ice/ice_fast_path.hpp"
#include "rtcgate/media/ice/stun_message.hpp"
#include "rtcgate/media/io/address.hpp"
#include "rtcgate/media/io/fd_poller.hpp"
#include "support/operator_new_counter.hpp"

namespace rtcgate::media {
namespace {

using namespace std::chrono_literals;

template <std::size_t N>
std::vector<std::byte> bytes(const std::array<unsigned, N>& in) {
  std::vector<std::byte> out;
  for (unsigned v : in)
    out.push_back(static_cast<std::byte>(v));
  return out;
}

// RFC 5769 §2.1: sample request (USERNAME "evtj:h6vY", password "VOkJxbRl1RmTxUk/WvJxBt").
const auto kRfc5769Request = bytes(std::array<unsigned, 108>{
    0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73,
    0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff,
    0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09,
    0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76, 0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14,
    0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49,
    0xc1, 0xb5, 0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf});
// RFC 5769 §2.2: sample IPv4 response (XOR-MAPPED-ADDRESS 192.0.2.1:32853).
const auto kRfc5769Response = bytes(std::array<unsigned, 80>{
    0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
    0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
    0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
    0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74, 0x89, 0xf9,
    0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7, 0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96});
constexpr const char* kRfc5769Password = "VOkJxbRl1RmTxUk/WvJxBt";

TEST(StunMessage, Rfc5769SampleRequest) {
  const auto message = StunMessage::parse(kRfc5769Request);
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->type(), stun::kBindingRequest);
  EXPECT_EQ(message->username(), "evtj:h6vY");
  EXPECT_EQ(message->priority(), 0x6e0001ffu);
  EXPECT_EQ(message->ice_controlled(), 0x932ff9b151263b36ull);
  EXPECT_FALSE(message->ice_controlling().has_value());
  EXPECT_TRUE(message->verify_integrity(StunKey(kRfc5769Password)));
  EXPECT_FALSE(message->verify_integrity(StunKey("VOkJxbRl1RmTxUk/WvJxBu")));
  EXPECT_TRUE(message->verify_fingerprint());

  auto tampered = kRfc5769Request;
  tampered[47] ^= std::byte{1};  // inside PRIORITY
  const auto bad = StunMessage::parse(tampered);
  ASSERT_TRUE(bad.has_value());
  EXPECT_FALSE(bad->verify_integrity(StunKey(kRfc5769Password)));
  EXPECT_FALSE(bad->verify_fingerprint());
}

TEST(StunMessage, Rfc5769SampleResponse) {
  const auto message = StunMessage::parse(kRfc5769Response);
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->type(), stun::kBindingSuccess);
  ASSERT_TRUE(message->xor_mapped_address().has_value());
  EXPECT_EQ(*message->xor_mapped_address(), *make_socket_address("192.0.2.1", 32853));
  EXPECT_TRUE(message->verify_integrity(StunKey(kRfc5769Password)));
  EXPECT_TRUE(message->verify_fingerprint());
}

TEST(StunMessage, WriterOutputMatchesTheRfc5769Response) {
  // The same fields in the same order as §2.2 (SOFTWARE "test vector" padded with a space there;
  // padding content is not covered by anything we check, so write it the way the vector does).
  std::array<std::byte, 256> buffer{};
  const auto id = std::span(kRfc5769Response).subspan(8, 12);
  StunWriter writer(buffer, stun::kBindingSuccess, id);
  writer.add_string(0x8022, "test vector");
  ASSERT_TRUE(writer.ok());
  buffer[35] = std::byte{0x20};
  writer.add_xor_mapped_address(*make_socket_address("192.0.2.1", 32853));
  writer.add_integrity(StunKey(kRfc5769Password));
  writer.add_fingerprint();
  ASSERT_TRUE(writer.ok());
  const auto out = writer.bytes();
  ASSERT_EQ(out.size(), kRfc5769Response.size());
  EXPECT_TRUE(std::equal(out.begin(), out.end(), kRfc5769Response.begin()));
}

TEST(StunMessage, RejectsMalformedInput) {
  EXPECT_FALSE(StunMessage::parse(std::span(kRfc5769Request).first(19)).has_value());
  auto wrong_length = kRfc5769Request;
  wrong_length[3] = std::byte{0x5c};
  EXPECT_FALSE(StunMessage::parse(wrong_length).has_value());
  auto overrun = kRfc5769Request;
  overrun[23] = std::byte{0xff};  // SOFTWARE claims more bytes than the message has
  EXPECT_FALSE(StunMessage::parse(overrun).has_value());
  auto rtp = kRfc5769Request;
  rtp[0] = std::byte{0x80};
  EXPECT_FALSE(StunMessage::parse(rtp).has_value());
  std::array<std::byte, 16> small{};
  StunWriter writer(small, stun::kBindingRequest, std::span(kRfc5769Request).subspan(8, 12));
  EXPECT_FALSE(writer.ok());
}

// ---- the fast path against a fake peer -----------------------------------------------------------

int udp_socket(SocketAddress& bound) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  auto any = make_socket_address("127.0.0.1", 0);
  EXPECT_EQ(::bind(fd, any->get(), any->length), 0);
  bound.length = sizeof(bound.storage);
  ::getsockname(fd, bound.get(), &bound.length);
  return fd;
}

const IceCredentials kLocal{"LoCa", "local-password-0123456789"};
const IceCredentials kRemote{"ReMo", "remote-password-987654321"};

class FastPathTest : public ::testing::Test, public IceFastPath::Observer {
 protected:
  void SetUp() override {
    local_fd_ = udp_socket(local_);
    peer_fd_ = udp_socket(peer_);
    other_fd_ = udp_socket(other_);
  }
  void TearDown() override {
    fast_.reset();
    ::close(local_fd_);
    ::close(peer_fd_);
    ::close(other_fd_);
  }

  // RFC 7675 default timeout: no consent check reaches the peer during a short test.
  void start(IceRole role = IceRole::Controlled, std::chrono::milliseconds consent_timeout = 30000ms) {
    IceFastPathParams params;
    params.fd = local_fd_;
    params.remote = peer_;
    params.local = kLocal;
    params.remote_credentials = kRemote;
    params.role = role;
    params.tie_breaker = 1000;
    params.priority = 0x6e7fff00;
    params.consent_timeout = consent_timeout;
    fast_ = std::make_unique<IceFastPath>(io_, poller_, pool_, counters_, params, *this);
    ASSERT_FALSE(fast_->start());
  }

  void on_fast_packet(PacketPtr packet) noexcept override {
    ++media_;
    last_size_ = packet->size();
  }
  void on_fast_consent_lost() override { ++consent_lost_; }
  void on_fast_remote_changed(const SocketAddress& remote) override { moved_to_ = remote; }

  void run(std::chrono::milliseconds d) {
    io_.restart();
    io_.run_for(d);
  }
  void send_from(int fd, std::span<const std::byte> datagram) {
    ASSERT_EQ(::sendto(fd, datagram.data(), datagram.size(), 0, local_.get(), local_.length),
              static_cast<ssize_t>(datagram.size()));
  }
  // Waits (running the loop) for one datagram on `fd`.
  std::optional<std::vector<std::byte>> receive_on(int fd, std::chrono::milliseconds limit = 300ms) {
    const auto end = std::chrono::steady_clock::now() + limit;
    std::array<std::byte, 2048> buf{};
    while (std::chrono::steady_clock::now() < end) {
      const ssize_t got = ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
      if (got >= 0) return std::vector<std::byte>(buf.begin(), buf.begin() + got);
      run(5ms);
    }
    return std::nullopt;
  }

  // A check as a browser sends it: USERNAME "ours:theirs" from our side's point of view.
  std::span<const std::byte> request(std::uint8_t id, std::string_view username, const StunKey& key,
                                     std::optional<std::uint64_t> controlling = 5000,
                                     bool use_candidate = false, bool fingerprint = true) {
    std::array<std::byte, 12> tid{};
    tid.fill(std::byte{id});
    writer_.emplace(request_buffer_, stun::kBindingRequest, tid);
    writer_->add_string(stun::kUsername, username);
    writer_->add_u32(stun::kPriority, 0x6e7f1eff);
    if (controlling) writer_->add_u64(stun::kIceControlling, *controlling);
    if (use_candidate) writer_->add_flag(stun::kUseCandidate);
    writer_->add_integrity(key);
    if (fingerprint) writer_->add_fingerprint();
    return writer_->bytes();
  }

  // The peer's answer to one of our consent checks.
  void answer(const std::vector<std::byte>& check, const StunKey& key) {
    const auto message = StunMessage::parse(check);
    ASSERT_TRUE(message.has_value());
    std::array<std::byte, 256> buffer{};
    StunWriter writer(buffer, stun::kBindingSuccess, message->transaction_id());
    writer.add_xor_mapped_address(local_);
    writer.add_integrity(key);
    writer.add_fingerprint();
    ASSERT_EQ(
        ::sendto(peer_fd_, writer.bytes().data(), writer.bytes().size(), 0, local_.get(), local_.length),
        static_cast<ssize_t>(writer.bytes().size()));
  }

  // Runs the loop for `d`, answering every consent check the peer gets with `key` (none if null).
  std::size_t serve_consent(std::chrono::milliseconds d, const StunKey* key) {
    std::size_t checks = 0;
    const auto end = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < end) {
      auto got = receive_on(peer_fd_, 20ms);
      if (!got) continue;
      const auto message = StunMessage::parse(*got);
      if (!message || message->type() != stun::kBindingRequest) continue;
      ++checks;
      EXPECT_EQ(message->username(), "ReMo:LoCa");
      EXPECT_TRUE(message->verify_integrity(remote_key_));
      EXPECT_TRUE(message->verify_fingerprint());
      EXPECT_TRUE(message->priority().has_value());
      if (key != nullptr) answer(*got, *key);
    }
    return checks;
  }

  boost::asio::io_context io_{1};
  FdPoller poller_{io_};
  PacketPool pool_{64};
  IceCounters counters_;
  std::unique_ptr<IceFastPath> fast_;
  int local_fd_ = -1, peer_fd_ = -1, other_fd_ = -1;
  SocketAddress local_, peer_, other_;
  StunKey local_key_{kLocal.pwd};
  StunKey remote_key_{kRemote.pwd};
  std::array<std::byte, 512> request_buffer_{};
  std::optional<StunWriter> writer_;
  std::size_t media_ = 0;
  std::size_t last_size_ = 0;
  int consent_lost_ = 0;
  std::optional<SocketAddress> moved_to_;
};

TEST_F(FastPathTest, AnswersAnAuthenticatedCheckWithMappedAddressIntegrityAndFingerprint) {
  start();
  send_from(peer_fd_, request(7, "LoCa:ReMo", local_key_));
  const auto got = receive_on(peer_fd_);
  ASSERT_TRUE(got.has_value());
  const auto answer = StunMessage::parse(*got);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->type(), stun::kBindingSuccess);
  EXPECT_EQ(static_cast<unsigned>(answer->transaction_id()[0]), 7u);
  ASSERT_TRUE(answer->xor_mapped_address().has_value());
  EXPECT_EQ(*answer->xor_mapped_address(), peer_);
  EXPECT_TRUE(answer->verify_integrity(local_key_));
  EXPECT_TRUE(answer->verify_fingerprint());
  EXPECT_EQ(counters_.stun.requests_answered, 1u);
}

// The error code of the answer to a request, if one came: and whether it was signed with our key.
struct ErrorAnswer {
  std::uint16_t code = 0;
  bool signed_by_us = false;
  std::vector<std::uint16_t> unknown;
};

TEST_F(FastPathTest, RefusesChecksWithWrongCredentialsAndDropsABadFingerprint) {
  start();
  const auto answer_to = [&](std::span<const std::byte> datagram) -> std::optional<ErrorAnswer> {
    send_from(peer_fd_, datagram);
    const auto got = receive_on(peer_fd_, 200ms);
    if (!got) return std::nullopt;
    const auto message = StunMessage::parse(*got);
    EXPECT_TRUE(message.has_value());
    if (!message) return std::nullopt;
    EXPECT_EQ(message->type(), stun::kBindingError);
    EXPECT_TRUE(message->verify_fingerprint());
    EXPECT_LE(got->size(), datagram.size() + 8) << "an error answer is no amplifier";
    return ErrorAnswer{message->error_code().value_or(0), message->verify_integrity(local_key_), {}};
  };
  // RFC 8489 §9.1.3: wrong USERNAME or MESSAGE-INTEGRITY is 401, unsigned.
  for (const auto& [name, key] : {std::pair{"LoCa:Other", &local_key_}, std::pair{"ReMo:LoCa", &local_key_},
                                  std::pair{"LoCa:ReMo", &remote_key_}}) {
    const auto refused = answer_to(request(1, name, *key));
    ASSERT_TRUE(refused.has_value()) << name;
    EXPECT_EQ(refused->code, stun::kUnauthorized) << name;
    EXPECT_FALSE(refused->signed_by_us);
  }
  const auto sample = answer_to(std::span(kRfc5769Request));  // someone else's credentials
  ASSERT_TRUE(sample.has_value());
  EXPECT_EQ(sample->code, stun::kUnauthorized);
  // No MESSAGE-INTEGRITY at all: 400.
  std::array<std::byte, 12> tid{};
  std::array<std::byte, 128> buffer{};
  StunWriter bare(buffer, stun::kBindingRequest, tid);
  bare.add_string(stun::kUsername, "LoCa:ReMo");
  bare.add_fingerprint();
  const auto unsigned_check = answer_to(bare.bytes());
  ASSERT_TRUE(unsigned_check.has_value());
  EXPECT_EQ(unsigned_check->code, stun::kBadRequest);
  // A corrupt FINGERPRINT: not for us, no answer (§7.3).
  auto corrupt = request(4, "LoCa:ReMo", local_key_);
  std::vector<std::byte> bad(corrupt.begin(), corrupt.end());
  bad.back() ^= std::byte{1};
  EXPECT_FALSE(answer_to(bad).has_value());
  EXPECT_EQ(counters_.stun.requests_rejected, 6u);
  EXPECT_EQ(counters_.stun.requests_answered, 0u);
  // Without FINGERPRINT the check is still valid (RFC 8445 requires it of senders; we are lenient).
  send_from(peer_fd_, request(5, "LoCa:ReMo", local_key_, 5000, false, false));
  const auto ok = receive_on(peer_fd_);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(StunMessage::parse(*ok)->type(), stun::kBindingSuccess);
}

TEST_F(FastPathTest, AnAuthenticatedCheckWithAnUnknownRequiredAttributeGets420NamingIt) {
  start();
  std::array<std::byte, 12> tid{};
  tid.fill(std::byte{9});
  std::array<std::byte, 256> buffer{};
  StunWriter writer(buffer, stun::kBindingRequest, tid);
  writer.add_string(stun::kUsername, "LoCa:ReMo");
  writer.add_u32(0x0077, 1);  // comprehension-required, unknown to us
  writer.add_u32(0xc057, 1);  // comprehension-optional (libwebrtc's network info): ignored
  writer.add_integrity(local_key_);
  writer.add_fingerprint();
  send_from(peer_fd_, writer.bytes());
  const auto got = receive_on(peer_fd_);
  ASSERT_TRUE(got.has_value());
  const auto answer = StunMessage::parse(*got);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->type(), stun::kBindingError);
  EXPECT_EQ(answer->error_code(), stun::kUnknownAttribute);
  EXPECT_TRUE(answer->verify_integrity(local_key_)) << "an authenticated request gets a signed answer";
  // UNKNOWN-ATTRIBUTES (§14.9) lists 0x0077 only.
  const std::vector<std::byte> bytes(got->begin(), got->end());
  bool listed = false;
  for (std::size_t at = stun::kHeaderSize; at + 4 <= bytes.size();) {
    const auto type = static_cast<std::uint16_t>((std::to_integer<unsigned>(bytes[at]) << 8) |
                                                 std::to_integer<unsigned>(bytes[at + 1]));
    const auto length = static_cast<std::size_t>((std::to_integer<unsigned>(bytes[at + 2]) << 8) |
                                                 std::to_integer<unsigned>(bytes[at + 3]));
    if (type == stun::kUnknownAttributes) {
      ASSERT_EQ(length, 2u);
      EXPECT_EQ(std::to_integer<unsigned>(bytes[at + 4]), 0x00u);
      EXPECT_EQ(std::to_integer<unsigned>(bytes[at + 5]), 0x77u);
      listed = true;
    }
    at += 4 + ((length + 3) & ~std::size_t{3});
  }
  EXPECT_TRUE(listed);
  EXPECT_EQ(counters_.stun.requests_answered, 0u);
}

TEST_F(FastPathTest, RoleConflictIsResolvedByTieBreaker) {
  start(IceRole::Controlling);
  // Their tie-breaker is lower: we stay controlling and answer 487 (RFC 8445 §7.3.1.1).
  send_from(peer_fd_, request(1, "LoCa:ReMo", local_key_, 10));
  auto got = receive_on(peer_fd_);
  ASSERT_TRUE(got.has_value());
  auto answer = StunMessage::parse(*got);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->type(), stun::kBindingError);
  EXPECT_EQ(answer->error_code(), stun::kRoleConflict);
  EXPECT_TRUE(answer->verify_integrity(local_key_));
  EXPECT_EQ(fast_->role(), IceRole::Controlling);
  // Higher: we switch to controlled and answer with success.
  send_from(peer_fd_, request(2, "LoCa:ReMo", local_key_, 99999));
  got = receive_on(peer_fd_);
  ASSERT_TRUE(got.has_value());
  answer = StunMessage::parse(*got);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->type(), stun::kBindingSuccess);
  EXPECT_EQ(fast_->role(), IceRole::Controlled);
}

TEST_F(FastPathTest, MediaOnlyFromTheSelectedRemoteAndSendsThere) {
  start();
  std::array<std::byte, 172> rtp{};
  rtp[0] = std::byte{0x80};
  send_from(peer_fd_, rtp);
  send_from(other_fd_, rtp);
  run(100ms);
  EXPECT_EQ(media_, 1u);
  EXPECT_EQ(last_size_, rtp.size());
  EXPECT_EQ(counters_.drops[Drop::SourceMismatch], 1u);
  ASSERT_TRUE(fast_->send(rtp));
  const auto got = receive_on(peer_fd_);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->size(), rtp.size());
}

TEST_F(FastPathTest, UseCandidateFromANewAddressMovesTheRemote) {
  start();
  // Not nominated: answered, but the remote stays.
  send_from(other_fd_, request(1, "LoCa:ReMo", local_key_));
  ASSERT_TRUE(receive_on(other_fd_).has_value());
  EXPECT_FALSE(moved_to_.has_value());
  send_from(other_fd_, request(2, "LoCa:ReMo", local_key_, 5000, true));
  ASSERT_TRUE(receive_on(other_fd_).has_value());
  ASSERT_TRUE(moved_to_.has_value());
  EXPECT_EQ(*moved_to_, other_);
  std::array<std::byte, 40> rtp{};
  rtp[0] = std::byte{0x80};
  ASSERT_TRUE(fast_->send(rtp));
  EXPECT_TRUE(receive_on(other_fd_).has_value());
  EXPECT_FALSE(receive_on(peer_fd_, 50ms).has_value());
}

TEST_F(FastPathTest, ConsentStaysWhileThePeerAnswersAndIsLostWhenItStops) {
  start(IceRole::Controlled, 1200ms);  // checks every ~200 ms
  const std::size_t checks = serve_consent(2000ms, &remote_key_);
  EXPECT_GE(checks, 6u);
  EXPECT_EQ(consent_lost_, 0);
  EXPECT_GE(counters_.stun.consent_answered, 6u);
  // The peer vanishes: consent goes within the timeout (plus one interval), once; sending stops.
  const auto quiet = std::chrono::steady_clock::now();
  while (consent_lost_ == 0 && std::chrono::steady_clock::now() - quiet < 4s)
    run(20ms);
  const auto after = std::chrono::steady_clock::now() - quiet;
  EXPECT_EQ(consent_lost_, 1);
  EXPECT_GT(after, 900ms);
  EXPECT_LT(after, 2500ms);  // 1.2 s + one interval, with room for a loaded machine
  std::array<std::byte, 40> rtp{};
  rtp[0] = std::byte{0x80};
  EXPECT_FALSE(fast_->send(rtp));
  run(500ms);
  EXPECT_EQ(consent_lost_, 1);
}

TEST_F(FastPathTest, RetransmittedChecksKeepConsentOverALossyPath) {
  // A check every 0.8-1.2 s, its first retransmission 0.5 s later (well before the next check, even
  // on a loaded machine); the test outlasts the 6 s timeout.
  start(IceRole::Controlled, 6000ms);
  // The path loses the first transmission of every check: only retransmissions are answered.
  std::vector<std::vector<std::byte>> seen;
  std::size_t repeats = 0;
  const auto end = std::chrono::steady_clock::now() + 7500ms;
  while (std::chrono::steady_clock::now() < end) {
    auto got = receive_on(peer_fd_, 20ms);
    if (!got) continue;
    const auto message = StunMessage::parse(*got);
    ASSERT_TRUE(message.has_value());
    const auto id = message->transaction_id();
    std::vector<std::byte> key(id.begin(), id.end());
    if (std::find(seen.begin(), seen.end(), key) == seen.end()) {
      seen.push_back(key);
      continue;
    }
    ++repeats;
    answer(*got, remote_key_);
  }
  EXPECT_GE(repeats, 4u);
  EXPECT_EQ(consent_lost_, 0) << "consent lost although retransmissions were answered";
  EXPECT_GE(counters_.stun.consent_answered, 4u);
}

TEST_F(FastPathTest, AnswersWithTheWrongKeyDoNotKeepConsent) {
  start(IceRole::Controlled, 1200ms);
  const StunKey wrong("not-the-remote-password");
  serve_consent(2500ms, &wrong);
  EXPECT_EQ(consent_lost_, 1);
  EXPECT_EQ(counters_.stun.consent_answered, 0u);
}

TEST_F(FastPathTest, NoHeapAllocationPerPacketOrCheck) {
  start(IceRole::Controlled, 30000ms);
  std::array<std::byte, 172> rtp{};
  rtp[0] = std::byte{0x80};
  // Warm up (first timer wait, first dispatch), then count.
  send_from(peer_fd_, rtp);
  run(20ms);
  const auto check = request(9, "LoCa:ReMo", local_key_);
  const std::vector<std::byte> check_bytes(check.begin(), check.end());
  const std::uint64_t before = rtcgate::test::operator_new_count();
  for (int i = 0; i < 500; ++i) {
    send_from(peer_fd_, rtp);
    if (i % 10 == 0) send_from(peer_fd_, check_bytes);
    ASSERT_TRUE(fast_->send(rtp));
    if (i % 50 == 0) run(2ms);
  }
  run(50ms);
  EXPECT_EQ(rtcgate::test::operator_new_count() - before, 0u) << "operator new calls on the fast path";
  EXPECT_EQ(media_, 501u);
  EXPECT_EQ(counters_.stun.requests_answered, 50u);
}

}  // namespace
}  // namespace rtcgate::media
