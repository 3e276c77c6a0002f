// Cross-field checks of a loaded configuration (port ranges, listener clashes, TLS material,
// PBX URI syntax, unique users, codec policy). Errors and notes go to the reader, which knows
// the line of every key that was in the file.
#pragma once

#include "rtcgate/gateway/config.hpp"

#include <string>
#include <string_view>

namespace rtcgate::gateway::detail {

class TomlReader;

void validate_config(TomlReader& in, Config& config);

// Light syntactic check of a SIP/SIPS URI (RFC 3261 §19.1.1): scheme, optional user@, host
// (name, IPv4 or [IPv6]), optional port and ;params. Returns the reason when it fails.
std::string check_sip_uri(std::string_view uri);

}  // namespace rtcgate::gateway::detail
