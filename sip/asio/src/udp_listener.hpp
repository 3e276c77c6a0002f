// UdpListener: one bound UDP socket; each datagram is one SIP message (RFC 3261 §18.1.1, §18.2.1).
// Sends are synchronous on the non-blocking socket (a SIP datagram either fits the socket buffer
// or is dropped, which UDP allows and the transaction layer retransmits). Internal.
// Ownership: shared_ptr-owned by the TransportCore and by its pending receive. Thread: signaling.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <system_error>

#include <boost/asio/ip/udp.hpp>

#include "rtcgate/sip/transport.hpp"

namespace rtcgate::sip::asio {

class TransportCore;

class UdpListener : public std::enable_shared_from_this<UdpListener> {
 public:
  // Binds; returns the error of bind() (address in use, not local).
  static std::shared_ptr<UdpListener> open(const std::shared_ptr<TransportCore>& core,
                                           const boost::asio::ip::udp::endpoint& endpoint,
                                           boost::system::error_code& ec);

  explicit UdpListener(const std::shared_ptr<TransportCore>& core, boost::asio::ip::udp::socket socket);

  void start() { do_receive(); }
  void close();
  const TransportAddress& local() const { return local_; }
  std::error_code send_to(const TransportAddress& destination, const std::string& bytes);

 private:
  void do_receive();
  void on_receive(const boost::system::error_code& ec, std::size_t size);

  std::weak_ptr<TransportCore> core_;
  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::udp::endpoint sender_;
  TransportAddress local_;
  // 64 KiB: the largest UDP payload; larger datagrams arrive truncated and are dropped.
  std::array<char, 65536> buffer_{};
  std::string message_;
};

}  // namespace rtcgate::sip::asio
