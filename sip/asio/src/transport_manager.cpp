#include "rtcgate/sip/asio/transport_manager.hpp"

#include <utility>

#include <boost/asio/post.hpp>

#include "endpoint.hpp"
#include "stream_connection.hpp"
#include "tls_context.hpp"
#include "transport_core.hpp"
#include "udp_listener.hpp"
#include "ws_listener.hpp"

namespace rtcgate::sip::asio {

namespace ip = boost::asio::ip;

namespace {

bool needs_tls_server(const std::vector<ListenSpec>& specs) {
  for (const ListenSpec& spec : specs) {
    if (spec.kind == TransportKind::Tls || spec.kind == TransportKind::Wss) return true;
  }
  return false;
}

bool same_family(const std::string& a, const std::string& b) {
  return (a.find(':') == std::string::npos) == (b.find(':') == std::string::npos);
}

// Completions never run inside send()/send_to(): they are posted, as Asio does.
SendHandler posting(boost::asio::io_context& io, SendHandler handler) {
  if (!handler) return {};
  return [&io, handler = std::move(handler)](std::error_code ec, const Flow& flow) {
    boost::asio::post(io, [handler, ec, flow] { handler(ec, flow); });
  };
}

std::error_code open_listener(const std::shared_ptr<TransportCore>& core, const ListenSpec& spec) {
  boost::system::error_code ec;
  const ip::address address = ip::make_address(spec.address.ip, ec);
  if (ec) return ec;
  TransportAddress bound;
  switch (spec.kind) {
    case TransportKind::Udp: {
      auto listener = UdpListener::open(core, ip::udp::endpoint(address, spec.address.port), ec);
      if (!listener) return ec;
      bound = listener->local();
      core->udp_listeners.push_back(listener);
      listener->start();
      break;
    }
    case TransportKind::Tcp:
    case TransportKind::Tls: {
      auto listener =
          StreamListener::open(core, spec.kind, ip::tcp::endpoint(address, spec.address.port), ec);
      if (!listener) return ec;
      bound = listener->local();
      core->stream_listeners.push_back(listener);
      listener->start();
      break;
    }
    case TransportKind::Ws:
    case TransportKind::Wss: {
      auto listener = WsListener::open(core, spec.kind, ip::tcp::endpoint(address, spec.address.port), ec);
      if (!listener) return ec;
      bound = listener->local();
      core->ws_listeners.push_back(listener);
      listener->start();
      break;
    }
  }
  core->listener_infos.push_back(ListenerInfo{spec.kind, bound});
  return {};
}

}  // namespace

std::expected<std::unique_ptr<TransportManager>, std::string> TransportManager::create(
    boost::asio::io_context& io, TransportConfig config) {
  std::vector<ListenSpec> specs;
  for (const std::string& text : config.listen) {
    auto spec = parse_listen_spec(text);
    if (!spec) return std::unexpected(spec.error());
    specs.push_back(*spec);
  }
  auto core = std::make_shared<TransportCore>(io, config.limits);
  if (needs_tls_server(specs)) {
    auto server = make_tls_server_context(config.tls);
    if (!server) return std::unexpected(server.error());
    core->tls_server = *server;
  }
  auto client = make_tls_client_context(config.tls);
  if (!client) return std::unexpected(client.error());
  core->tls_client = *client;

  std::unique_ptr<TransportManager> manager(new TransportManager(core));
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (const std::error_code ec = open_listener(core, specs[i])) {
      return std::unexpected("listen '" + config.listen[i] + "': " + ec.message());
    }
  }
  return manager;
}

TransportManager::TransportManager(std::shared_ptr<TransportCore> core) : core_(std::move(core)) {}

TransportManager::~TransportManager() {
  core_->shutdown();
}

void TransportManager::set_events(TransportEvents events) {
  core_->events = std::move(events);
}

std::vector<ListenerInfo> TransportManager::listeners() const {
  return core_->listener_infos;
}

std::size_t TransportManager::connection_count() const {
  return core_->connection_count();
}

void TransportManager::send(const Flow& flow, std::string bytes, SendHandler handler) {
  SendHandler done = posting(core_->io(), std::move(handler));
  if (bytes.size() > core_->limits().max_message_size) {
    if (done) done(TransportError::MessageTooLarge, flow);
    return;
  }
  if (flow.kind == TransportKind::Udp) {
    for (const auto& listener : core_->udp_listeners) {
      if (listener->local() == flow.local) {
        const std::error_code ec = listener->send_to(flow.remote, bytes);
        if (done) done(ec, flow);
        return;
      }
    }
    // The flow's listener is not ours (e.g. a flow restored from elsewhere): any UDP listener will do.
    return send_to(TransportKind::Udp, flow.remote, std::move(bytes), std::move(done));
  }
  const std::shared_ptr<Connection> connection = core_->find(flow.connection);
  if (!connection) {
    if (done) done(TransportError::FlowClosed, flow);
    return;
  }
  connection->send(std::move(bytes), std::move(done));
}

void TransportManager::send_to(TransportKind kind, const TransportAddress& destination, std::string bytes,
                               SendHandler handler) {
  SendHandler done = posting(core_->io(), std::move(handler));
  const Flow attempted{kind, {}, destination, 0};
  if (bytes.size() > core_->limits().max_message_size) {
    if (done) done(TransportError::MessageTooLarge, attempted);
    return;
  }
  if (kind == TransportKind::Udp) {
    for (const auto& listener : core_->udp_listeners) {
      if (!same_family(listener->local().ip, destination.ip)) continue;
      const std::error_code ec = listener->send_to(destination, bytes);
      if (done) done(ec, Flow{kind, listener->local(), destination, 0});
      return;
    }
    if (done) done(TransportError::NoListener, attempted);
    return;
  }
  std::shared_ptr<Connection> connection = core_->find_by_remote(kind, destination);
  if (!connection && (kind == TransportKind::Tcp || kind == TransportKind::Tls)) {
    if (!to_endpoint<ip::tcp::endpoint>(destination)) {
      if (done) done(TransportError::InvalidAddress, attempted);
      return;
    }
    connection = core_->connect(kind, destination);
  }
  if (!connection) {
    if (done)
      done(is_reliable(kind) && kind != TransportKind::Ws && kind != TransportKind::Wss
               ? TransportError::ConnectFailed
               : TransportError::NotSupported,
           attempted);
    return;
  }
  connection->send(std::move(bytes), std::move(done));
}

void TransportManager::close(const Flow& flow) {
  if (const std::shared_ptr<Connection> connection = core_->find(flow.connection)) {
    connection->close(TransportError::LocalClose);
  }
}

bool TransportManager::is_open(const Flow& flow) const {
  if (flow.kind == TransportKind::Udp) {
    for (const auto& listener : core_->udp_listeners) {
      if (listener->local() == flow.local) return true;
    }
    return false;
  }
  const std::shared_ptr<Connection> connection = core_->find(flow.connection);
  return connection && connection->opened();
}

}  // namespace rtcgate::sip::asio
