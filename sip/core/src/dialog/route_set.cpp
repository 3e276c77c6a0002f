// Route sets (RFC 3261 §12.1.1, §12.1.2, §12.2.1.1, §8.1.2).
#include "rtcgate/sip/dialog/route_set.hpp"

#include <algorithm>

namespace rtcgate::sip {

std::vector<NameAddr> route_set_from_record_route(const Message& message, bool reverse) {
  std::vector<NameAddr> routes = message.record_routes();
  if (reverse) std::reverse(routes.begin(), routes.end());
  return routes;
}

void apply_route_set(Message& request, const Uri& remote_target, std::span<const NameAddr> route_set) {
  request.remove("Route");
  if (route_set.empty()) {
    request.request_uri() = remote_target;
    return;
  }
  if (route_set.front().uri.has_lr()) {
    request.request_uri() = remote_target;
    for (const NameAddr& route : route_set)
      request.add("Route", route.to_string());
    return;
  }
  // Strict routing (§12.2.1.1): the first hop is addressed through the Request-URI.
  Uri first = route_set.front().uri;
  remove_param(first.params, "method");
  first.headers.clear();
  request.request_uri() = std::move(first);
  for (const NameAddr& route : route_set.subspan(1))
    request.add("Route", route.to_string());
  NameAddr target;
  target.uri = remote_target;
  request.add("Route", target.to_string());
}

const Uri& next_hop(const Uri& remote_target, std::span<const NameAddr> route_set) {
  return route_set.empty() ? remote_target : route_set.front().uri;
}

}  // namespace rtcgate::sip
