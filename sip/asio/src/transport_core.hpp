// TransportCore: the state shared by every listener and connection of one TransportManager —
// the connection table (by id, and by remote address for reuse, RFC 3261 §18.1.1), the event
// callbacks, the TLS contexts and the limits. Internal to rtcgate_sip_asio.
//
// Ownership: shared_ptr-owned by the TransportManager; listeners and connections keep a weak_ptr,
// so completions arriving after the manager is gone do nothing. Thread: the signaling io_context.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "connection.hpp"
#include "rtcgate/sip/asio/transport_config.hpp"
#include "rtcgate/sip/transport.hpp"

namespace rtcgate::sip::asio {

class UdpListener;
class StreamListener;
class WsListener;

class TransportCore : public std::enable_shared_from_this<TransportCore> {
 public:
  TransportCore(boost::asio::io_context& io, TransportLimits limits) : io_(io), limits_(limits) {}

  boost::asio::io_context& io() { return io_; }
  const TransportLimits& limits() const { return limits_; }

  // Connection table.
  ConnectionId next_connection_id() { return next_id_++; }
  bool at_connection_limit() const { return connections_.size() >= limits_.max_connections; }
  void add(const std::shared_ptr<Connection>& connection);
  std::shared_ptr<Connection> find(ConnectionId id) const;
  std::shared_ptr<Connection> find_by_remote(TransportKind kind, const TransportAddress& remote) const;
  std::size_t connection_count() const { return connections_.size(); }

  // Events raised by listeners and connections.
  void opened(Connection& connection);
  void closed(Connection& connection, std::error_code reason);
  // Stamps the top Via of a request (RFC 3261 §18.2.1) and hands the message up.
  void deliver(const Flow& flow, std::string& bytes);

  // Outgoing TCP/TLS connection to `destination` (created on first use).
  std::shared_ptr<Connection> connect(TransportKind kind, const TransportAddress& destination);

  // Closes every listener and connection without reporting events (destruction).
  void shutdown();

  TransportEvents events;
  std::vector<ListenerInfo> listener_infos;
  std::vector<std::shared_ptr<UdpListener>> udp_listeners;
  std::vector<std::shared_ptr<StreamListener>> stream_listeners;
  std::vector<std::shared_ptr<WsListener>> ws_listeners;
  std::shared_ptr<boost::asio::ssl::context> tls_server;
  std::shared_ptr<boost::asio::ssl::context> tls_client;

 private:
  boost::asio::io_context& io_;
  TransportLimits limits_;
  ConnectionId next_id_ = 1;
  std::unordered_map<ConnectionId, std::shared_ptr<Connection>> connections_;
  std::map<std::pair<TransportKind, TransportAddress>, ConnectionId> by_remote_;
  bool shutting_down_ = false;
};

}  // namespace rtcgate::sip::asio
