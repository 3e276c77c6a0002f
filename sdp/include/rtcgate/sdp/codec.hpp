// rtcgate::sdp::Codec — one RTP payload format as local policy names it, and the matching rules
// offer/answer uses. Names compare case-insensitively (RFC 8866 §6.6); a codec matches an offered
// format when name, clock rate and channel count agree (RFC 3264 §6.1: fmtp is carried, not
// matched, except that telephone-event pairs by clock rate with the chosen codec, RFC 4733 §2.5.1).
// Value types; no thread affinity. Clock rates in Hz.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rtcgate/sdp/attributes/fmtp.hpp>
#include <rtcgate/sdp/attributes/rtpmap.hpp>

namespace rtcgate::sdp {

struct Codec {
  std::string name;  // "opus", "PCMU", "PCMA", "G722", "telephone-event"
  std::uint32_t clock_rate = 8000;
  std::uint16_t channels = 1;
  std::vector<FmtpParam> fmtp;  // written in our a=fmtp for this codec
  /// Payload type to use when we offer. Unset: the RFC 3551 static type if there is one, else
  /// the next free dynamic type (96-127).
  std::optional<std::uint8_t> payload_type;
  bool operator==(const Codec&) const = default;
};

bool is_telephone_event(std::string_view name);
/// Comfort noise and telephone-event are never "the" codec of a stream.
bool is_auxiliary(std::string_view name);
bool matches(const Codec& codec, const Rtpmap& format);

/// Opus 48000/2 with minptime=10;useinbandfec=1 (what browsers offer, RFC 7587 §7).
Codec opus_codec();
Codec pcmu_codec();
Codec pcma_codec();
Codec g722_codec();
/// telephone-event/<clock> with events 0-15 (RFC 4733 §2.4.1).
Codec telephone_event_codec(std::uint32_t clock_rate);
/// Looks a codec up by a policy name ("PCMU", "pcma", "opus", "G722"); nullopt when unknown.
std::optional<Codec> codec_by_name(std::string_view name);

}  // namespace rtcgate::sdp
