// The built-in legacy test endpoint against a small UAC written here: SIP text over a UDP socket
// and plain RTP over another, on 127.0.0.1, on the same io_context as the endpoint (the test
// thread pumps it while it waits for packets).
#include "rtcgate/gateway/test_endpoint/test_endpoint.hpp"
#include "rtcgate/gateway/test_endpoint/g711.hpp"

#include <rtcgate/sdp/attributes/direction.hpp>
#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sip/identifiers.hpp>
#include <rtcgate/sip/parser.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using namespace std::chrono_literals;
using rtcgate::gateway::test_endpoint::Options;
using rtcgate::gateway::test_endpoint::TestEndpoint;

constexpr std::uint32_t kOurSsrc = 0x11223344;

std::uint16_t get16(const std::vector<std::uint8_t>& p, std::size_t at) {
  return static_cast<std::uint16_t>(p[at] << 8 | p[at + 1]);
}
std::uint32_t get32(const std::vector<std::uint8_t>& p, std::size_t at) {
  return static_cast<std::uint32_t>(p[at]) << 24 | static_cast<std::uint32_t>(p[at + 1]) << 16 |
         static_cast<std::uint32_t>(p[at + 2]) << 8 | p[at + 3];
}

std::vector<std::uint8_t> rtp_packet(std::uint8_t pt, std::uint16_t seq, std::uint32_t ts,
                                     std::size_t payload, bool marker = false) {
  std::vector<std::uint8_t> p(12 + payload);
  p[0] = 0x80;
  p[1] = static_cast<std::uint8_t>((marker ? 0x80 : 0) | pt);
  p[2] = static_cast<std::uint8_t>(seq >> 8);
  p[3] = static_cast<std::uint8_t>(seq);
  for (int i = 0; i < 4; ++i) {
    p[4 + i] = static_cast<std::uint8_t>(ts >> (24 - 8 * i));
    p[8 + i] = static_cast<std::uint8_t>(kOurSsrc >> (24 - 8 * i));
  }
  for (std::size_t i = 0; i < payload; ++i)
    p[12 + i] = static_cast<std::uint8_t>(seq + i);
  return p;
}

std::string offer_sdp(std::uint16_t rtp_port, std::string_view formats, std::string_view extra,
                      std::string_view address = "127.0.0.1") {
  std::string sdp = "v=0\r\no=- 4711 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 " + std::string(address) +
                    "\r\nt=0 0\r\nm=audio " + std::to_string(rtp_port) + " RTP/AVP " + std::string(formats) +
                    "\r\n";
  return sdp + std::string(extra);
}

const std::string kPcmuAttrs =
    "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n";

