// RtpLeg: the plain RTP side of one test endpoint call: an RTP socket on an even port and an RTCP
// socket on the next (read and dropped), echoing or playing the tone.
//
// Echo: each RTP packet is sent back to its source with our SSRC and the payload type mapped from
// ours to the caller's (RFC 3264 §5.1: each side sends with the types the other's description
// lists). Tone: a 20 ms PCMU packet every 20 ms from a steady timer with absolute deadlines, to the
// latched source of the caller's RTP when there is one (symmetric RTP, RFC 4961), else to the SDP
// address. RTCP arriving on the RTP port (rtcp-mux, RFC 5761 §4: second byte 192–223) is dropped.
//
// No allocation per packet: one receive buffer and one send buffer per leg, synchronous sends on
// a non-blocking socket (a full socket buffer drops the packet, as the network would).
// Ownership: shared; pending handlers hold a reference, so close() may be followed by the last
// release at any time. Thread affinity: the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>

namespace rtcgate::gateway::test_endpoint {

class RtpLeg : public std::enable_shared_from_this<RtpLeg> {
 public:
  enum class Mode { Echo, Tone };

  // What negotiation decided; applied again after every re-INVITE.
  struct Route {
    std::optional<boost::asio::ip::udp::endpoint> remote;  // from the caller's SDP
    std::uint8_t codec_in = 0;             // the PCMU payload type of our description (the caller sends it)
    std::uint8_t codec_out = 0;            // the PCMU payload type of the caller's description
    std::optional<std::uint8_t> event_in;  // telephone-event, when both sides have it
    std::optional<std::uint8_t> event_out;
    bool send = true;  // our direction allows sending (not on hold)
  };

  // Binds the first free even/odd port pair of [port_min, port_max] on `address`.
  static std::expected<std::shared_ptr<RtpLeg>, std::string> open(boost::asio::io_context& io,
                                                                  const std::string& address,
                                                                  std::uint16_t port_min,
                                                                  std::uint16_t port_max, Mode mode);
  RtpLeg(boost::asio::io_context& io, Mode mode);

  std::uint16_t port() const { return port_; }
  Mode mode() const { return mode_; }
  void set_route(const Route& route);
  // Starts receiving (and the tone timer).
  void start();
  void close();

  std::uint64_t received() const { return received_; }
  std::uint64_t sent() const { return sent_; }

 private:
  void receive_rtp();
  void receive_rtcp();
  void on_rtp(std::size_t size);
  void schedule_tone();
  void send_tone();
  void send(std::size_t size, const boost::asio::ip::udp::endpoint& to);

  Mode mode_;
  boost::asio::ip::udp::socket rtp_;
  boost::asio::ip::udp::socket rtcp_;
  boost::asio::steady_timer timer_;
  std::uint16_t port_ = 0;
  Route route_;
  bool open_ = false;
  std::optional<boost::asio::ip::udp::endpoint> latched_;
  boost::asio::ip::udp::endpoint source_;
  boost::asio::ip::udp::endpoint rtcp_source_;
  std::array<std::byte, 1500> in_{};
  std::array<std::byte, 1500> rtcp_in_{};
  std::array<std::byte, 12 + 160> out_{};
  std::uint32_t ssrc_ = 0;
  std::uint16_t sequence_ = 0;
  std::uint32_t timestamp_ = 0;
  std::size_t tone_phase_ = 0;
  bool first_tone_ = true;
  std::chrono::steady_clock::time_point next_tone_;
  std::uint64_t received_ = 0;
  std::uint64_t sent_ = 0;
};

}  // namespace rtcgate::gateway::test_endpoint
