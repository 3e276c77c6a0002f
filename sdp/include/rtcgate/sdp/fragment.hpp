// rtcgate::sdp::SdpFragment — the application/trickle-ice-sdpfrag body of RFC 8840 §9 (the body
// of a SIP INFO with Info-Package: trickle-ice, RFC 8840 §5):
//   sdpfrag = *(session-level ice attributes) 1*(m= line with a=mid, a=candidate, a=end-of-candidates)
// Session-level lines are a=ice-ufrag, a=ice-pwd, a=ice-options (and a=group:BUNDLE); each m=
// line identifies its section by a=mid (RFC 8840 §9). Unknown attributes are kept in order.
// Parsing never throws and enforces the same Limits as parse(). Writes CRLF.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rtcgate/sdp/attributes/candidate.hpp>
#include <rtcgate/sdp/attributes/ice.hpp>
#include <rtcgate/sdp/parse_error.hpp>
#include <rtcgate/sdp/session_description.hpp>

namespace rtcgate::sdp {

struct FragmentMedia {
  std::string media = "audio";
  std::uint16_t port = 9;
  std::string proto = "UDP/TLS/RTP/SAVPF";
  std::vector<std::string> formats;
  std::optional<std::string> mid;
  std::optional<IceCredentials> credentials;  // media-level ice-ufrag/ice-pwd, if any
  std::vector<Candidate> candidates;
  bool end_of_candidates = false;
  std::vector<Attribute> other;  // any other a= lines, in order
  bool operator==(const FragmentMedia&) const = default;
};

struct SdpFragment {
  std::optional<IceCredentials> credentials;
  std::vector<std::string> ice_options;
  bool end_of_candidates = false;  // session-level a=end-of-candidates
  std::vector<Attribute> other;    // any other session-level a= lines, in order
  std::vector<FragmentMedia> media;
  bool operator==(const SdpFragment&) const = default;
};

std::expected<SdpFragment, ParseError> parse_fragment(std::string_view text, const Limits& limits = {});
std::string write(const SdpFragment& fragment);

}  // namespace rtcgate::sdp
