// Fuzzing of the RFC 7983 demultiplexer: classify() never crashes, agrees with the first-byte table,
// and a datagram it calls RTP or RTCP starts with version 2; the RTP/RTCP views never crash on what
// it routes to them.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "rtcgate/media/packet/classify.hpp"
#include "rtcgate/media/packet/packet_buffer.hpp"
#include "rtcgate/media/rtp/rtcp_view.hpp"
#include "rtcgate/media/rtp/rtp_view.hpp"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rtcgate::media;
  std::vector<std::byte> bytes(size);
  if (size > 0) std::memcpy(bytes.data(), data, size);
  const PacketKind kind = classify(bytes);
  check(kind == classify(bytes));
  if (size == 0) {
    check(kind == PacketKind::Unknown);
    return 0;
  }
  const std::uint8_t first = data[0];
  switch (kind) {
    case PacketKind::Stun:
      check(first <= 3 && size >= 20);
      break;
    case PacketKind::Dtls:
      check(first >= 20 && first <= 63 && size >= 13);
      break;
    case PacketKind::TurnChannel:
      check(first >= 64 && first <= 79 && size >= 4);
      break;
    case PacketKind::Rtp:
      check(first >= 128 && first <= 191 && size >= 12);
      (void)RtpView::parse(bytes);
      break;
    case PacketKind::Rtcp:
      check(first >= 128 && first <= 191 && size >= 8);
      (void)RtcpCompound::parse(bytes);
      break;
    case PacketKind::Unknown:
      break;
  }
  PacketBuffer buffer;
  if (buffer.assign(bytes)) check(classify(buffer.data()) == kind);
  return 0;
}
