// Where the PBX is: the resolver request for `[pbx] uri` that calls to the PBX and relayed
// registrations both use (internal header of the B2BUA).
#pragma once

#include <rtcgate/sip/asio/resolver.hpp>
#include <rtcgate/sip/uri.hpp>

#include <optional>
#include <string>

namespace rtcgate::gateway::b2bua {

// The resolver request for a SIP or SIPS URI (RFC 3263 inputs: host, port, transport, secure).
inline std::optional<sip::asio::ResolveRequest> resolve_request(const sip::Uri& uri) {
  if (!uri.is_sip()) return std::nullopt;
  sip::asio::ResolveRequest request;
  request.host = std::string(uri.host_without_brackets());
  request.port = uri.port;
  if (auto t = uri.transport()) request.transport = sip::parse_transport_kind(*t);
  request.secure = uri.scheme == sip::UriScheme::Sips;
  return request;
}

}  // namespace rtcgate::gateway::b2bua