// One caller: its SIP and RTP sockets and the state of one dialog.
class Uac {
 public:
  Uac(asio::io_context& io, TestEndpoint& endpoint) : io_(io), endpoint_(endpoint), sip_(io), rtp_(io) {
    sip_.open(udp::v4());
    sip_.bind(udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    sip_.non_blocking(true);
    rtp_.open(udp::v4());
    rtp_.bind(udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    rtp_.non_blocking(true);
    call_id_ = rtcgate::sip::make_call_id("uac.test");
    from_tag_ = rtcgate::sip::make_tag();
  }

  std::uint16_t sip_port() const { return sip_.local_endpoint().port(); }
  std::uint16_t rtp_port() const { return rtp_.local_endpoint().port(); }
  udp::endpoint endpoint_sip() const {
    return udp::endpoint(asio::ip::make_address(endpoint_.address().ip), endpoint_.address().port);
  }

  // A request of this caller's dialog (or outside it before a To tag is known).
  std::string request(std::string_view method, std::string_view user, std::uint32_t cseq,
                      std::string_view body = {}, std::string branch = {},
                      std::string_view cseq_method = {}) {
    if (branch.empty()) branch = rtcgate::sip::make_branch();
    last_branch_ = branch;
    std::string target = "sip:" + std::string(user) + "@" + endpoint_.address().to_string();
    std::string m = std::string(method) + " " + target + " SIP/2.0\r\n";
    m += "Via: SIP/2.0/UDP 127.0.0.1:" + std::to_string(sip_port()) + ";branch=" + branch + ";rport\r\n";
    m += "Max-Forwards: 70\r\n";
    m += "From: <sip:alice@127.0.0.1>;tag=" + from_tag_ + "\r\n";
    m += "To: <" + target + ">" + (to_tag_.empty() ? "" : ";tag=" + to_tag_) + "\r\n";
    m += "Call-ID: " + call_id_ + "\r\n";
    m += "CSeq: " + std::to_string(cseq) + " " + std::string(cseq_method.empty() ? method : cseq_method) +
         "\r\n";
    m += "Contact: <sip:alice@127.0.0.1:" + std::to_string(sip_port()) + ">\r\n";
    if (!body.empty()) m += "Content-Type: application/sdp\r\n";
    m += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    m += body;
    return m;
  }

  void send_sip(const std::string& text) { sip_.send_to(asio::buffer(text), endpoint_sip()); }

  void send_rtp(const std::vector<std::uint8_t>& packet, std::uint16_t port) {
    rtp_.send_to(asio::buffer(packet), udp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  // Runs the io_context until `done` holds or `timeout` passes.
  bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_for(2ms);
      drain();
      if (done()) return true;
    }
    return done();
  }
  void pump_for(std::chrono::milliseconds time) {
    pump_until([] { return false; }, time);
  }

  // The next SIP message that matches `want` (earlier ones that do not are dropped).
  std::optional<rtcgate::sip::Message> wait_sip(const std::function<bool(const rtcgate::sip::Message&)>& want,
                                                std::chrono::milliseconds timeout = 3000ms) {
    std::optional<rtcgate::sip::Message> found;
    pump_until(
        [&] {
          while (!sip_in_.empty()) {
            rtcgate::sip::Message m = std::move(sip_in_.front());
            sip_in_.erase(sip_in_.begin());
            if (want(m)) {
              found = std::move(m);
              return true;
            }
          }
          return false;
        },
        timeout);
    return found;
  }
  std::optional<rtcgate::sip::Message> wait_response(int status, std::string_view method = "INVITE",
                                                     std::chrono::milliseconds timeout = 3000ms) {
    return wait_sip(
        [&](const rtcgate::sip::Message& m) {
          return m.is_response() && m.status() == status && m.cseq() && m.cseq()->method_token == method;
        },
        timeout);
  }

  // INVITE `user` with `sdp`, expect 180 and 200, remember the To tag and the answer, send the ACK.
  std::optional<rtcgate::sdp::SessionDescription> call(std::string_view user, const std::string& sdp) {
    send_sip(request("INVITE", user, 1, sdp));
    auto ringing = wait_response(180);
    EXPECT_TRUE(ringing);
    auto ok = wait_response(200);
    EXPECT_TRUE(ok);
    if (!ok) return std::nullopt;
    to_tag_ = std::string(ok->to()->tag());
    EXPECT_EQ(ok->content_type().value_or(""), "application/sdp");
    auto answer = rtcgate::sdp::parse(ok->body());
    EXPECT_TRUE(answer) << ok->body();
    send_sip(request("ACK", user, 1));
    if (!answer) return std::nullopt;
    return *answer;
  }

  std::vector<std::vector<std::uint8_t>>& rtp_in() { return rtp_in_; }
  std::vector<rtcgate::sip::Message>& sip_in() { return sip_in_; }
  const std::string& to_tag() const { return to_tag_; }
  const std::string& last_branch() const { return last_branch_; }

 private:
  void drain() {
    std::array<std::uint8_t, 65536> buffer{};
    udp::endpoint from;
    boost::system::error_code ec;
    for (;;) {
      std::size_t n = sip_.receive_from(asio::buffer(buffer), from, 0, ec);
      if (ec) break;
      auto parsed =
          rtcgate::sip::parse_message(std::string_view(reinterpret_cast<const char*>(buffer.data()), n));
      if (parsed) sip_in_.push_back(std::move(*parsed));
    }
    for (;;) {
      std::size_t n = rtp_.receive_from(asio::buffer(buffer), from, 0, ec);
      if (ec) break;
      rtp_in_.emplace_back(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }

  asio::io_context& io_;
  TestEndpoint& endpoint_;
  udp::socket sip_;
  udp::socket rtp_;
  std::string call_id_;
  std::string from_tag_;
  std::string to_tag_;
  std::string last_branch_;
  std::vector<rtcgate::sip::Message> sip_in_;
  std::vector<std::vector<std::uint8_t>> rtp_in_;
};

Options test_options() {
  Options options;
  options.address = "127.0.0.1";
  options.sip_port = 0;
  options.rtp_port_min = 42000;
  options.rtp_port_max = 42999;
  options.timers.t1 = 50ms;
  options.timers.t2 = 400ms;
  return options;
}

std::unique_ptr<TestEndpoint> start(asio::io_context& io, const Options& options = test_options()) {
  auto endpoint = TestEndpoint::start(io, options);
  EXPECT_TRUE(endpoint) << (endpoint ? "" : endpoint.error());
  return endpoint ? std::move(*endpoint) : nullptr;
}

const rtcgate::sdp::MediaDescription& audio(const rtcgate::sdp::SessionDescription& d) {
  return d.media.at(0);
}

bool has_attribute(const rtcgate::sdp::MediaDescription& m, std::string_view name) {
  return m.attributes.has(name);
}

TEST(TestEndpointG711, KnownCodesAndRoundTrip) {
  using rtcgate::gateway::test_endpoint::ulaw_decode;
  using rtcgate::gateway::test_endpoint::ulaw_encode;
  EXPECT_EQ(ulaw_encode(0), 0xFF);
  EXPECT_EQ(ulaw_decode(0xFF), 0);
  EXPECT_EQ(ulaw_decode(0x7F), 0);
  EXPECT_EQ(ulaw_decode(0x00), -32124);
  EXPECT_EQ(ulaw_decode(0x80), 32124);
  EXPECT_EQ(ulaw_encode(32767), 0x80);
  EXPECT_EQ(ulaw_encode(-32768), 0x00);
  for (int v = -32000; v <= 32000; v += 97) {
    int back = ulaw_decode(ulaw_encode(static_cast<std::int16_t>(v)));
    // mu-law keeps about 1/16 of a segment: the error grows with the magnitude.
    EXPECT_LE(std::abs(back - v), std::abs(v) / 16 + 8) << v;
  }
}

TEST(TestEndpoint, OptionsAndUnknownUsers) {
  asio::io_context io;
  auto endpoint = start(io);
  ASSERT_TRUE(endpoint);
  Uac uac(io, *endpoint);
  EXPECT_EQ(endpoint->uri("echo"), "sip:echo@" + endpoint->address().to_string());

  uac.send_sip(uac.request("OPTIONS", "echo", 1));
  auto ok = uac.wait_response(200, "OPTIONS");
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->allows("INVITE"));
  EXPECT_TRUE(ok->allows("BYE"));
  EXPECT_TRUE(ok->allows("CANCEL"));

  uac.send_sip(uac.request("INVITE", "bob", 1, offer_sdp(uac.rtp_port(), "0", kPcmuAttrs)));
  auto not_found = uac.wait_response(404);
  ASSERT_TRUE(not_found);
  EXPECT_FALSE(not_found->to()->tag().empty());
  uac.send_sip(uac.request("ACK", "bob", 1, {}, uac.last_branch()));

  uac.send_sip(uac.request("OPTIONS", "bob", 2));
  EXPECT_TRUE(uac.wait_response(404, "OPTIONS"));

  // A BYE for no dialog.
  uac.send_sip(uac.request("BYE", "echo", 3));
  EXPECT_TRUE(uac.wait_response(481, "BYE"));

  // Not SIP at all is dropped; a request the parser refuses gets a 400 naming the problem.
  uac.send_sip("hello\r\n\r\n");
  std::string bad = uac.request("OPTIONS", "echo", 4);
  bad.replace(bad.find("CSeq: 4 OPTIONS"), 15, "CSeq: 4 REGISTER");
  uac.send_sip(bad);
  auto rejected =
      uac.wait_sip([](const rtcgate::sip::Message& m) { return m.is_response() && m.status() == 400; });
  EXPECT_TRUE(rejected);

  EXPECT_EQ(endpoint->active_calls(), 0u);
  EXPECT_EQ(endpoint->stats().calls_rejected, 1u);
}

TEST(TestEndpoint, EchoReturnsEveryPacketWithItsOwnSsrc) {
  asio::io_context io;
  auto endpoint = start(io);
  ASSERT_TRUE(endpoint);
  Uac uac(io, *endpoint);
  auto answer = uac.call("echo", offer_sdp(uac.rtp_port(), "0 101", kPcmuAttrs));
  ASSERT_TRUE(answer);
  const auto& m = audio(*answer);
  EXPECT_EQ(m.proto, "RTP/AVP");
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "101"}));
  EXPECT_GE(m.port, 42000);
  EXPECT_LE(m.port, 42999);
  EXPECT_EQ(m.port % 2, 0);
  EXPECT_EQ(endpoint->active_calls(), 1u);

