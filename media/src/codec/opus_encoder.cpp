#include "rtcgate/media/codec/opus_encoder.hpp"

#include <opus/opus.h>

namespace rtcgate::media {

void OpusEncoder8k::Free::operator()(::OpusEncoder* encoder) const noexcept {
  opus_encoder_destroy(encoder);
}

std::expected<OpusEncoder8k, std::string> OpusEncoder8k::create(int complexity) {
  if (complexity < 0 || complexity > 10) return std::unexpected(std::string("opus complexity must be 0-10"));
  int error = OPUS_OK;
  ::OpusEncoder* raw = opus_encoder_create(kSampleRate, 1, OPUS_APPLICATION_VOIP, &error);
  if (raw == nullptr || error != OPUS_OK) return std::unexpected(std::string(opus_strerror(error)));
  OpusEncoder8k encoder(raw);
  // In-band FEC only takes effect with a non-zero expected loss (LIMITS.md §4.3); 10 % makes SILK
  // add LBRR data for the browser's decoder at almost no cost here (LIMITS.md §4.2).
  if (opus_encoder_ctl(raw, OPUS_SET_COMPLEXITY(complexity)) != OPUS_OK ||
      opus_encoder_ctl(raw, OPUS_SET_INBAND_FEC(1)) != OPUS_OK ||
      opus_encoder_ctl(raw, OPUS_SET_PACKET_LOSS_PERC(10)) != OPUS_OK ||
      opus_encoder_ctl(raw, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)) != OPUS_OK) {
    return std::unexpected(std::string("opus encoder settings refused"));
  }
  return encoder;
}

int OpusEncoder8k::encode(std::span<const std::int16_t> pcm, std::span<std::byte> out) noexcept {
  const std::size_t room = out.size() < kMaxPacketBytes ? out.size() : kMaxPacketBytes;
  return opus_encode(encoder_.get(), pcm.data(), static_cast<int>(pcm.size()),
                     reinterpret_cast<unsigned char*>(out.data()), static_cast<opus_int32>(room));
}

}  // namespace rtcgate::media
