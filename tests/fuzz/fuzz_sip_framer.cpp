// Fuzzes StreamFramer with a chunking property: feeding the stream in pieces (sizes drawn from the
// first bytes of the input) must produce exactly the frames (messages and pings) and the final state
// (waiting or failed, with the same error code) of feeding it at once. Every frame respects the
// limits and goes through parse_message with require_content_length (which must never crash).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/stream_framer.hpp"

namespace {

using namespace rtcgate::sip;

void check(bool condition) {
  if (!condition) std::abort();
}

// Small limits so that the fuzzer reaches them.
constexpr FramerLimits kLimits{1024, 512};

struct Outcome {
  std::vector<std::string> frames;  // message bytes, or "" for a ping
  std::optional<ParseErrorCode> error;
};

void drain(StreamFramer& framer, Outcome& out) {
  while (!out.error) {
    const StreamFramer::Frame f = framer.next();
    if (f == StreamFramer::Frame::NeedMore) return;
    if (f == StreamFramer::Frame::Error) {
      check(framer.error().has_value());
      out.error = framer.error()->code;
      return;
    }
    if (f == StreamFramer::Frame::Ping) {
      out.frames.emplace_back();
      continue;
    }
    const std::string_view m = framer.message();
    check(!m.empty() && m.size() <= kLimits.max_header_block + kLimits.max_body);
    out.frames.emplace_back(m);
  }
}

Outcome frame(std::string_view stream, std::uint32_t seed) {
  StreamFramer framer(kLimits);
  Outcome out;
  std::size_t at = 0;
  while (at < stream.size()) {
    std::size_t n = stream.size() - at;
    if (seed != 0) {
      seed = seed * 1103515245u + 12345u;
      n = std::min<std::size_t>(n, 1 + (seed >> 16) % 97);
    }
    framer.feed(stream.substr(at, n));
    at += n;
    drain(framer, out);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::uint32_t seed = (std::uint32_t{data[0]} | std::uint32_t{data[1]} << 8 |
                              std::uint32_t{data[2]} << 16 | std::uint32_t{data[3]} << 24) |
                             1u;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 4, size - 4);
  const Outcome whole = frame(stream, 0);
  const Outcome pieces = frame(stream, seed);
  check(whole.frames == pieces.frames);
  check(whole.error == pieces.error);
  ParseLimits limits;
  limits.require_content_length = true;
  for (const std::string& m : whole.frames) {
    if (!m.empty()) (void)parse_message(m, limits);
  }
  return 0;
}