  constexpr int kPackets = 50;
  for (int i = 0; i < kPackets; ++i) {
    uac.send_rtp(rtp_packet(0, static_cast<std::uint16_t>(1000 + i), 160u * static_cast<std::uint32_t>(i),
                            160, i == 0),
                 m.port);
    if (i % 10 == 0) uac.pump_for(5ms);
  }
  // A DTMF event and a multiplexed RTCP receiver report: the event comes back, the report does not.
  uac.send_rtp(rtp_packet(101, 2000, 9000, 4), m.port);
  std::vector<std::uint8_t> rtcp = {0x80, 201, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44};
  uac.send_rtp(rtcp, m.port);
  ASSERT_TRUE(uac.pump_until([&] { return uac.rtp_in().size() >= kPackets + 1; }, 3000ms))
      << uac.rtp_in().size() << " packets came back";
  uac.pump_for(100ms);
  ASSERT_EQ(uac.rtp_in().size(), static_cast<std::size_t>(kPackets + 1));

  std::uint32_t ssrc = get32(uac.rtp_in()[0], 8);
  EXPECT_NE(ssrc, kOurSsrc);
  for (int i = 0; i < kPackets; ++i) {
    const auto& p = uac.rtp_in()[static_cast<std::size_t>(i)];
    auto sent = rtp_packet(0, static_cast<std::uint16_t>(1000 + i), 160u * static_cast<std::uint32_t>(i), 160,
                           i == 0);
    ASSERT_EQ(p.size(), sent.size());
    EXPECT_EQ(get32(p, 8), ssrc);
    EXPECT_EQ(p[1], sent[1]) << "payload type and marker";
    EXPECT_EQ(get16(p, 2), get16(sent, 2));
    EXPECT_EQ(get32(p, 4), get32(sent, 4));
    EXPECT_TRUE(std::equal(p.begin() + 12, p.end(), sent.begin() + 12)) << "payload of packet " << i;
  }
  EXPECT_EQ(uac.rtp_in().back()[1], 101);
  EXPECT_EQ(endpoint->stats().rtp_received, static_cast<std::uint64_t>(kPackets + 1));
  EXPECT_EQ(endpoint->stats().rtp_sent, static_cast<std::uint64_t>(kPackets + 1));

