// G.711 mu-law (PCMU, ITU-T G.711 §A.2 / RFC 3551 §4.5.14) for the built-in test endpoint's tone
// and for tests that check what it sends, computed by media/'s table-driven G.711
// (rtcgate/media/codec/g711.hpp). Pure functions; no thread affinity.
#pragma once

#include <cstdint>

namespace rtcgate::gateway::test_endpoint {

// A 16-bit linear sample to its mu-law byte (the 14-bit G.711 range; louder samples clip).
std::uint8_t ulaw_encode(std::int16_t sample);
// A mu-law byte to its 16-bit linear value (±32124 at full scale).
std::int16_t ulaw_decode(std::uint8_t code);

}  // namespace rtcgate::gateway::test_endpoint
