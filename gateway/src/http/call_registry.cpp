#include "rtcgate/gateway/call_registry.hpp"

#include "rtcgate/gateway/json_writer.hpp"

namespace rtcgate::gateway {

void InMemoryCallRegistry::upsert(CallInfo call) {
  std::string id = call.id;
  calls_.insert_or_assign(std::move(id), std::move(call));
}

bool InMemoryCallRegistry::remove(const std::string& id) {
  return calls_.erase(id) > 0;
}

std::vector<CallInfo> InMemoryCallRegistry::calls() const {
  std::vector<CallInfo> out;
  out.reserve(calls_.size());
  for (const auto& [id, call] : calls_)
    out.push_back(call);
  return out;
}

std::string calls_to_json(std::span<const CallInfo> calls) {
  JsonWriter json;
  json.begin_array();
  for (const CallInfo& call : calls) {
    json.begin_object()
        .field("id", call.id)
        .field("state", call.state)
        .field("from", call.from)
        .field("to", call.to)
        .field("started_unix_ms", call.started_unix_ms)
        .field("transcoding", call.transcoding);
    json.key("legs").begin_array();
    for (const CallLegInfo& leg : call.legs) {
      json.begin_object()
          .field("kind", leg.kind)
          .field("sip_call_id", leg.sip_call_id)
          .field("remote_uri", leg.remote_uri)
          .field("transport", leg.transport)
          .field("codec", leg.codec)
          .field("ice_state", leg.ice_state)
          .field("dtls_state", leg.dtls_state)
          .field("packets_sent", leg.packets_sent)
          .field("packets_received", leg.packets_received)
          .field("packets_lost", leg.packets_lost)
          .field("jitter_ms", leg.jitter_ms)
          .end_object();
    }
    json.end_array().end_object();
  }
  json.end_array();
  return json.take();
}

}  // namespace rtcgate::gateway
