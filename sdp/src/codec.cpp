#include <rtcgate/sdp/codec.hpp>

#include "text.hpp"

namespace rtcgate::sdp {

bool is_telephone_event(std::string_view name) {
  return detail::iequals(name, "telephone-event");
}

bool is_auxiliary(std::string_view name) {
  return is_telephone_event(name) || detail::iequals(name, "CN") || detail::iequals(name, "red") ||
         detail::iequals(name, "rtx") || detail::iequals(name, "ulpfec");
}

bool matches(const Codec& codec, const Rtpmap& format) {
  return detail::iequals(codec.name, format.encoding) && codec.clock_rate == format.clock_rate &&
         codec.channels == format.channels.value_or(1);
}

Codec opus_codec() {
  return {"opus", 48000, 2, {{"minptime", "10"}, {"useinbandfec", "1"}}, 111};
}
Codec pcmu_codec() {
  return {"PCMU", 8000, 1, {}, 0};
}
Codec pcma_codec() {
  return {"PCMA", 8000, 1, {}, 8};
}
Codec g722_codec() {
  return {"G722", 8000, 1, {}, 9};
}

Codec telephone_event_codec(std::uint32_t clock_rate) {
  return {"telephone-event", clock_rate, 1, {{"0-15", std::nullopt}}, std::nullopt};
}

std::optional<Codec> codec_by_name(std::string_view name) {
  for (const Codec& c : {opus_codec(), pcmu_codec(), pcma_codec(), g722_codec()}) {
    if (detail::iequals(c.name, name)) return c;
  }
  return std::nullopt;
}

}  // namespace rtcgate::sdp