  uac.send_sip(uac.request("BYE", "echo", 2));
  ASSERT_TRUE(uac.wait_response(200, "BYE"));
  EXPECT_EQ(endpoint->active_calls(), 0u);
  // The port is closed with the call: nothing comes back any more.
  uac.rtp_in().clear();
  uac.send_rtp(rtp_packet(0, 3000, 0, 160), m.port);
  uac.pump_for(200ms);
  EXPECT_TRUE(uac.rtp_in().empty());
  EXPECT_EQ(endpoint->stats().calls_answered, 1u);
}

// Tone packets as the caller sees them: PCMU, 20 ms, consecutive, and a 440 Hz sine.
void check_tone(const std::vector<std::vector<std::uint8_t>>& packets, std::size_t from) {
  ASSERT_GT(packets.size(), from + 10);
  std::vector<int> samples;
  for (std::size_t i = from; i < packets.size(); ++i) {
    const auto& p = packets[i];
    ASSERT_EQ(p.size(), 12u + 160u);
    EXPECT_EQ(p[0], 0x80);
    EXPECT_EQ(p[1] & 0x7F, 0);
    if (i > from) {
      EXPECT_EQ(static_cast<std::uint16_t>(get16(p, 2) - get16(packets[i - 1], 2)), 1) << i;
      EXPECT_EQ(get32(p, 4) - get32(packets[i - 1], 4), 160u) << i;
      EXPECT_EQ(get32(p, 8), get32(packets[i - 1], 8));
    }
    for (std::size_t s = 12; s < p.size(); ++s)
      samples.push_back(rtcgate::gateway::test_endpoint::ulaw_decode(p[s]));
  }
  // Frequency from rising zero crossings, and the level.
  int crossings = 0;
  int peak = 0;
  for (std::size_t i = 1; i < samples.size(); ++i) {
    if (samples[i - 1] < 0 && samples[i] >= 0) ++crossings;
    peak = std::max(peak, std::abs(samples[i]));
  }
  double seconds = static_cast<double>(samples.size()) / 8000.0;
  double hz = crossings / seconds;
  EXPECT_NEAR(hz, rtcgate::gateway::test_endpoint::kToneHz, 5.0);
  EXPECT_NEAR(peak, rtcgate::gateway::test_endpoint::kToneAmplitude, 500);
}

