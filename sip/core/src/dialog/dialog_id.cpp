// Dialog identifiers (RFC 3261 §12, §12.2.2).
#include "rtcgate/sip/dialog/dialog_id.hpp"

#include <functional>
#include <string_view>

namespace rtcgate::sip {

std::size_t DialogIdHash::operator()(const DialogId& id) const {
  const std::hash<std::string_view> hash;
  std::size_t h = hash(id.call_id);
  h ^= hash(id.local_tag) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= hash(id.remote_tag) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

namespace {

std::optional<DialogId> read_id(const Message& message, bool to_is_local) {
  const auto call_id = message.call_id();
  const auto from = message.from();
  const auto to = message.to();
  if (!call_id || !from || !to || to->tag().empty()) return std::nullopt;
  DialogId id;
  id.call_id = std::string(*call_id);
  id.local_tag = std::string(to_is_local ? to->tag() : from->tag());
  id.remote_tag = std::string(to_is_local ? from->tag() : to->tag());
  return id;
}

}  // namespace

std::optional<DialogId> dialog_id_of_incoming_request(const Message& request) {
  return read_id(request, true);
}

std::optional<DialogId> dialog_id_of_received_response(const Message& response) {
  return read_id(response, false);
}

}  // namespace rtcgate::sip
