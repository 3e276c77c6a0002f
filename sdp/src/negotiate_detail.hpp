// Building blocks shared by answer_offer, process_answer and create_offer (internal header).
// Each reads one aspect of a remote m= section into NegotiatedMedia or says why it cannot.
#pragma once

#include <optional>
#include <vector>

#include <rtcgate/sdp/negotiate.hpp>

namespace rtcgate::sdp::detail {

/// One format of a remote m= line with its rtpmap (explicit or RFC 3551 static) and fmtp.
struct RemoteFormat {
  Rtpmap rtpmap;
  std::vector<FmtpParam> fmtp;
};

/// Formats in m= order; formats without a known rtpmap are skipped.
std::vector<RemoteFormat> remote_formats(const MediaDescription& m);

/// Whether `proto` is spoken on `leg` with `policy`, and with which security.
std::optional<Security> security_for_proto(const LocalPolicy& policy, std::string_view proto);

/// Remote RTP/RTCP endpoints, rtcp-mux/rsize, direction and hold (RFC 3264 §8.4, RFC 3605).
void read_transport(const SessionDescription& d, const MediaDescription& m, NegotiatedMedia& out);

/// ICE credentials/candidates and DTLS fingerprint/setup. `bundle_tag` is the m= section whose
/// transport a bundled line shares (RFC 9143 §7.3.1), or nullptr.
RejectReason read_ice_dtls(const SessionDescription& d, const MediaDescription& m,
                           const MediaDescription* bundle_tag, NegotiatedMedia& out);

/// The remote's a=crypto lines, parseable ones only, in order.
std::vector<Crypto> remote_cryptos(const MediaDescription& m);

/// The BUNDLE group (RFC 9143) containing `mid`, if any.
std::vector<std::string> bundle_group_of(const SessionDescription& d, const std::string& mid);
/// The m= section whose mid is the first of `group`, or nullptr.
const MediaDescription* find_by_mid(const SessionDescription& d, const std::string& mid);

NegotiatedCodec negotiated(const RemoteFormat& f, std::uint8_t local_pt);

/// MissingLocalParams when the policy lacks what its leg needs.
std::expected<void, NegotiationError> check_local_policy(const LocalPolicy& p);

/// a=ptime / a=maxptime of the section (0 when absent or malformed).
std::uint32_t ptime_of(const MediaDescription& m, std::string_view name);

}  // namespace rtcgate::sdp::detail
