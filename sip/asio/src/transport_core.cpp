#include "transport_core.hpp"

#include "rtcgate/sip/asio/via_stamp.hpp"
#include "stream_connection.hpp"
#include "udp_listener.hpp"
#include "ws_listener.hpp"

namespace rtcgate::sip::asio {

void TransportCore::add(const std::shared_ptr<Connection>& connection) {
  const Flow& flow = connection->flow();
  connections_[flow.connection] = connection;
  // The newest connection to an address wins for reuse (RFC 3261 §18.1.1 does not say which).
  by_remote_[{flow.kind, flow.remote}] = flow.connection;
}

std::shared_ptr<Connection> TransportCore::find(ConnectionId id) const {
  const auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : it->second;
}

std::shared_ptr<Connection> TransportCore::find_by_remote(TransportKind kind,
                                                          const TransportAddress& remote) const {
  const auto it = by_remote_.find({kind, remote});
  return it == by_remote_.end() ? nullptr : find(it->second);
}

void TransportCore::opened(Connection& connection) {
  if (shutting_down_) return;
  if (events.on_flow_opened) events.on_flow_opened(connection.flow());
}

void TransportCore::closed(Connection& connection, std::error_code reason) {
  const Flow flow = connection.flow();
  // Keep the object alive until this function returns: the table may hold the last reference.
  const std::shared_ptr<Connection> keep = find(flow.connection);
  connections_.erase(flow.connection);
  const auto it = by_remote_.find({flow.kind, flow.remote});
  if (it != by_remote_.end() && it->second == flow.connection) by_remote_.erase(it);
  if (shutting_down_ || !connection.opened()) return;
  if (events.on_flow_closed) events.on_flow_closed(flow, reason);
}

void TransportCore::deliver(const Flow& flow, std::string& bytes) {
  if (shutting_down_) return;
  stamp_via_received(bytes, flow.remote);
  if (events.on_message) events.on_message(flow, bytes);
}

std::shared_ptr<Connection> TransportCore::connect(TransportKind kind, const TransportAddress& destination) {
  if (at_connection_limit()) return nullptr;
  return open_stream_connection(shared_from_this(), kind, destination);
}

void TransportCore::shutdown() {
  shutting_down_ = true;
  events = {};
  for (auto& listener : udp_listeners)
    listener->close();
  for (auto& listener : stream_listeners)
    listener->close();
  for (auto& listener : ws_listeners)
    listener->close();
  auto connections = std::move(connections_);
  connections_.clear();
  by_remote_.clear();
  for (auto& [id, connection] : connections)
    connection->close(TransportError::ShuttingDown);
}

}  // namespace rtcgate::sip::asio
