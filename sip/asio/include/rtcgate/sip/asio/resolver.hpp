// Resolver: RFC 3263 server location for a SIP or SIPS URI — which transport, address and port
// to send a request to.
//
// Transport (§4.1): the URI's `transport` parameter; otherwise UDP for sip: and TLS for sips:
// (TCP under sips: means TLS, and WS under sips: means WSS). NAPTR is not used: a gateway is
// configured with explicit URIs, and RFC 3263 lets a client without NAPTR go straight to SRV.
// Port and address (§4.2): a numeric host is used as is, with the URI's port or the default
// (5060, 5061 for TLS/WSS). A host name with an explicit port is looked up as A/AAAA records. A
// host name without a port is looked up as SRV records (`_sip._udp`, `_sip._tcp`, `_sips._tcp`,
// RFC 2782: by priority, then larger weight first) whose targets are then looked up as A/AAAA;
// without SRV records, the host's A/AAAA records with the default port.
//
// Lookups run on a private thread (the system resolver blocks: getaddrinfo, res_nquery with a
// 1 s retransmit and one retry) and the handler is posted to the io_context; numeric hosts are
// answered without that thread. Ownership: the resolver owns its thread; destroying it waits
// for a lookup in progress and drops the handlers of pending ones.
// Thread: resolve() and handlers on the io_context's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "rtcgate/sip/flow.hpp"

namespace rtcgate::sip::asio {

// The parts of a URI that RFC 3263 looks at.
struct ResolveRequest {
  std::string host;                        // name, dotted IPv4, or IPv6 with or without brackets
  std::optional<std::uint16_t> port;       // the URI's port, if any
  std::optional<TransportKind> transport;  // the URI's transport parameter, if any
  bool secure = false;                     // sips:
};

struct ResolvedTarget {
  TransportKind kind = TransportKind::Udp;
  TransportAddress address;

  auto operator<=>(const ResolvedTarget&) const = default;
};

// The transport RFC 3263 §4.1 picks without NAPTR, and its default port (RFC 3261 §19.1.2).
TransportKind select_transport(const ResolveRequest& request);
std::uint16_t default_port(TransportKind kind);

// The numeric address of `host` ("[::1]" -> "::1"); nullopt for a host name.
std::optional<std::string> numeric_host(std::string_view host);

class Resolver {
 public:
  // Targets in the order to try them; empty when nothing was found.
  using Handler = std::function<void(std::vector<ResolvedTarget> targets)>;

  explicit Resolver(boost::asio::io_context& io);
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  void resolve(ResolveRequest request, Handler handler);

 private:
  struct Worker;
  boost::asio::io_context& io_;
  std::shared_ptr<Worker> worker_;
};

}  // namespace rtcgate::sip::asio
