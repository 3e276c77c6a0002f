// Fuzzes the RFC 8840 trickle-ice-sdpfrag parser with a round-trip property: whatever
// parse_fragment() accepts writes back to text that parses to an equal fragment, and writing that
// again gives the same bytes. Every candidate it holds also round-trips on its own.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <rtcgate/sdp/attributes/candidate.hpp>
#include <rtcgate/sdp/fragment.hpp>

namespace {

using namespace rtcgate::sdp;

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto fragment = parse_fragment(text);
  if (!fragment) {
    check(fragment.error().line <= size + 1);
    return 0;
  }
  const std::string written = write(*fragment);
  const auto again = parse_fragment(written);
  check(again.has_value());
  check(*again == *fragment);
  check(write(*again) == written);
  for (const auto& m : fragment->media) {
    for (const auto& c : m.candidates) {
      const auto candidate = parse_candidate(to_value(c));
      check(candidate.has_value() && *candidate == c);
    }
  }
  return 0;
}
