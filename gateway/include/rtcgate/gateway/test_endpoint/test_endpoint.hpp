// TestEndpoint: the built-in legacy test endpoint ([test_endpoint], DESIGN.md "What operators
// touch"), the PBX of the default configuration. A SIP UAS over UDP with plain RTP, so a call
// through the gateway crosses a real legacy leg:
//
//   sip:echo@…   answered; every RTP packet received is sent back to its source address with the
//                endpoint's own SSRC and the caller's payload types (RFC 3264 §5.1)
//   sip:tone@…   answered; sends a kToneHz sine in PCMU, 20 ms (160-sample) packets paced by a
//                timer, to the address the caller's SDP names (or where its RTP comes from)
//   other users  404 Not Found
//
// SIP: INVITE answered 180 then 200 (after Options::answer_delay) with an SDP answer built by
// sdp::answer_offer (RTP/AVP, PCMU + telephone-event, RFC 3551/RFC 4733); the 2xx retransmitted
// until the ACK (RFC 3261 §13.3.1.4; BYE sent when none comes); CANCEL before the 200 answers 487
// (§9.2); BYE; re-INVITE updates direction and address (hold: a sendonly/inactive offer or
// c=0.0.0.0 stops our sending, RFC 3264 §8.4); OPTIONS answered 200 with Allow and Accept; INFO
// (DTMF) accepted and ignored. An INVITE without an SDP offer is refused with 488 (not supported).
// RTP: one even port and the next (RTCP, read and dropped) per call, from Options' range, bound
// on Options::address; RTCP multiplexed on the RTP port (RFC 5761) is recognised and not echoed.
//
// Everything runs on the io_context given to start(), which is also the signaling one (a test
// endpoint handles a handful of calls). Ownership: the endpoint owns its sockets, transactions
// and calls; destroy it (or stop()) before the io_context. Thread affinity: all member functions
// on the io_context's thread (or while it is not running).
#pragma once

#include "rtcgate/gateway/config.hpp"

#include <rtcgate/sip/flow.hpp>
#include <rtcgate/sip/transaction/timers.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>

namespace rtcgate::gateway::test_endpoint {

// The tone `tone` plays: A4, 440 Hz (ISO 16), at about -10 dBFS. 8000/440 = 200/11, so 200 samples
// hold exactly 11 periods and the tone repeats without a phase jump.
inline constexpr unsigned kToneHz = 440;
inline constexpr std::int16_t kToneAmplitude = 10000;

inline constexpr std::string_view kEchoUser = "echo";
inline constexpr std::string_view kToneUser = "tone";

struct Options {
  // SIP (UDP) and RTP bind address; an IP literal.
  std::string address = "127.0.0.1";
  std::uint16_t sip_port = 0;  // 0: an ephemeral port (tests)
  // RTP/RTCP port pairs come from this inclusive range (RTP on the even port, RFC 3550 §11).
  std::uint16_t rtp_port_min = 21000;
  std::uint16_t rtp_port_max = 21099;
  // Between the 180 Ringing and the 200 OK; non-zero lets a caller CANCEL.
  std::chrono::milliseconds answer_delay{0};
  sip::TransactionTimers timers;
};

// [test_endpoint] as Options; an error when its listener is not UDP.
std::expected<Options, std::string> options_from(const TestEndpointConfig& config);

struct Stats {
  std::uint64_t calls_answered = 0;
  std::uint64_t calls_rejected = 0;  // INVITEs answered 4xx: 400, 404, 486, 488, 487 (cancelled)
  std::uint64_t rtp_received = 0;    // RTP packets (not RTCP) on every call's RTP port
  std::uint64_t rtp_sent = 0;        // echoed or tone packets
};

class TestEndpoint {
 public:
  // Binds the SIP listener; the error names what failed. The endpoint starts serving as soon as
  // the io_context runs.
  static std::expected<std::unique_ptr<TestEndpoint>, std::string> start(boost::asio::io_context& io,
                                                                         const Options& options);
  ~TestEndpoint();
  TestEndpoint(const TestEndpoint&) = delete;
  TestEndpoint& operator=(const TestEndpoint&) = delete;

  // Where the SIP listener is bound (the real port when Options::sip_port was 0).
  sip::TransportAddress address() const;
  // "sip:<user>@<address>" for that user, e.g. the [pbx] uri of the default configuration.
  std::string uri(std::string_view user) const;

  // Ends every call without signaling (no BYE: the io_context may not run again), closes the SIP
  // and RTP sockets. Idempotent; the destructor calls it.
  void stop();

  // Calls answered (or being answered) and not yet ended.
  std::size_t active_calls() const;
  Stats stats() const;

  class Impl;

 private:
  explicit TestEndpoint(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rtcgate::gateway::test_endpoint
