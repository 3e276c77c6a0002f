#include "rtcgate/media/ice/ice_fast_path.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "rtcgate/media/packet/classify.hpp"

namespace rtcgate::media {
namespace {

using Clock = std::chrono::steady_clock;

// Big enough for any answer or request we write (USERNAME up to 2 × 256 B of ufrag, RFC 8445 §5.3).
constexpr std::size_t kStunBuffer = 768;

}  // namespace

IceFastPath::IceFastPath(boost::asio::io_context& io, FdPoller& poller, PacketPool& pool,
                         IceCounters& counters, const IceFastPathParams& params, Observer& observer)
    : poller_(poller),
      pool_(pool),
      counters_(counters),
      params_(params),
      observer_(observer),
      expected_username_(params.local.ufrag + ":" + params.remote_credentials.ufrag),
      request_username_(params.remote_credentials.ufrag + ":" + params.local.ufrag),
      local_key_(params.local.pwd),
      remote_key_(params.remote_credentials.pwd),
      consent_timer_(io),
      random_(std::random_device{}()) {}

IceFastPath::~IceFastPath() {
  *alive_ = false;
  consent_timer_.cancel();
  if (token_) poller_.remove(*token_);
}

std::error_code IceFastPath::start() {
  auto token = poller_.add(params_.fd, *this);
  if (!token) return token.error();
  token_ = *token;
  const auto now = Clock::now();
  consent_until_ = now + params_.consent_timeout;
  next_check_ = now + consent_interval();
  if (params_.consent) arm_consent();
  return {};
}

void IceFastPath::set_remote(const SocketAddress& remote) noexcept {
  params_.remote = remote;
}

// ---- receive -------------------------------------------------------------------------------------

bool IceFastPath::on_readable() noexcept {
  for (int round = 0; round < kRoundsPerWakeup; ++round) {
    std::array<PacketPtr, kBatch> packets;
    std::array<mmsghdr, kBatch> messages{};
    std::array<iovec, kBatch> vectors{};
    std::size_t prepared = 0;
    for (; prepared < kBatch; ++prepared) {
      packets[prepared] = pool_.acquire();
      if (!packets[prepared]) break;
      PacketBuffer& packet = *packets[prepared];
      const auto area = packet.receive_area();
      vectors[prepared] = {area.data(), area.size()};
      messages[prepared].msg_hdr.msg_iov = &vectors[prepared];
      messages[prepared].msg_hdr.msg_iovlen = 1;
      messages[prepared].msg_hdr.msg_name = &packet.source.storage;
      messages[prepared].msg_hdr.msg_namelen = sizeof(packet.source.storage);
    }
    if (prepared == 0) {
      // Keep STUN (consent!) answered even when the pool is dry; media is dropped.
      std::array<std::byte, 1500> scratch;
      SocketAddress source;
      source.length = sizeof(source.storage);
      const ssize_t got =
          ::recvfrom(params_.fd, scratch.data(), scratch.size(), MSG_DONTWAIT, source.get(), &source.length);
      if (got < 0) return true;
      const auto datagram = std::span<const std::byte>(scratch).first(static_cast<std::size_t>(got));
      if (classify(datagram) == PacketKind::Stun) {
        on_stun(datagram, source);
      } else {
        counters_.drops.bump(Drop::PoolExhausted);
      }
      continue;
    }
    const int n =
        ::recvmmsg(params_.fd, messages.data(), static_cast<unsigned>(prepared), MSG_DONTWAIT, nullptr);
    if (n <= 0) return true;  // EAGAIN (or an ICMP error reported on the socket: nothing to read)
    const auto now = Clock::now();
    for (int i = 0; i < n; ++i) {
      const auto k = static_cast<std::size_t>(i);
      PacketPtr& packet = packets[k];
      packet->set_size(messages[k].msg_len);
      packet->source.length = messages[k].msg_hdr.msg_namelen;
      packet->arrival = now;
      on_datagram(std::move(packet));
    }
    if (static_cast<std::size_t>(n) < prepared) return true;
  }
  return false;
}

void IceFastPath::on_datagram(PacketPtr packet) noexcept {
  if (classify(packet->data()) == PacketKind::Stun) return on_stun(packet->data(), packet->source);
  if (!(packet->source == params_.remote)) return counters_.drops.bump(Drop::SourceMismatch);
  ++counters_.rx_packets;
  counters_.rx_bytes += packet->size();
  observer_.on_fast_packet(std::move(packet));
}

void IceFastPath::on_stun(std::span<const std::byte> datagram, const SocketAddress& source) noexcept {
  const auto message = StunMessage::parse(datagram);
  if (!message) {
    ++counters_.stun.requests_rejected;
    return;
  }
  switch (message->type()) {
    case stun::kBindingRequest:
      return on_request(*message, source);
    case stun::kBindingSuccess:
    case stun::kBindingError:
      return on_response(*message, source);
    default:
      return;  // indications (keepalives, RFC 8445 §11) need no answer
  }
}

void IceFastPath::on_request(const StunMessage& request, const SocketAddress& source) noexcept {
  // RFC 8445 §7.3: short-term credentials, USERNAME "ours:theirs", checked as RFC 8489 §9.1.3 says:
  // a bad FINGERPRINT is not STUN for us (dropped), no credentials is 400, wrong ones 401 (neither
  // signed: we cannot sign for credentials we do not share); an authenticated request naming
  // attributes we must understand but do not is 420 (§6.3.1). None is much longer than the
  // request, so answering spoofed sources amplifies nothing.
  if (request.has_fingerprint() && !request.verify_fingerprint()) {
    ++counters_.stun.requests_rejected;
    return;
  }
  if (!request.has_integrity() || request.username().empty()) {
    ++counters_.stun.requests_rejected;
    return reply_error(request, source, stun::kBadRequest, "Bad Request", false);
  }
  if (request.username() != expected_username_ || !request.verify_integrity(local_key_)) {
    ++counters_.stun.requests_rejected;
    return reply_error(request, source, stun::kUnauthorized, "Unauthorized", false);
  }
  if (!request.unknown_required().empty()) {
    ++counters_.stun.requests_rejected;
    return reply_error(request, source, stun::kUnknownAttribute, "Unknown Attribute", true);
  }
  // RFC 8445 §7.3.1.1: role conflicts.
  bool conflict = false;
  if (params_.role == IceRole::Controlling && request.ice_controlling()) {
    if (params_.tie_breaker >= *request.ice_controlling()) {
      conflict = true;
    } else {
      params_.role = IceRole::Controlled;
    }
  } else if (params_.role == IceRole::Controlled && request.ice_controlled()) {
    if (params_.tie_breaker >= *request.ice_controlled()) {
      params_.role = IceRole::Controlling;
    } else {
      conflict = true;
    }
  }
  if (conflict) {
    ++counters_.stun.role_conflicts;
    return reply_error(request, source, stun::kRoleConflict, "Role Conflict", true);
  }
  // The controlling agent nominated a pair with this remote address (RFC 8445 §7.3.1.5): follow it.
  if (request.use_candidate() && params_.role == IceRole::Controlled && !(source == params_.remote)) {
    params_.remote = source;
    observer_.on_fast_remote_changed(source);
  }
  ++counters_.stun.requests_answered;
  reply(request, source);
}

void IceFastPath::reply(const StunMessage& request, const SocketAddress& source) noexcept {
  std::array<std::byte, kStunBuffer> buffer;
  StunWriter writer(buffer, stun::kBindingSuccess, request.transaction_id());
  writer.add_xor_mapped_address(source);
  writer.add_integrity(local_key_);
  writer.add_fingerprint();
  if (writer.ok()) (void)send_to(writer.bytes(), source);
}

void IceFastPath::reply_error(const StunMessage& request, const SocketAddress& source, std::uint16_t code,
                              std::string_view reason, bool signed_reply) noexcept {
  std::array<std::byte, kStunBuffer> buffer;
  StunWriter writer(buffer, stun::kBindingError, request.transaction_id());
  writer.add_error_code(code, reason);
  if (code == stun::kUnknownAttribute) writer.add_unknown_attributes(request.unknown_required());
  if (signed_reply) writer.add_integrity(local_key_);
  writer.add_fingerprint();
  if (writer.ok()) (void)send_to(writer.bytes(), source);
}

void IceFastPath::on_response(const StunMessage& response, const SocketAddress& source) noexcept {
  const auto id = response.transaction_id();
  const auto match = std::find_if(pending_.begin(), pending_.end(), [&](const StunTransactionId& pending) {
    return std::equal(pending.begin(), pending.end(), id.begin(), id.end());
  });
  if (match == pending_.end() || !(source == params_.remote) || !response.verify_integrity(remote_key_) ||
      (response.has_fingerprint() && !response.verify_fingerprint()))
    return;
  match->fill(std::byte{0});  // one response per transaction
  if (match == pending_.begin() + static_cast<std::ptrdiff_t>(current_)) retransmits_left_ = 0;
  if (response.type() != stun::kBindingSuccess) {
    // 487: the peer holds the same role and wins the tie; take the other (RFC 8445 §7.2.5.1).
    if (response.error_code() == stun::kRoleConflict)
      params_.role = params_.role == IceRole::Controlling ? IceRole::Controlled : IceRole::Controlling;
    return;
  }
  ++counters_.stun.consent_answered;
  if (!consent_lost_) consent_until_ = Clock::now() + params_.consent_timeout;
}

// ---- send ----------------------------------------------------------------------------------------

bool IceFastPath::send(std::span<const std::byte> datagram) noexcept {
  if (consent_lost_) {
    counters_.drops.bump(Drop::NotReady);
    return false;
  }
  return poller_.sends().send(params_.fd, datagram, params_.remote,
                              {&counters_.tx_packets, &counters_.tx_bytes, &counters_.drops});
}

bool IceFastPath::send_to(std::span<const std::byte> datagram, const SocketAddress& to) noexcept {
  return send_datagram(params_.fd, datagram, to);
}

// ---- consent freshness (RFC 7675) ----------------------------------------------------------------

std::chrono::milliseconds IceFastPath::consent_interval() noexcept {
  const auto base = std::min(kConsentInterval, params_.consent_timeout / 6);
  // §5.1: randomised 0.8–1.2 so that many sessions do not tick in step.
  std::uniform_real_distribution<double> spread(0.8, 1.2);
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(base.count()) * spread(random_)));
}

