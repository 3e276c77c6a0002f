#include "rtcgate/media/codec/opus_decoder.hpp"

#include <opus/opus.h>

namespace rtcgate::media {
namespace {

const unsigned char* bytes(std::span<const std::byte> packet) noexcept {
  return reinterpret_cast<const unsigned char*>(packet.data());
}

int frame_limit(std::span<std::int16_t> pcm, std::size_t samples) noexcept {
  return static_cast<int>(samples < pcm.size() ? samples : pcm.size());
}

}  // namespace

void OpusDecoder8k::Free::operator()(::OpusDecoder* decoder) const noexcept {
  opus_decoder_destroy(decoder);
}

std::expected<OpusDecoder8k, std::string> OpusDecoder8k::create() {
  int error = OPUS_OK;
  ::OpusDecoder* decoder = opus_decoder_create(kSampleRate, 1, &error);
  if (decoder == nullptr || error != OPUS_OK) return std::unexpected(std::string(opus_strerror(error)));
  return OpusDecoder8k(decoder);
}

int OpusDecoder8k::packet_samples(std::span<const std::byte> packet) noexcept {
  if (packet.empty()) return OPUS_INVALID_PACKET;
  return opus_packet_get_nb_samples(bytes(packet), static_cast<opus_int32>(packet.size()), kSampleRate);
}

int OpusDecoder8k::decode(std::span<const std::byte> packet, std::span<std::int16_t> pcm) noexcept {
  if (packet.empty()) return OPUS_INVALID_PACKET;
  return opus_decode(decoder_.get(), bytes(packet), static_cast<opus_int32>(packet.size()), pcm.data(),
                     frame_limit(pcm, pcm.size()), 0);
}

int OpusDecoder8k::conceal(std::span<std::int16_t> pcm, std::size_t samples) noexcept {
  return opus_decode(decoder_.get(), nullptr, 0, pcm.data(), frame_limit(pcm, samples), 0);
}

int OpusDecoder8k::recover(std::span<const std::byte> next_packet, std::span<std::int16_t> pcm,
                           std::size_t samples) noexcept {
  if (next_packet.empty()) return conceal(pcm, samples);
  return opus_decode(decoder_.get(), bytes(next_packet), static_cast<opus_int32>(next_packet.size()),
                     pcm.data(), frame_limit(pcm, samples), 1);
}

}  // namespace rtcgate::media
