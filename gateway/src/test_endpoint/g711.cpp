#include "rtcgate/gateway/test_endpoint/g711.hpp"

#include <rtcgate/media/codec/g711.hpp>

// The test endpoint speaks the same G.711 as the transcoder: media/'s table-driven reference one.
namespace rtcgate::gateway::test_endpoint {

std::uint8_t ulaw_encode(std::int16_t sample) {
  return media::g711::ulaw_encode(sample);
}

std::int16_t ulaw_decode(std::uint8_t code) {
  return media::g711::ulaw_decode(code);
}

}  // namespace rtcgate::gateway::test_endpoint
