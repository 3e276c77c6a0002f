// Fuzzing of the web leg's RTP/RTCP steps on hostile datagrams, as the relay runs them in place in a
// pool buffer: classify (RFC 7983) -> SrtpInbound::unprotect_rtp/_rtcp (libsrtp2 parses the header
// before authenticating) -> RtpView / rewrite_rtcp_ssrcs -> RtpWriter. Nothing may crash or read
// outside the buffer, and a successful unprotect only shrinks the packet.
// Round-trip property: a datagram that is valid plain RTP (or a valid RTCP compound) protected by
// SrtpOutbound and unprotected by SrtpInbound with the same key comes back byte for byte.
//
// Input: one selector byte (bits 0-1: SRTP profile), then the datagram. The keys are fixed, so seeds
// in tests/media/corpus/srtp include packets that authenticate and reach the inner steps.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "rtcgate/media/packet/classify.hpp"
#include "rtcgate/media/packet/packet_buffer.hpp"
#include "rtcgate/media/rtp/rtcp_view.hpp"
#include "rtcgate/media/rtp/rtp_view.hpp"
#include "rtcgate/media/rtp/rtp_writer.hpp"
#include "rtcgate/media/srtp/srtp_session.hpp"

namespace {

using namespace rtcgate::media;

void check(bool condition) {
  if (!condition) std::abort();
}

// The same derivation as the seed generator's: material[i] = 0x30 + 7 * i.
SrtpMasterKey fixed_key(SrtpProfile profile) {
  std::array<std::byte, SrtpMasterKey::kMaxLength> material{};
  for (std::size_t i = 0; i < material.size(); ++i)
    material[i] = static_cast<std::byte>(0x30 + 7 * i);
  auto key =
      SrtpMasterKey::from_concatenated(profile, std::span(material).first(srtp_master_length(profile)));
  check(key.has_value());
  return *key;
}

// Unprotect in place and run what the relay runs on the result.
void receive(const SrtpMasterKey& key, std::span<const std::byte> datagram) {
  auto inbound = SrtpInbound::create(key);
  check(inbound.has_value());
  PacketBuffer packet;
  if (!packet.assign(datagram)) return;
  const std::size_t before = packet.size();
  switch (classify(packet.data())) {
    case PacketKind::Rtp:
      if (inbound->unprotect_rtp(packet) != SrtpStatus::Ok) return;
      check(packet.size() <= before);
      if (auto view = RtpView::parse(packet.data()); view) {
        (void)view->payload();
        auto writer = RtpWriter::wrap(packet.data());
        check(writer.has_value());
        writer->set_ssrc(0x0badcafe);
        writer->set_sequence(static_cast<std::uint16_t>(writer->sequence() + 1000));
        check(RtpView::parse(packet.data()).has_value());
      }
      return;
    case PacketKind::Rtcp:
      if (inbound->unprotect_rtcp(packet) != SrtpStatus::Ok) return;
      check(packet.size() <= before);
      (void)rewrite_rtcp_ssrcs(packet.data(), {0x11223344, 0x0badcafe}, {0x600dbeef, 0x55667788});
      return;
    default:
      return;
  }
}

// protect then unprotect with the same key must give back the original bytes.
void round_trip(const SrtpMasterKey& key, std::span<const std::byte> datagram) {
  const bool rtp = RtpView::parse(datagram).has_value();
  const bool rtcp = !rtp && RtcpCompound::parse(datagram).has_value();
  if (!rtp && !rtcp) return;
  PacketBuffer packet;
  if (!packet.assign(datagram) || packet.tailroom() < kSrtpMaxTrailer) return;
  auto outbound = SrtpOutbound::create(key);
  auto inbound = SrtpInbound::create(key);
  check(outbound.has_value() && inbound.has_value());
  const SrtpStatus sealed = rtp ? outbound->protect_rtp(packet) : outbound->protect_rtcp(packet);
  if (sealed != SrtpStatus::Ok) return;  // e.g. libsrtp2's own header limits
  check(packet.size() > datagram.size());
  const SrtpStatus opened = rtp ? inbound->unprotect_rtp(packet) : inbound->unprotect_rtcp(packet);
  check(opened == SrtpStatus::Ok);
  check(packet.size() == datagram.size());
  check(std::memcmp(packet.data().data(), datagram.data(), datagram.size()) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  check(srtp_library_initialise() == SrtpStatus::Ok);
  const SrtpProfile profile = kSrtpProfilesByPreference[data[0] & 3U];
  const SrtpMasterKey key = fixed_key(profile);
  const auto datagram = std::as_bytes(std::span(data + 1, size - 1));
  receive(key, datagram);
  round_trip(key, datagram);
  return 0;
}
