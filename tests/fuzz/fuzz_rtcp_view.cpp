// Property fuzzing of RtcpCompound and rewrite_rtcp_ssrcs (RFC 3550 §6, RFC 4585 §6.1): parsing never
// crashes; the packets of an accepted compound tile it exactly; an identity SSRC mapping changes no
// byte; any mapping keeps the compound valid with the same packet layout.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "rtcgate/media/rtp/rtcp_view.hpp"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rtcgate::media;
  std::vector<std::byte> bytes(size);
  if (size > 0) std::memcpy(bytes.data(), data, size);
  auto compound = RtcpCompound::parse(bytes);
  if (!compound) return 0;
  std::size_t total = 0;
  std::uint32_t first_sender = 0;
  std::uint32_t first_media = 0;
  compound->for_each([&](const RtcpPacket& packet) {
    check(packet.offset() == total);
    total += packet.size();
    if (first_sender == 0) first_sender = packet.sender_ssrc();
    for (std::size_t i = 0; i < packet.count(); ++i) {
      const auto block = packet.report_block(i);
      if (first_media == 0) first_media = block.ssrc;
    }
    (void)packet.sender_info();
    (void)packet.media_ssrc();
    (void)packet.feedback_control_information();
  });
  check(total == size);

  std::vector<std::byte> copy = bytes;
  auto same = rewrite_rtcp_ssrcs(copy, {first_sender, first_sender}, {first_media, first_media});
  check(same.has_value());
  check(copy == bytes);

  auto changed = rewrite_rtcp_ssrcs(copy, {first_sender, first_sender ^ 0x5a5a5a5aU}, {first_media, 7});
  check(changed.has_value());
  auto again = RtcpCompound::parse(copy);
  check(again.has_value());
  check(again->packet_count() == compound->packet_count());
  return 0;
}
