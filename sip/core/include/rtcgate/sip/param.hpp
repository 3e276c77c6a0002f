// Param: one `;name[=value]` parameter of a URI, name-addr or Via (RFC 3261 §25.1 generic-param,
// uri-parameter, via-params).
//
// Parameters keep their order and the case of their names as received; lookups compare names
// case-insensitively. `value` is absent for a flag parameter (`;lr`, `;rport`). When the value was a
// quoted-string (`;+sip.instance="<urn:uuid:...>"`), `quoted` is true and `value` holds the text
// without quotes and with `\` escapes resolved; writing puts the quotes back. URI parameters keep
// their %-escapes as received (they are compared unescaped, RFC 3261 §19.1.4).
// Value types; no thread affinity.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::sip {

struct Param {
  std::string name;
  std::optional<std::string> value;
  bool quoted = false;

  friend bool operator==(const Param&, const Param&) = default;
};

using Params = std::vector<Param>;

// The first parameter called `name` (case-insensitive), or nullptr.
const Param* find_param(const Params& params, std::string_view name);
Param* find_param(Params& params, std::string_view name);

// The value of the first parameter called `name`: nullopt when absent, "" for a flag parameter.
std::optional<std::string_view> param_value(const Params& params, std::string_view name);

// Replaces the value of the first parameter called `name`, or appends one (flag when no value).
void set_param(Params& params, std::string_view name, std::optional<std::string_view> value,
               bool quoted = false);

// Removes every parameter called `name`; returns how many were removed.
std::size_t remove_param(Params& params, std::string_view name);

// Appends ";name[=value]" for each parameter (quoting quoted ones) to `out`.
void append_params(std::string& out, const Params& params);

// ASCII case-insensitive equality (header names, parameter names, hosts, schemes).
bool iequals(std::string_view a, std::string_view b);

}  // namespace rtcgate::sip
