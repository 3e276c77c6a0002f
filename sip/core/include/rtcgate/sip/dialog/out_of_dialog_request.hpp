// Requests outside a dialog, as a UAC core builds them (RFC 3261 §8.1.1): the INVITE that starts
// a call, OPTIONS, REGISTER, MESSAGE...
//
// make_out_of_dialog_request() writes Request-URI, To (no tag, §8.1.1.2), From (a fresh tag when
// it has none, §8.1.1.3), Call-ID (fresh when empty, §8.1.1.4), CSeq (§8.1.1.5), Max-Forwards
// (§8.1.1.6), Contact (§8.1.1.8) and, with a pre-existing route set (an outbound proxy, a
// Service-Route), Request-URI and Route per §8.1.2 / §12.2.1.1 (loose and strict routing). No Via:
// the transaction layer adds it with an RFC 3261 branch (§8.1.1.7). Responses are built with
// make_response() (response.hpp, §8.2.6); identifiers with make_tag()/make_branch()/make_call_id()
// (identifiers.hpp). Pure function apart from the random identifiers; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/name_addr.hpp"
#include "rtcgate/sip/uri.hpp"

namespace rtcgate::sip {

struct OutOfDialogRequest {
  std::string method = "INVITE";  // the method token
  Uri request_uri;
  NameAddr from;                    // gets a fresh tag when it has none
  NameAddr to;                      // any tag is removed: a new request has none
  std::string call_id;              // made with make_call_id(call_id_host) when empty
  std::string call_id_host;         // optional "@host" part of a generated Call-ID
  std::uint32_t cseq = 1;           // §8.1.1.5: any value below 2^31
  std::optional<Uri> contact;       // required in INVITE (§8.1.1.8); Contact written when set
  std::vector<NameAddr> route_set;  // pre-existing route set (§8.1.2), first hop first
  std::uint32_t max_forwards = 70;
};

Message make_out_of_dialog_request(const OutOfDialogRequest& spec);

}  // namespace rtcgate::sip
