// INFO within a call (RFC 6086): DTMF bodies (application/dtmf-relay, application/dtmf) are
// relayed to the other leg and its final response is relayed back; trickle ICE (RFC 8840,
// Info-Package: trickle-ice, application/trickle-ice-sdpfrag) from the browser is applied to the
// media session, and our candidates found after the answer go to a browser that takes them (its
// Recv-Info). Methods we do not implement within a dialog get 501 with Allow (RFC 3261 §21.5.2).
#include "rtcgate/gateway/b2bua/b2bua.hpp"

#include "call.hpp"

#include "rtcgate/gateway/media_params.hpp"

#include <rtcgate/sdp/fragment.hpp>
#include <rtcgate/sip/response.hpp>

#include <algorithm>
#include <cctype>
#include <string>

namespace rtcgate::gateway::b2bua {
namespace {

constexpr std::string_view kTricklePackage = "trickle-ice";
constexpr std::string_view kSdpFrag = "application/trickle-ice-sdpfrag";

std::string lower_trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The media type of the body without parameters, lower case.
std::string media_type(const sip::Message& message) {
  auto type = message.content_type();
  if (!type) return {};
  return lower_trimmed(type->substr(0, type->find(';')));
}

// The package name of Info-Package (RFC 6086 §8.2), without parameters, lower case.
std::string info_package(const sip::Message& message) {
  auto package = message.first("Info-Package");
  if (!package) return {};
  return lower_trimmed(package->substr(0, package->find(';')));
}

}  // namespace

bool accepts_trickle_info(const sip::Message& message) {
  for (std::string_view value : message.all("Recv-Info")) {
    while (!value.empty()) {
      auto comma = value.find(',');
      std::string_view item = value.substr(0, comma);
      if (lower_trimmed(item.substr(0, item.find(';'))) == kTricklePackage) return true;
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  return false;
}

void B2bua::refuse_method(sip::TransactionId id, const sip::Message& request) {
  sip::Message response = sip::make_response(request, 501, "Not Implemented");
  response.add("Allow", kAllowedMethods);
  (void)sip_.layer().send_response(id, response);
}

void B2bua::on_info(sip::TransactionId id, const sip::Message& request, Call& call, bool from_web) {
  const std::string type = media_type(request);
  const std::string package = info_package(request);
  if (package == kTricklePackage || type == kSdpFrag) {
    // RFC 8840 is between the browser and us; the PBX's leg has no ICE.
    if (!from_web) return respond(id, request, 469, "trickle-ice is for the web leg");
    if (type != kSdpFrag)
      return respond(id, request, 415, "trickle-ice needs application/trickle-ice-sdpfrag");
    auto fragment = sdp::parse_fragment(request.body());
    if (!fragment) return respond(id, request, 400, "malformed sdpfrag: " + fragment.error().reason);
    if (!call.web.media || !call.web.media->ice) return respond(id, request, 200);
    std::size_t applied = 0;
    bool end = fragment->end_of_candidates;
    const sdp::IceCredentials& current = call.web.media->ice->credentials;
    bool stale = fragment->credentials && *fragment->credentials != current;
    for (const sdp::FragmentMedia& m : fragment->media) {
      // RFC 8840 §4.5: candidates of another ICE generation (older ufrag) are dropped.
      if (stale || (m.credentials && *m.credentials != current)) {
        stale = true;
        continue;
      }
      end = end || m.end_of_candidates;
      for (const sdp::Candidate& candidate : m.candidates) {
        if (applied >= kMaxRemoteCandidates) break;
        if (auto usable = to_media(candidate)) {
          media_.add_remote_candidate(call.session, *usable);
          ++applied;
        }
      }
    }
    if (end && !stale) media_.end_of_remote_candidates(call.session);
    log_call("call.trickle_in", call, {{"candidates", applied}, {"end", end}, {"stale", stale}});
    return respond(id, request, 200);
  }
  if (type == "application/dtmf-relay" || type == "application/dtmf") {
    sip::Dialog* other = from_web ? (call.legacy.dialog ? &*call.legacy.dialog : nullptr)
                                  : (call.web.dialog ? &*call.web.dialog : nullptr);
    if (!other || call.state != CallState::Active)
      return respond(id, request, 481, "the other leg is not up");
    sip::Message info = other->make_request(sip::Method::Info);
    info.set_body(std::string(request.body()), *request.content_type());
    log_call("call.dtmf_info", call, {{"from", from_web ? "web" : "pbx"}, {"type", type}});
    auto txn = send_request(call, std::move(info), from_web ? legacy_target(call) : web_destination(call),
                            Purpose::MidCallInfo);
    if (!txn) return respond(id, request, 503, "the other leg cannot be reached");
    call.mid.infos[static_cast<std::uint64_t>(*txn)] = RelayedInfo{id, request};
    return;
  }
  if (request.body().empty()) return respond(id, request, 200);  // no package: a keep-alive
  if (!package.empty()) return respond(id, request, 469, "unknown Info-Package");
  sip::Message response = sip::make_response(request, 415, "Unsupported Media Type");
  response.add("Accept", "application/dtmf-relay, application/dtmf, application/trickle-ice-sdpfrag");
  (void)sip_.layer().send_response(id, response);
}

void B2bua::on_info_response(Call& call, sip::TransactionId id, int status) {
  if (status < 200) return;
  auto it = call.mid.infos.find(static_cast<std::uint64_t>(id));
  if (it == call.mid.infos.end()) return;
  RelayedInfo relayed = std::move(it->second);
  call.mid.infos.erase(it);
  respond(relayed.server_txn, relayed.request, status);
}

void B2bua::trickle_to_web(Call& call) {
  if (!call.mid.web_trickle || !call.web.dialog || !call.web.media || call.state == CallState::Ending) return;
  const bool end = call.local.gathering_done;
  if (call.mid.trickled >= call.local.candidates.size() && !end) return;
  sdp::SdpFragment fragment;
  fragment.credentials = to_sdp(call.local.credentials);
  sdp::FragmentMedia m;
  if (call.web.media->codec) m.formats.push_back(std::to_string(call.web.media->codec->local_payload_type));
  m.mid = call.web.media->mid;
  for (std::size_t i = call.mid.trickled; i < call.local.candidates.size(); ++i)
    m.candidates.push_back(to_sdp(call.local.candidates[i]));
  m.end_of_candidates = end;
  fragment.media.push_back(std::move(m));
  sip::Message info = call.web.dialog->make_request(sip::Method::Info);
  info.add("Info-Package", kTricklePackage);
  info.add("Content-Disposition", "Info-Package");
  info.set_body(sdp::write(fragment), kSdpFrag);
  log_call("call.trickle_out", call,
           {{"candidates", call.local.candidates.size() - call.mid.trickled}, {"end", end}});
  call.mid.trickled = call.local.candidates.size();
  (void)send_request(call, std::move(info), web_destination(call), Purpose::Other);
}

}  // namespace rtcgate::gateway::b2bua