TEST(TestEndpoint, ToneIs440HzPcmuEvery20msAndStopsOnHold) {
  asio::io_context io;
  auto endpoint = start(io);
  ASSERT_TRUE(endpoint);
  Uac uac(io, *endpoint);
  auto answer = uac.call("tone", offer_sdp(uac.rtp_port(), "0 101", kPcmuAttrs));
  ASSERT_TRUE(answer);
  EXPECT_TRUE(has_attribute(audio(*answer), "sendrecv") || !has_attribute(audio(*answer), "recvonly"));

  auto start_time = std::chrono::steady_clock::now();
  uac.pump_for(1000ms);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
  std::size_t count = uac.rtp_in().size();
  // Paced by a timer: about 50 a second, never a burst (loaded CI machines lose a few).
  EXPECT_GE(count, static_cast<std::size_t>(elapsed * 50 * 0.7)) << count << " in " << elapsed << " s";
  EXPECT_LE(count, static_cast<std::size_t>(elapsed * 50 + 12)) << count << " in " << elapsed << " s";
  EXPECT_NE(uac.rtp_in().front()[1] & 0x80, 0) << "marker on the first packet";
  check_tone(uac.rtp_in(), 0);

  // Hold (RFC 3264 §8.4): we offer sendonly, the endpoint answers recvonly and stops sending.
  uac.send_sip(
      uac.request("INVITE", "tone", 2, offer_sdp(uac.rtp_port(), "0 101", kPcmuAttrs + "a=sendonly\r\n")));
  auto held = uac.wait_response(200);
  ASSERT_TRUE(held);
  auto held_sdp = rtcgate::sdp::parse(held->body());
  ASSERT_TRUE(held_sdp);
  EXPECT_TRUE(has_attribute(audio(*held_sdp), "recvonly")) << held->body();
  EXPECT_EQ(audio(*held_sdp).port, audio(*answer).port);
  uac.send_sip(uac.request("ACK", "tone", 2));
  uac.pump_for(60ms);
  uac.rtp_in().clear();
  uac.pump_for(400ms);
  EXPECT_TRUE(uac.rtp_in().empty()) << uac.rtp_in().size() << " packets while on hold";

  // Resume: the tone comes back, marked, continuing the same stream.
  uac.send_sip(
      uac.request("INVITE", "tone", 3, offer_sdp(uac.rtp_port(), "0 101", kPcmuAttrs + "a=sendrecv\r\n")));
  ASSERT_TRUE(uac.wait_response(200));
  uac.send_sip(uac.request("ACK", "tone", 3));
  ASSERT_TRUE(uac.pump_until([&] { return uac.rtp_in().size() >= 20; }, 3000ms));
  EXPECT_NE(uac.rtp_in().front()[1] & 0x80, 0);
  check_tone(uac.rtp_in(), 0);

  uac.send_sip(uac.request("BYE", "tone", 4));
  ASSERT_TRUE(uac.wait_response(200, "BYE"));
  EXPECT_EQ(endpoint->active_calls(), 0u);
}

TEST(TestEndpoint, CancelBeforeTheAnswer) {
  asio::io_context io;
  Options options = test_options();
  options.answer_delay = 10s;
  auto endpoint = start(io, options);
  ASSERT_TRUE(endpoint);
  Uac uac(io, *endpoint);
  uac.send_sip(uac.request("INVITE", "echo", 1, offer_sdp(uac.rtp_port(), "0 101", kPcmuAttrs)));
  auto ringing = uac.wait_response(180);
  ASSERT_TRUE(ringing);
  EXPECT_EQ(endpoint->active_calls(), 1u);
  std::string branch = uac.last_branch();
  uac.send_sip(uac.request("CANCEL", "echo", 1, {}, branch));
  auto cancelled = uac.wait_response(200, "CANCEL");
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->to()->tag(), ringing->to()->tag());
  auto terminated = uac.wait_response(487);
  ASSERT_TRUE(terminated);
  uac.send_sip(uac.request("ACK", "echo", 1, {}, branch));
  EXPECT_EQ(endpoint->active_calls(), 0u);
  // A CANCEL for nothing.
  uac.send_sip(uac.request("CANCEL", "echo", 9, {}, rtcgate::sip::make_branch()));
  EXPECT_TRUE(uac.wait_response(481, "CANCEL"));
  EXPECT_EQ(endpoint->stats().calls_answered, 0u);
}

