#include "test_endpoint/rtp_leg.hpp"

#include "rtcgate/gateway/test_endpoint/g711.hpp"
#include "rtcgate/gateway/test_endpoint/test_endpoint.hpp"

#include <boost/asio/ip/address.hpp>

#include <cmath>
#include <numbers>
#include <random>

namespace rtcgate::gateway::test_endpoint {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;

constexpr std::size_t kHeader = 12;
constexpr std::size_t kSamplesPerPacket = 160;  // 20 ms at 8000 Hz
constexpr auto kPacketInterval = std::chrono::milliseconds(20);
// kToneHz / 8000 = 11 / 200: 200 samples hold a whole number of periods.
constexpr std::size_t kToneTable = 200;
static_assert(kToneTable * kToneHz % 8000 == 0);

const std::array<std::uint8_t, kToneTable>& tone_table() {
  static const std::array<std::uint8_t, kToneTable> table = [] {
    std::array<std::uint8_t, kToneTable> t{};
    for (std::size_t i = 0; i < kToneTable; ++i) {
      double phase = 2.0 * std::numbers::pi * kToneHz * static_cast<double>(i) / 8000.0;
      t[i] = ulaw_encode(static_cast<std::int16_t>(std::lround(kToneAmplitude * std::sin(phase))));
    }
    return t;
  }();
  return table;
}

std::uint32_t random_u32() {
  static thread_local std::mt19937 engine{std::random_device{}()};
  return static_cast<std::uint32_t>(engine());
}

void put16(std::byte* p, std::uint16_t v) {
  p[0] = static_cast<std::byte>(v >> 8);
  p[1] = static_cast<std::byte>(v & 0xFF);
}

void put32(std::byte* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<std::byte>((v >> (24 - 8 * i)) & 0xFF);
}

}  // namespace

RtpLeg::RtpLeg(asio::io_context& io, Mode mode)
    : mode_(mode),
      rtp_(io),
      rtcp_(io),
      timer_(io),
      ssrc_(random_u32()),
      sequence_(static_cast<std::uint16_t>(random_u32())),
      timestamp_(random_u32()) {}

std::expected<std::shared_ptr<RtpLeg>, std::string> RtpLeg::open(asio::io_context& io,
                                                                 const std::string& address,
                                                                 std::uint16_t port_min,
                                                                 std::uint16_t port_max, Mode mode) {
  boost::system::error_code ec;
  asio::ip::address ip = asio::ip::make_address(address, ec);
  if (ec) return std::unexpected("bad RTP address '" + address + "'");
  auto leg = std::make_shared<RtpLeg>(io, mode);
  unsigned first = port_min + (port_min % 2);
  for (unsigned port = first; port + 1 <= port_max; port += 2) {
    udp::endpoint rtp_at(ip, static_cast<std::uint16_t>(port));
    udp::endpoint rtcp_at(ip, static_cast<std::uint16_t>(port + 1));
    leg->rtp_.open(rtp_at.protocol(), ec);
    if (!ec) leg->rtp_.bind(rtp_at, ec);
    if (!ec) leg->rtcp_.open(rtcp_at.protocol(), ec);
    if (!ec) leg->rtcp_.bind(rtcp_at, ec);
    if (!ec) leg->rtp_.non_blocking(true, ec);
    if (!ec) {
      leg->port_ = static_cast<std::uint16_t>(port);
      leg->open_ = true;
      return leg;
    }
    boost::system::error_code ignored;
    leg->rtp_.close(ignored);
    leg->rtcp_.close(ignored);
  }
  return std::unexpected("no free RTP port pair in " + std::to_string(port_min) + "-" +
                         std::to_string(port_max));
}

void RtpLeg::set_route(const Route& route) {
  bool was_sending = route_.send;
  route_ = route;
  if (mode_ == Mode::Tone && route_.send && !was_sending) first_tone_ = true;  // marker after a pause
}