// One timer per fast path serves both the periodic checks and the retransmissions of the current
// one (RFC 5389 §7.2.1: RTO 500 ms, doubling), which stop when it is answered or the next check is due.
void IceFastPath::arm_consent() {
  auto wake = next_check_;
  if (retransmits_left_ > 0) wake = std::min(wake, retransmit_at_);
  consent_timer_.expires_at(wake);
  consent_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
    const auto guard = alive.lock();
    if (ec || !guard || !*guard) return;
    const auto now = Clock::now();
    if (now >= consent_until_) {
      consent_lost_ = true;
      observer_.on_fast_consent_lost();  // may destroy us: nothing after this
      return;
    }
    if (now >= next_check_) {
      send_consent_request(true);
      next_check_ = now + consent_interval();
      retransmits_left_ = kConsentRetransmits;
      rto_ = kConsentRto;
      retransmit_at_ = now + rto_;
    } else if (retransmits_left_ > 0 && now >= retransmit_at_) {
      send_consent_request(false);
      --retransmits_left_;
      rto_ *= 2;
      retransmit_at_ = now + rto_;
    }
    arm_consent();
  });
}

// A new check gets a new transaction ID (RFC 7675 §5.1); a retransmission repeats the last one.
void IceFastPath::send_consent_request(bool fresh) noexcept {
  if (fresh) {
    current_ = next_pending_;
    next_pending_ = (next_pending_ + 1) % pending_.size();
    StunTransactionId& id = pending_[current_];
    for (std::size_t i = 0; i < id.size(); i += 8) {
      const std::uint64_t r = random_();
      for (std::size_t k = 0; k < 8 && i + k < id.size(); ++k)
        id[i + k] = static_cast<std::byte>(r >> (8 * k));
    }
  }
  const StunTransactionId& id = pending_[current_];
  std::array<std::byte, kStunBuffer> buffer;
  StunWriter writer(buffer, stun::kBindingRequest, id);
  writer.add_string(stun::kUsername, request_username_);
  writer.add_u32(stun::kPriority, params_.priority);
  writer.add_u64(params_.role == IceRole::Controlling ? stun::kIceControlling : stun::kIceControlled,
                 params_.tie_breaker);
  writer.add_integrity(remote_key_);
  writer.add_fingerprint();
  if (writer.ok() && send_to(writer.bytes(), params_.remote) && fresh) ++counters_.stun.consent_sent;
}

}  // namespace rtcgate::media
