// Fuzzes the RFC 8866 parser with round-trip properties (pion's FuzzUnmarshal):
//  * whatever parse() accepts, write() turns into text that parses back to an equal description,
//    and writing that again gives the same bytes;
//  * every typed attribute value that parses writes back to a value that parses equal;
//  * offer/answer on both legs never fails on a parsed description in a way that crashes, and any
//    answer or bridge offer it produces is itself a description we parse back unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <rtcgate/sdp/attributes/candidate.hpp>
#include <rtcgate/sdp/attributes/crypto.hpp>
#include <rtcgate/sdp/attributes/extmap.hpp>
#include <rtcgate/sdp/attributes/fingerprint.hpp>
#include <rtcgate/sdp/attributes/fmtp.hpp>
#include <rtcgate/sdp/attributes/group.hpp>
#include <rtcgate/sdp/attributes/msid.hpp>
#include <rtcgate/sdp/attributes/rtcp.hpp>
#include <rtcgate/sdp/attributes/rtcp_fb.hpp>
#include <rtcgate/sdp/attributes/rtpmap.hpp>
#include <rtcgate/sdp/attributes/ssrc.hpp>
#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sdp/writer.hpp>

namespace {

using namespace rtcgate::sdp;

void check(bool condition) {
  if (!condition) std::abort();
}

template <typename Parse>
void typed_round_trip(Parse parse_value, std::string_view value) {
  const auto first = parse_value(value);
  if (!first) return;
  const auto second = parse_value(to_value(*first));
  check(second.has_value());
  check(*second == *first);
}

void typed_attribute(const Attribute& a) {
  const std::string_view n = a.name;
  if (!a.value) return;
  const std::string_view v = *a.value;
  if (n == "candidate") typed_round_trip(parse_candidate, v);
  if (n == "crypto") typed_round_trip(parse_crypto, v);
  if (n == "extmap") typed_round_trip(parse_extmap, v);
  if (n == "fingerprint") typed_round_trip(parse_fingerprint, v);
  if (n == "fmtp") typed_round_trip(parse_fmtp, v);
  if (n == "group") typed_round_trip(parse_group, v);
  if (n == "msid") typed_round_trip(parse_msid, v);
  if (n == "rtcp") typed_round_trip(parse_rtcp, v);
  if (n == "rtcp-fb") typed_round_trip(parse_rtcp_fb, v);
  if (n == "rtpmap") typed_round_trip(parse_rtpmap, v);
  if (n == "ssrc") typed_round_trip(parse_ssrc, v);
  if (n == "ssrc-group") typed_round_trip(parse_ssrc_group, v);
}

void stable(const SessionDescription& d) {
  const std::string written = write(d);
  const auto again = parse(written);
  check(again.has_value());
  check(*again == d);
  check(write(*again) == written);
}

LocalPolicy policy_for(Leg leg) {
  LocalPolicy p;
  p.leg = leg;
  p.session.address = leg == Leg::WebRtc ? "192.0.2.10" : "2001:db8::20";
  p.port = 40000;
  p.codecs = {opus_codec(), pcmu_codec(), pcma_codec()};
  p.media_types = {"audio", "video"};
  p.max_streams = 2;
  if (leg == Leg::WebRtc) {
    p.ice = IceCredentials{"gAtE", "rtcgateicepassword0123"};
    p.fingerprint = Fingerprint{HashFunction::Sha256, std::vector<std::uint8_t>(32, 0x5A)};
  } else {
    p.sdes = {
        Crypto{1, "AES_CM_128_HMAC_SHA1_80", {CryptoKey{std::vector<std::uint8_t>(30, 1), {}, {}, {}}}, {}}};
  }
  return p;
}

void negotiate(const SessionDescription& offer) {
  for (Leg leg : {Leg::WebRtc, Leg::Legacy}) {
    const LocalPolicy policy = policy_for(leg);
    if (auto answer = answer_offer(policy, offer)) {
      check(answer->media.size() == offer.media.size());
      stable(answer->description);
      for (const auto& m : answer->media)
        (void)describe(m);
    }
    if (auto bridged = bridge_offer(policy, offer)) stable(*bridged);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto description = parse(text);
  if (!description) {
    check(description.error().line <= size + 1);
    return 0;
  }
  stable(*description);
  for (const auto& a : description->attributes.items)
    typed_attribute(a);
  for (const auto& m : description->media) {
    for (const auto& a : m.attributes.items)
      typed_attribute(a);
  }
  negotiate(*description);
  return 0;
}
