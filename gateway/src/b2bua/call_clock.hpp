// Small values the call records share (internal header of the B2BUA).
#pragma once

#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sip/flow.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace rtcgate::gateway::b2bua {

// Wall-clock milliseconds for /api/calls; durations use the steady clock instead.
inline std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "udp", "tcp", "ws", ... as /api/calls shows a leg's transport.
inline std::string transport_name(sip::TransportKind kind) {
  std::string name(sip::via_token(kind));
  for (char& c : name)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return name;
}

// "PCMU/8000", "opus/48000", ... as /api/calls shows a leg's codec.
inline std::string codec_label(const sdp::NegotiatedCodec& codec) {
  return codec.name + "/" + std::to_string(codec.clock_rate);
}

}  // namespace rtcgate::gateway::b2bua
