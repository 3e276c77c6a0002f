// RFC 3263 server location, see resolver.hpp. SRV answers are parsed here with dn_expand (RFC
// 1035 §4.1 message layout, RFC 2782 SRV RDATA) so that only libc's resolver is needed.
#include "rtcgate/sip/asio/resolver.hpp"

#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <utility>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace rtcgate::sip::asio {
namespace {

namespace ip = boost::asio::ip;

struct SrvRecord {
  std::uint16_t priority = 0;
  std::uint16_t weight = 0;
  std::uint16_t port = 0;
  std::string target;
};

std::uint16_t read16(const unsigned char* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

// SRV records of `name`; empty when there are none or the resolver fails.
std::vector<SrvRecord> query_srv(const std::string& name) {
  struct __res_state state {};
  if (res_ninit(&state) != 0) return {};
  // A signaling path waits for this: one retransmission after a second, not the default 5 s x 2.
  state.retrans = 1;
  state.retry = 1;
  std::array<unsigned char, 4096> answer{};
  const int size = res_nquery(&state, name.c_str(), ns_c_in, ns_t_srv, answer.data(), answer.size());
  res_nclose(&state);
  if (size < NS_HFIXEDSZ) return {};
  const unsigned char* const begin = answer.data();
  const unsigned char* const end = begin + std::min<int>(size, static_cast<int>(answer.size()));
  const unsigned char* p = begin + NS_HFIXEDSZ;
  std::array<char, NS_MAXDNAME> expanded{};
  for (int q = read16(begin + 4); q > 0; --q) {
    const int length = dn_expand(begin, end, p, expanded.data(), static_cast<int>(expanded.size()));
    if (length < 0 || end - p < length + 4) return {};
    p += length + 4;  // name, type, class
  }
  std::vector<SrvRecord> records;
  for (int a = read16(begin + 6); a > 0; --a) {
    const int length = dn_expand(begin, end, p, expanded.data(), static_cast<int>(expanded.size()));
    if (length < 0 || end - p < length + 10) break;
    p += length;
    const std::uint16_t type = read16(p);
    const std::uint16_t rdlength = read16(p + 8);
    p += 10;
    if (end - p < rdlength) break;
    if (type == ns_t_srv && rdlength > 6) {
      SrvRecord record{read16(p), read16(p + 2), read16(p + 4), {}};
      if (dn_expand(begin, end, p + 6, expanded.data(), static_cast<int>(expanded.size())) >= 0) {
        record.target = expanded.data();
        records.push_back(std::move(record));
      }
    }
    p += rdlength;
  }
  // RFC 2782: lowest priority first; within a priority, larger weights first (deterministic
  // instead of the weighted draw, which matters for load sharing, not for reaching the server).
  std::stable_sort(records.begin(), records.end(), [](const SrvRecord& a, const SrvRecord& b) {
    return a.priority != b.priority ? a.priority < b.priority : a.weight > b.weight;
  });
  return records;
}

// A and AAAA records of `host` (getaddrinfo's order, RFC 6724), without duplicates.
std::vector<std::string> query_addresses(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* list = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &list) != 0) return {};
  std::vector<std::string> out;
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    std::array<char, NI_MAXHOST> text{};
    if (getnameinfo(ai->ai_addr, ai->ai_addrlen, text.data(), static_cast<socklen_t>(text.size()), nullptr, 0,
                    NI_NUMERICHOST) != 0) {
      continue;
    }
    std::string address = text.data();
    if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(std::move(address));
  }
  freeaddrinfo(list);
  return out;
}

std::string srv_name(TransportKind kind, const std::string& host) {
  switch (kind) {
    case TransportKind::Udp:
      return "_sip._udp." + host;
    case TransportKind::Tcp:
      return "_sip._tcp." + host;
    case TransportKind::Tls:
      return "_sips._tcp." + host;
    case TransportKind::Ws:
      return "_sip._ws." + host;
    case TransportKind::Wss:
      return "_sips._ws." + host;
  }
  return host;
}

// The blocking part of resolve(), run on the worker thread.
std::vector<ResolvedTarget> lookup(const ResolveRequest& request, TransportKind kind) {
  std::vector<ResolvedTarget> targets;
  auto add_host = [&](const std::string& host, std::uint16_t port) {
    for (std::string& address : query_addresses(host))
      targets.push_back({kind, {std::move(address), port}});
  };
  if (request.port) {
    add_host(request.host, *request.port);
    return targets;
  }
  const std::vector<SrvRecord> records = query_srv(srv_name(kind, request.host));
  // RFC 2782: a single record with target "." says the service is decidedly not available.
  if (records.size() == 1 && (records[0].target.empty() || records[0].target == ".")) return targets;
  for (const SrvRecord& record : records)
    add_host(record.target, record.port);
  if (records.empty()) add_host(request.host, default_port(kind));
  return targets;
}

}  // namespace

TransportKind select_transport(const ResolveRequest& request) {
  TransportKind kind = request.transport.value_or(request.secure ? TransportKind::Tls : TransportKind::Udp);
  if (request.secure) {
    // RFC 3261 §26.2.2 / RFC 7118 §5.1: sips: demands TLS on every hop.
    if (kind == TransportKind::Tcp || kind == TransportKind::Udp) kind = TransportKind::Tls;
    if (kind == TransportKind::Ws) kind = TransportKind::Wss;
  }
  return kind;
}

std::uint16_t default_port(TransportKind kind) {
  return is_secure(kind) ? 5061 : 5060;
}

std::optional<std::string> numeric_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const ip::address address = ip::make_address(std::string(host), ec);
  if (ec) return std::nullopt;
  return address.to_string();
}

struct Resolver::Worker {
  boost::asio::thread_pool pool{1};
};

Resolver::Resolver(boost::asio::io_context& io) : io_(io), worker_(std::make_shared<Worker>()) {}

Resolver::~Resolver() {
  // Handlers hold a weak_ptr to the worker: once it is gone, finished lookups are dropped.
  std::shared_ptr<Worker> worker = std::move(worker_);
  worker->pool.stop();
  worker->pool.join();
}

void Resolver::resolve(ResolveRequest request, Handler handler) {
  const TransportKind kind = select_transport(request);
  std::weak_ptr<Worker> alive = worker_;
  if (const std::optional<std::string> numeric = numeric_host(request.host)) {
    std::vector<ResolvedTarget> targets{{kind, {*numeric, request.port.value_or(default_port(kind))}}};
    boost::asio::post(io_, [alive, handler = std::move(handler), targets = std::move(targets)]() mutable {
      if (alive.lock()) handler(std::move(targets));
    });
    return;
  }
  boost::asio::post(worker_->pool, [this, alive, kind, request = std::move(request),
                                    handler = std::move(handler)]() mutable {
    std::vector<ResolvedTarget> targets = lookup(request, kind);
    boost::asio::post(io_, [alive, handler = std::move(handler), targets = std::move(targets)]() mutable {
      if (alive.lock()) handler(std::move(targets));
    });
  });
}

}  // namespace rtcgate::sip::asio
