// DialogId: the identity of a dialog, Call-ID + local tag + remote tag (RFC 3261 §12).
//
// The same dialog has mirrored ids at its two ends: the UAC's local tag is the From tag, the UAS's
// local tag is the To tag. The functions below read an id from a message from one side's point of
// view, which is how an incoming message is matched to the dialog it belongs to (§12.2.2 for
// requests: Call-ID, To tag = local, From tag = remote; §12.1.2 for responses the UAC receives:
// From tag = local, To tag = remote). Tags compare case-sensitively (§19.3: they are tokens
// compared as strings; RFC 3261 does not make them case-insensitive). Value type; no thread affinity.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "rtcgate/sip/message.hpp"

namespace rtcgate::sip {

struct DialogId {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;

  friend bool operator==(const DialogId&, const DialogId&) = default;
};

struct DialogIdHash {
  std::size_t operator()(const DialogId& id) const;
};

// The id of the dialog an incoming request belongs to (we are the UAS of that request): To tag
// local, From tag remote. nullopt when the request has no To tag (it is outside any dialog) or no
// Call-ID/From.
std::optional<DialogId> dialog_id_of_incoming_request(const Message& request);

// The id of the dialog a response we receive establishes or belongs to (we are the UAC): From tag
// local, To tag remote. nullopt when the To has no tag (a 100 Trying, a stateless proxy's answer).
std::optional<DialogId> dialog_id_of_received_response(const Message& response);

}  // namespace rtcgate::sip
