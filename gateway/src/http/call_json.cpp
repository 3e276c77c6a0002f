#include "rtcgate/gateway/call_registry.hpp"
#include "rtcgate/gateway/json_writer.hpp"

namespace rtcgate::gateway {
namespace {

void write_leg(JsonWriter& json, const CallLegInfo& leg) {
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

}  // namespace

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
        .field("answered_unix_ms", call.answered_unix_ms)
        .field("transcoding", call.transcoding);
    json.key("legs").begin_array();
    for (const CallLegInfo& leg : call.legs)
      write_leg(json, leg);
    json.end_array();
    json.key("drops").begin_object();
    for (const auto& [reason, count] : call.drops)
      json.field(reason, count);
    json.end_object().end_object();
  }
  json.end_array();
  return json.take();
}

}  // namespace rtcgate::gateway
