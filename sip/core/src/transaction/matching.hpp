// Transaction matching keys (RFC 3261 §17.1.3, §17.2.3) used by TransactionLayer. Internal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rtcgate/sip/message.hpp"

namespace rtcgate::sip::matching {

// Client side (§17.1.3): top-Via branch + CSeq method.
std::string client_key(std::string_view branch, std::string_view cseq_method);

// Server side (§17.2.3): branch + sent-by (host case-insensitive) + method, where the method of
// an ACK counts as INVITE. nullopt when the top Via is missing.
std::optional<std::string> server_key(const Message& request, std::string_view method_token);

// RFC 2543 fallback (§17.2.3): Request-URI, From tag, Call-ID, CSeq number and top Via. The
// method and To tag are checked separately, since they differ between an INVITE and its ACK.
std::optional<std::string> legacy_key(const Message& request);

// The tag of the To header, "" when absent.
std::string to_tag(const Message& message);

}  // namespace rtcgate::sip::matching
