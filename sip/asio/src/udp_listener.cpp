#include "udp_listener.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/socket_base.hpp>

#include "endpoint.hpp"
#include "transport_core.hpp"

namespace rtcgate::sip::asio {

namespace ip = boost::asio::ip;

std::shared_ptr<UdpListener> UdpListener::open(const std::shared_ptr<TransportCore>& core,
                                               const ip::udp::endpoint& endpoint,
                                               boost::system::error_code& ec) {
  ip::udp::socket socket(core->io());
  socket.open(endpoint.protocol(), ec);
  // No SO_REUSEADDR: on UDP it would let a second process bind the same port and split the
  // datagrams between the two, instead of failing at start-up.
  if (!ec) socket.bind(endpoint, ec);
  if (!ec) socket.non_blocking(true, ec);
  if (ec) return nullptr;
  return std::make_shared<UdpListener>(core, std::move(socket));
}

UdpListener::UdpListener(const std::shared_ptr<TransportCore>& core, ip::udp::socket socket)
    : core_(core), socket_(std::move(socket)) {
  boost::system::error_code ec;
  local_ = to_transport_address(socket_.local_endpoint(ec));
}

void UdpListener::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

std::error_code UdpListener::send_to(const TransportAddress& destination, const std::string& bytes) {
  const auto endpoint = to_endpoint<ip::udp::endpoint>(destination);
  if (!endpoint) return TransportError::InvalidAddress;
  boost::system::error_code ec;
  socket_.send_to(boost::asio::buffer(bytes), *endpoint, 0, ec);
  // would_block: the socket buffer is full; the datagram is lost like any other UDP loss.
  if (ec) return TransportError::SendFailed;
  return {};
}

void UdpListener::do_receive() {
  socket_.async_receive_from(boost::asio::buffer(buffer_), sender_,
                             [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                               self->on_receive(ec, n);
                             });
}

void UdpListener::on_receive(const boost::system::error_code& ec, std::size_t size) {
  if (ec == boost::asio::error::operation_aborted || !socket_.is_open()) return;
  const std::shared_ptr<TransportCore> core = core_.lock();
  if (!core) return;
  if (!ec && size > 0 && size <= core->limits().max_message_size) {
    const std::string_view data(buffer_.data(), size);
    // A datagram of only whitespace is a keep-alive some clients send over UDP; nothing to answer.
    if (data.find_first_not_of(" \t\r\n") != std::string_view::npos) {
      message_.assign(data);
      const Flow flow{TransportKind::Udp, local_, to_transport_address(sender_), 0};
      core->deliver(flow, message_);
    }
  }
  // ICMP errors (connection_refused after a send to a closed port) must not stop the listener.
  if (socket_.is_open()) do_receive();
}

}  // namespace rtcgate::sip::asio
