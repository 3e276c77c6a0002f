// SIP request methods (RFC 3261 §7.1 plus the common extensions).
//
// Method names are case-sensitive (RFC 3261 §7.1): "invite" is an extension method, not INVITE.
// Unknown tokens map to Method::Extension and callers keep the original token next to it (see
// Message::method_token(), CSeq::method_token). Value types; no thread affinity.
#pragma once

#include <cstdint>
#include <string_view>

namespace rtcgate::sip {

enum class Method : std::uint8_t {
  Invite,
  Ack,
  Bye,
  Cancel,
  Options,
  Register,
  Prack,      // RFC 3262
  Subscribe,  // RFC 6665
  Notify,     // RFC 6665
  Publish,    // RFC 3903
  Info,       // RFC 6086
  Refer,      // RFC 3515
  Message,    // RFC 3428
  Update,     // RFC 3311
  Extension,  // any other token; see the accompanying token string
};

// The method for an exact (case-sensitive) token; Method::Extension for anything else.
Method method_from_token(std::string_view token);

// The canonical token ("INVITE", ...); "" for Method::Extension.
std::string_view to_string(Method method);

// True when `text` is a non-empty RFC 3261 token (§25.1: alphanum / "-.!%*_+`'~").
bool is_token(std::string_view text);

}  // namespace rtcgate::sip
