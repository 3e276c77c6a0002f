#include "rtcgate/media/ice/ice_transport.hpp"

#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <random>
#include <string>

#include <boost/asio/post.hpp>

#include "rtcgate/media/io/address.hpp"

namespace rtcgate::media {
namespace {

constexpr guint kComponent = 1;

std::string address_string(const NiceAddress& address) {
  char buf[NICE_ADDRESS_STRING_LEN] = {};
  nice_address_to_string(&address, buf);
  return buf;
}

IceCandidateType from_nice(NiceCandidateType type) {
  switch (type) {
    case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE:
      return IceCandidateType::ServerReflexive;
    case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE:
      return IceCandidateType::PeerReflexive;
    case NICE_CANDIDATE_TYPE_RELAYED:
      return IceCandidateType::Relayed;
    default:
      return IceCandidateType::Host;
  }
}

NiceCandidateType to_nice(IceCandidateType type) {
  switch (type) {
    case IceCandidateType::ServerReflexive:
      return NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE;
    case IceCandidateType::PeerReflexive:
      return NICE_CANDIDATE_TYPE_PEER_REFLEXIVE;
    case IceCandidateType::Relayed:
      return NICE_CANDIDATE_TYPE_RELAYED;
    case IceCandidateType::Host:
      break;
  }
  return NICE_CANDIDATE_TYPE_HOST;
}

IceState from_nice_state(guint state) {
  switch (state) {
    case NICE_COMPONENT_STATE_GATHERING:
      return IceState::Gathering;
    case NICE_COMPONENT_STATE_CONNECTING:
      return IceState::Checking;
    case NICE_COMPONENT_STATE_CONNECTED:
      return IceState::Connected;
    case NICE_COMPONENT_STATE_READY:
      return IceState::Ready;
    case NICE_COMPONENT_STATE_FAILED:
      return IceState::Failed;
    case NICE_COMPONENT_STATE_DISCONNECTED:
      return IceState::Disconnected;
    default:
      return IceState::New;
  }
}

std::error_code invalid() {
  return std::make_error_code(std::errc::invalid_argument);
}

}  // namespace

IceTransport::IceTransport(FdPoller& poller, GlibLoopSet& loops, PacketPool& pool, const IceConfig& config,
                           Observer& observer)
    : poller_(poller),
      loops_(loops),
      loop_(&loops.acquire()),
      pool_(pool),
      config_(config),
      observer_(observer) {}

std::expected<std::unique_ptr<IceTransport>, std::error_code> IceTransport::create(
    FdPoller& poller, GlibLoopSet& loops, PacketPool& pool, const IceConfig& config, Observer& observer) {
  std::unique_ptr<IceTransport> transport(new IceTransport(poller, loops, pool, config, observer));
  if (auto ec = transport->init()) return std::unexpected(ec);
  return transport;
}

std::error_code IceTransport::init() {
  unsigned flags = 0;
  const bool turn = std::any_of(config_.servers.begin(), config_.servers.end(),
                                [](const IceServer& server) { return server.kind == IceServer::Kind::Turn; });
  fast_path_allowed_ = config_.fast_path && !turn;
  // See the header: with the fast path, consent is checked there, not by libnice.
  nice_consent_ = config_.consent_freshness && !fast_path_allowed_;
  std::random_device entropy;
  tie_breaker_ = std::uniform_int_distribution<std::uint64_t>()(entropy);  // RFC 8445 §16.1
  if (config_.trickle) flags |= NICE_AGENT_OPTION_ICE_TRICKLE;
  if (nice_consent_) flags |= NICE_AGENT_OPTION_CONSENT_FRESHNESS;
  if (config_.lite) flags |= NICE_AGENT_OPTION_LITE_MODE;
  if (config_.regular_nomination) flags |= NICE_AGENT_OPTION_REGULAR_NOMINATION;
  agent_ =
      nice_agent_new_full(loop_->context(), NICE_COMPATIBILITY_RFC5245, static_cast<NiceAgentOption>(flags));
  if (agent_ == nullptr) return std::make_error_code(std::errc::not_enough_memory);
  // ICE-lite is always controlled (RFC 8445 §6.1.1); libnice does not do that by itself (LIMITS.md §1.2).
  const gboolean controlling = !config_.lite && config_.role == IceRole::Controlling;
  g_object_set(agent_, "upnp", FALSE, "ice-tcp", FALSE, "controlling-mode", controlling, nullptr);
  for (const IceServer& server : config_.servers) {
    if (server.kind == IceServer::Kind::Stun)
      g_object_set(agent_, "stun-server", server.address.c_str(), "stun-server-port", guint{server.port},
                   nullptr);
  }
  for (const std::string& ip : config_.bind_addresses) {
    NiceAddress address;
    nice_address_init(&address);
    if (!nice_address_set_from_string(&address, ip.c_str())) return invalid();
    nice_agent_add_local_address(agent_, &address);
  }
  stream_ = nice_agent_add_stream(agent_, 1);
  if (stream_ == 0) return invalid();
  if (config_.port_min != 0 || config_.port_max != 0)
    nice_agent_set_port_range(agent_, stream_, kComponent, config_.port_min, config_.port_max);
  for (const IceServer& server : config_.servers) {
    if (server.kind == IceServer::Kind::Turn &&
        !nice_agent_set_relay_info(agent_, stream_, kComponent, server.address.c_str(), server.port,
                                   server.username.c_str(), server.password.c_str(),
                                   NICE_RELAY_TYPE_TURN_UDP))
      return invalid();
  }
  g_signal_connect(agent_, "new-candidate-full", G_CALLBACK(&IceTransport::on_new_candidate), this);
  g_signal_connect(agent_, "candidate-gathering-done", G_CALLBACK(&IceTransport::on_gathering_done_cb), this);
  g_signal_connect(agent_, "component-state-changed", G_CALLBACK(&IceTransport::on_state_cb), this);
  g_signal_connect(agent_, "new-selected-pair-full", G_CALLBACK(&IceTransport::on_selected_pair), this);
  return {};
}

IceTransport::~IceTransport() {
  *alive_ = false;
  fast_.reset();
  for (const Socket& socket : sockets_)
    if (!socket.parked) poller_.remove(socket.token);
  if (agent_ != nullptr) {
    g_signal_handlers_disconnect_by_data(agent_, this);
    g_object_unref(agent_);
    loop_->request_pump();
  }
  loops_.release(*loop_);
}

IceCredentials IceTransport::local_credentials() const {
  gchar* ufrag = nullptr;
  gchar* pwd = nullptr;
  IceCredentials out;
  if (nice_agent_get_local_credentials(agent_, stream_, &ufrag, &pwd)) {
    out.ufrag = ufrag;
    out.pwd = pwd;
  }
  g_free(ufrag);
  g_free(pwd);
  return out;
}

std::error_code IceTransport::gather() {
  if (gathered_) return {};
  if (!nice_agent_gather_candidates(agent_, stream_)) {
    changed();
    return std::make_error_code(std::errc::address_not_available);
  }
  gathered_ = true;
  sync_sockets();
  changed();
  return {};
}

// Register every socket of the component once (gathering creates them; TURN may add one later).
void IceTransport::sync_sockets() {
  GPtrArray* sockets = nice_agent_get_sockets(agent_, stream_, kComponent);
  if (sockets == nullptr) return;
  for (guint i = 0; i < sockets->len; ++i) {
    const int fd = g_socket_get_fd(G_SOCKET(g_ptr_array_index(sockets, i)));
    const bool known =
        std::any_of(sockets_.begin(), sockets_.end(), [fd](const Socket& s) { return s.fd == fd; });
    if (known) continue;
    if (auto token = poller_.add(fd, *this)) sockets_.push_back(Socket{fd, *token, false});
  }
  g_ptr_array_unref(sockets);
}

std::error_code IceTransport::set_remote_credentials(const IceCredentials& credentials) {
  if (credentials.ufrag.empty() || credentials.pwd.empty()) return invalid();
  const bool ok = nice_agent_set_remote_credentials(agent_, stream_, credentials.ufrag.c_str(),
                                                    credentials.pwd.c_str()) != 0;
  if (ok) remote_credentials_ = credentials;
  changed();
  return ok ? std::error_code{} : invalid();
}

std::error_code IceTransport::add_remote_candidate(const IceCandidate& candidate) {
  if (candidate.component != kComponent || candidate.transport != "udp") return invalid();
  if (remote_candidates_ >= kMaxRemoteCandidates) return std::make_error_code(std::errc::too_many_files_open);
  NiceCandidate* c = nice_candidate_new(to_nice(candidate.type));
  c->transport = NICE_CANDIDATE_TRANSPORT_UDP;
  c->stream_id = stream_;
  c->component_id = kComponent;
  c->priority = candidate.priority;
  std::strncpy(c->foundation, candidate.foundation.c_str(), NICE_CANDIDATE_MAX_FOUNDATION - 1);
  bool ok = nice_address_set_from_string(&c->addr, candidate.address.c_str()) != 0;
  nice_address_set_port(&c->addr, candidate.port);
  if (ok && !candidate.related_address.empty()) {
    ok = nice_address_set_from_string(&c->base_addr, candidate.related_address.c_str()) != 0;
    nice_address_set_port(&c->base_addr, candidate.related_port);
  }
  int added = 0;
  if (ok) {
    GSList* list = g_slist_append(nullptr, c);
    added = nice_agent_set_remote_candidates(agent_, stream_, kComponent, list);
    g_slist_free(list);
  }
  nice_candidate_free(c);
  changed();
  if (added <= 0) return invalid();
  ++remote_candidates_;
  return {};
}

void IceTransport::end_of_remote_candidates() {
  nice_agent_peer_candidate_gathering_done(agent_, stream_);
  changed();
}

std::error_code IceTransport::restart() {
  release_fast_path();  // libnice runs the new checks on this socket until a pair is selected again
  const bool ok = nice_agent_restart_stream(agent_, stream_) != 0;
  remote_candidates_ = 0;
  changed();
  return ok ? std::error_code{} : invalid();
}

void IceTransport::set_role(IceRole role) {
  config_.role = role;
  g_object_set(agent_, "controlling-mode",
               static_cast<gboolean>(!config_.lite && role == IceRole::Controlling), nullptr);
  changed();
}

bool IceTransport::send(std::span<const std::byte> datagram) noexcept {
  if (!writable()) {
    counters_.drops.bump(Drop::NotReady);
    return false;
  }
  if (fast_) return fast_->send(datagram);
  GOutputVector vector{datagram.data(), datagram.size()};
  NiceOutputMessage message{&vector, 1};
  const gint sent =
      nice_agent_send_messages_nonblocking(agent_, stream_, kComponent, &message, 1, nullptr, nullptr);
  if (sent != 1) {
    counters_.drops.bump(Drop::WouldBlock);
    return false;
  }
  ++counters_.tx_packets;
  counters_.tx_bytes += datagram.size();
  return true;
}

bool IceTransport::on_readable() noexcept {
  for (int round = 0; round < 4; ++round) {
    std::array<PacketPtr, kBatch> packets;
    std::array<GInputVector, kBatch> vectors{};
    std::array<NiceInputMessage, kBatch> messages{};
    std::size_t prepared = 0;
    for (; prepared < kBatch; ++prepared) {
      packets[prepared] = pool_.acquire();
      if (!packets[prepared]) break;
      const auto area = packets[prepared]->receive_area();  // ≥ 1280 B: libnice reads in place
      vectors[prepared] = {area.data(), area.size()};
      messages[prepared] = {&vectors[prepared], 1, nullptr, 0};
    }
    if (prepared == 0) {
      // Keep STUN (consent!) flowing even when the pool is dry: read into a scratch buffer and drop.
      static thread_local std::array<std::byte, 1500> scratch;
      GInputVector vector{scratch.data(), scratch.size()};
      NiceInputMessage message{&vector, 1, nullptr, 0};
      if (nice_agent_recv_messages_nonblocking(agent_, stream_, kComponent, &message, 1, nullptr, nullptr) <=
          0)
        return true;
      counters_.drops.bump(Drop::PoolExhausted);
      continue;
    }
    GError* error = nullptr;
    const gint n = nice_agent_recv_messages_nonblocking(agent_, stream_, kComponent, messages.data(),
                                                        static_cast<guint>(prepared), nullptr, &error);
    if (error != nullptr) g_error_free(error);
    if (n <= 0) {
      // Only STUN was there (checks, consent): libnice may have started or moved timers.
      if (round == 0) changed();
      return true;
    }
    const auto now = std::chrono::steady_clock::now();
    for (gint i = 0; i < n; ++i) {
      PacketPtr& packet = packets[static_cast<std::size_t>(i)];
      packet->set_size(messages[static_cast<std::size_t>(i)].length);
      packet->arrival = now;
      ++counters_.rx_packets;
      counters_.rx_bytes += packet->size();
      observer_.on_ice_packet(std::move(packet));
    }
    if (static_cast<std::size_t>(n) < prepared) return true;
  }
  return false;
}

void IceTransport::on_new_candidate(NiceAgent*, NiceCandidate* candidate, gpointer self) {
  auto& t = *static_cast<IceTransport*>(self);
  IceCandidate out;
  out.foundation = candidate->foundation;
  out.component = candidate->component_id;
  out.priority = candidate->priority;
  out.address = address_string(candidate->addr);
  out.port = static_cast<std::uint16_t>(nice_address_get_port(&candidate->addr));
  out.type = from_nice(candidate->type);
  if (out.type == IceCandidateType::Host && !t.config_.public_address.empty()) {
    out.address = t.config_.public_address;  // 1:1 NAT: the peer must aim at the public side
  } else if (out.type != IceCandidateType::Host) {
    out.related_address = address_string(candidate->base_addr);
    out.related_port = static_cast<std::uint16_t>(nice_address_get_port(&candidate->base_addr));
  }
  t.observer_.on_local_candidate(out);
}

void IceTransport::on_gathering_done_cb(NiceAgent*, guint, gpointer self) {
  auto& t = *static_cast<IceTransport*>(self);
  t.sync_sockets();
  t.observer_.on_gathering_done();
}

void IceTransport::on_state_cb(NiceAgent*, guint, guint, guint state, gpointer self) {
  auto& t = *static_cast<IceTransport*>(self);
  const IceState previous = t.state_;
  t.state_ = from_nice_state(state);
  if (t.state_ == previous) return;
  t.observer_.on_ice_state(t.state_);
  if (t.state_ == IceState::Failed && t.nice_consent_ &&
      (previous == IceState::Connected || previous == IceState::Ready))
    t.observer_.on_consent_lost();
}

void IceTransport::on_selected_pair(NiceAgent*, guint, guint, NiceCandidate*, NiceCandidate* remote,
                                    gpointer self) {
  auto& t = *static_cast<IceTransport*>(self);
  t.selected_remote_ =
      address_string(remote->addr) + ":" + std::to_string(nice_address_get_port(&remote->addr));
  if (!t.fast_path_allowed_) return;
  // Signals fire inside libnice calls, possibly while it reads this very socket: switch afterwards.
  boost::asio::post(t.poller_.io(), [&t, alive = std::weak_ptr<bool>(t.alive_)] {
    const auto guard = alive.lock();
    if (guard && *guard) t.take_over_selected_pair();
  });
}

// ---- fast path -----------------------------------------------------------------------------------

void IceTransport::take_over_selected_pair() {
  NiceCandidate* local = nullptr;
  NiceCandidate* remote = nullptr;
  if (!nice_agent_get_selected_pair(agent_, stream_, kComponent, &local, &remote)) return;
  if (local->type == NICE_CANDIDATE_TYPE_RELAYED || local->transport != NICE_CANDIDATE_TRANSPORT_UDP) {
    release_fast_path();
    return;
  }
  GSocket* socket = nice_agent_get_selected_socket(agent_, stream_, kComponent);
  if (socket == nullptr) return;
  const int fd = g_socket_get_fd(socket);
  g_object_unref(socket);
  SocketAddress address;
  nice_address_copy_to_sockaddr(&remote->addr, address.get());
  address.length = address.storage.ss_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  if (fast_ && fast_->fd() == fd) {
    fast_->set_remote(address);
    return;
  }
  release_fast_path();
  IceFastPathParams params;
  params.fd = fd;
  params.remote = address;
  params.local = local_credentials();
  params.remote_credentials = remote_credentials_;
  params.role =
      !config_.lite && config_.role == IceRole::Controlling ? IceRole::Controlling : IceRole::Controlled;
  params.tie_breaker = tie_breaker_;
  // RFC 8445 §7.1.1: PRIORITY as if the local candidate were peer-reflexive (type preference 110).
  params.priority = (110u << 24) | (local->priority & 0x00ffff00u) | (256u - kComponent);
  params.consent = config_.consent_freshness;
  params.consent_timeout = config_.consent_timeout;
  if (params.local.ufrag.empty() || params.remote_credentials.ufrag.empty()) return;
  park_socket(fd, true);
  IceFastPath::Observer& observer = *this;
  fast_ = std::make_unique<IceFastPath>(poller_.io(), poller_, pool_, counters_, params, observer);
  if (fast_->start()) {
    fast_.reset();
    park_socket(fd, false);
  }
}

void IceTransport::release_fast_path() noexcept {
  if (!fast_) return;
  const int fd = fast_->fd();
  fast_.reset();
  park_socket(fd, false);
}

// Parked: the fast path reads the socket, so libnice's read path must not (it would take the
// datagrams, including the answers to our consent checks, which libnice would drop).
void IceTransport::park_socket(int fd, bool parked) noexcept {
  for (Socket& socket : sockets_) {
    if (socket.fd != fd || socket.parked == parked) continue;
    if (parked) {
      poller_.remove(socket.token);
      socket.parked = true;
    } else if (auto token = poller_.add(fd, *this)) {
      socket.token = *token;
      socket.parked = false;
    }
  }
}

void IceTransport::on_fast_packet(PacketPtr packet) noexcept {
  observer_.on_ice_packet(std::move(packet));
}

void IceTransport::on_fast_consent_lost() {
  const IceState previous = state_;
  state_ = IceState::Failed;
  if (previous != IceState::Failed) observer_.on_ice_state(state_);
  observer_.on_consent_lost();
}

void IceTransport::on_fast_remote_changed(const SocketAddress& remote) {
  selected_remote_ = ip_of(remote) + ":" + std::to_string(port_of(remote));
}

}  // namespace rtcgate::media