TEST(TestEndpoint, RefusesOffersItCannotAnswer) {
  asio::io_context io;
  auto endpoint = start(io);
  ASSERT_TRUE(endpoint);
  {
    Uac uac(io, *endpoint);
    uac.send_sip(
        uac.request("INVITE", "echo", 1, offer_sdp(uac.rtp_port(), "8", "a=rtpmap:8 PCMA/8000\r\n")));
    auto refused = uac.wait_response(488);
    ASSERT_TRUE(refused);
    EXPECT_TRUE(refused->has("Warning"));
  }
  {
    Uac uac(io, *endpoint);
    uac.send_sip(uac.request("INVITE", "echo", 1));
    EXPECT_TRUE(uac.wait_response(488));
  }
  {
    Uac uac(io, *endpoint);
    uac.send_sip(uac.request("INVITE", "tone", 1, "v=0\r\nthis is not sdp\r\n"));
    EXPECT_TRUE(uac.wait_response(488));
  }
  EXPECT_EQ(endpoint->active_calls(), 0u);
  EXPECT_EQ(endpoint->stats().calls_rejected, 3u);
}

TEST(TestEndpoint, RetransmitsTheAnswerUntilAckThenHangsUp) {
  asio::io_context io;
  auto endpoint = start(io);  // T1 = 50 ms: 64*T1 = 3.2 s
  ASSERT_TRUE(endpoint);
  Uac uac(io, *endpoint);
  uac.send_sip(uac.request("INVITE", "echo", 1, offer_sdp(uac.rtp_port(), "0 101", kPcmuAttrs)));
  ASSERT_TRUE(uac.wait_response(200));
  ASSERT_TRUE(uac.wait_response(200)) << "the 2xx is retransmitted while no ACK comes";
  auto bye = uac.wait_sip(
      [](const rtcgate::sip::Message& m) { return m.is_request() && m.method_token() == "BYE"; }, 6000ms);
  ASSERT_TRUE(bye) << "a BYE after 64*T1 without ACK";
  EXPECT_EQ(endpoint->active_calls(), 0u);
}

TEST(TestEndpoint, AckStopsRetransmissionsAndStopEndsCalls) {
  asio::io_context io;
  auto endpoint = start(io);
  ASSERT_TRUE(endpoint);
  Uac uac(io, *endpoint);
  ASSERT_TRUE(uac.call("echo", offer_sdp(uac.rtp_port(), "0 101", kPcmuAttrs)));
  uac.sip_in().clear();
  uac.pump_for(500ms);  // T1 = 50 ms: several retransmissions would have come by now
  EXPECT_TRUE(uac.sip_in().empty()) << uac.sip_in().size() << " messages after the ACK";
  EXPECT_EQ(endpoint->active_calls(), 1u);
  endpoint->stop();
  EXPECT_EQ(endpoint->active_calls(), 0u);
  endpoint->stop();
  uac.pump_for(50ms);
}

TEST(TestEndpoint, OptionsFromConfiguration) {
  rtcgate::gateway::TestEndpointConfig config;
  config.listen.transport = rtcgate::gateway::SipTransport::Udp;
  config.listen.address = {"127.0.0.1", 5070};
  config.port_min = 21000;
  config.port_max = 21099;
  auto options = rtcgate::gateway::test_endpoint::options_from(config);
  ASSERT_TRUE(options);
  EXPECT_EQ(options->address, "127.0.0.1");
  EXPECT_EQ(options->sip_port, 5070);
  EXPECT_EQ(options->rtp_port_min, 21000);
  EXPECT_EQ(options->rtp_port_max, 21099);
  config.listen.transport = rtcgate::gateway::SipTransport::Tcp;
  EXPECT_FALSE(rtcgate::gateway::test_endpoint::options_from(config));
}

}  // namespace