void RtpLeg::start() {
  receive_rtp();
  receive_rtcp();
  if (mode_ == Mode::Tone) {
    next_tone_ = std::chrono::steady_clock::now();
    schedule_tone();
  }
}

void RtpLeg::close() {
  if (!open_) return;
  open_ = false;
  boost::system::error_code ignored;
  rtp_.close(ignored);
  rtcp_.close(ignored);
  timer_.cancel();
}

void RtpLeg::receive_rtp() {
  rtp_.async_receive_from(asio::buffer(in_), source_,
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t size) {
                            if (!self->open_) return;
                            if (!ec) self->on_rtp(size);
                            // Errors on an unconnected UDP socket (an ICMP error reported late)
                            // do not end the leg; only close() does.
                            self->receive_rtp();
                          });
}

void RtpLeg::receive_rtcp() {
  rtcp_.async_receive_from(asio::buffer(rtcp_in_), rtcp_source_,
                           [self = shared_from_this()](const boost::system::error_code&, std::size_t) {
                             if (self->open_) self->receive_rtcp();
                           });
}

void RtpLeg::on_rtp(std::size_t size) {
  if (size < kHeader) return;
  auto first = static_cast<std::uint8_t>(in_[0]);
  auto second = static_cast<std::uint8_t>(in_[1]);
  if ((first >> 6) != 2) return;
  if (second >= 192 && second <= 223) return;  // RTCP multiplexed on the RTP port
  ++received_;
  latched_ = source_;
  if (mode_ != Mode::Echo || !route_.send) return;
  auto pt = static_cast<std::uint8_t>(second & 0x7F);
  std::uint8_t out_pt = pt;
  if (pt == route_.codec_in) {
    out_pt = route_.codec_out;
  } else if (route_.event_in && pt == *route_.event_in && route_.event_out) {
    out_pt = *route_.event_out;
  }
  in_[1] = static_cast<std::byte>((second & 0x80) | out_pt);
  put32(&in_[8], ssrc_);
  send(size, source_);
}

void RtpLeg::send(std::size_t size, const udp::endpoint& to) {
  boost::system::error_code ec;
  const std::byte* data = mode_ == Mode::Echo ? in_.data() : out_.data();
  rtp_.send_to(asio::buffer(data, size), to, 0, ec);
  if (!ec) ++sent_;
}

void RtpLeg::schedule_tone() {
  next_tone_ += kPacketInterval;
  auto now = std::chrono::steady_clock::now();
  // After a stall (a debugger, an overloaded machine) resume at the normal pace, not in a burst.
  if (next_tone_ + 10 * kPacketInterval < now) next_tone_ = now;
  timer_.expires_at(next_tone_);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!self->open_ || ec) return;
    self->send_tone();
    self->schedule_tone();
  });
}

void RtpLeg::send_tone() {
  const std::optional<udp::endpoint>& to = latched_ ? latched_ : route_.remote;
  if (!route_.send || !to) {
    // Time still passes for the receiver's clock (RFC 3550 §5.1): keep the timestamp moving.
    timestamp_ += kSamplesPerPacket;
    return;
  }
  out_[0] = std::byte{0x80};
  out_[1] = static_cast<std::byte>((first_tone_ ? 0x80 : 0x00) | (route_.codec_out & 0x7F));
  put16(&out_[2], sequence_);
  put32(&out_[4], timestamp_);
  put32(&out_[8], ssrc_);
  const auto& table = tone_table();
  for (std::size_t i = 0; i < kSamplesPerPacket; ++i) {
    out_[kHeader + i] = static_cast<std::byte>(table[tone_phase_]);
    tone_phase_ = (tone_phase_ + 1) % kToneTable;
  }
  first_tone_ = false;
  ++sequence_;
  timestamp_ += kSamplesPerPacket;
  send(out_.size(), *to);
}

}  // namespace rtcgate::gateway::test_endpoint
