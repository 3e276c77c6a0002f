// Message: typed accessors for the extension headers a UA or B2BUA reads (RFC 3262, RFC 4028,
// RFC 3327, RFC 3608, RFC 3325, RFC 3515, RFC 3892) and option-tag lookups.
#include <algorithm>

#include "message/text.hpp"
#include "rtcgate/sip/message.hpp"

namespace rtcgate::sip {

namespace {

std::vector<NameAddr> name_addrs(const Message& m, HeaderId id) {
  std::vector<NameAddr> out;
  for (const Header& h : m.headers()) {
    if (h.id != id) continue;
    if (auto na = parse_name_addr(h.value)) out.push_back(std::move(*na));
  }
  return out;
}

std::optional<NameAddr> name_addr(const Message& m, HeaderId id) {
  const auto v = m.first(id);
  if (!v) return std::nullopt;
  auto na = parse_name_addr(*v);
  if (!na) return std::nullopt;
  return std::move(*na);
}

std::optional<std::uint32_t> delta(const Message& m, HeaderId id) {
  const auto v = m.first(id);
  if (!v) return std::nullopt;
  return detail::parse_uint<std::uint32_t>(detail::trim(*v), 0xffffffffULL);
}

bool lists(const Message& m, HeaderId id, std::string_view token) {
  const auto values = m.all(id);
  return std::any_of(values.begin(), values.end(), [token](std::string_view v) { return iequals(v, token); });
}

// "delta-seconds *( ;param )" (RFC 4028 §4).
std::optional<SessionExpires> parse_session_expires(std::string_view v) {
  v = detail::trim(v);
  std::size_t i = 0;
  while (i < v.size() && detail::is_digit(v[i]))
    ++i;
  const auto seconds = detail::parse_uint<std::uint32_t>(v.substr(0, i), 0xffffffffULL);
  Params params;
  if (!seconds || !detail::parse_header_params(v.substr(i), params)) return std::nullopt;
  SessionExpires out;
  out.seconds = *seconds;
  out.refresher = std::string(param_value(params, "refresher").value_or(""));
  return out;
}

}  // namespace

std::optional<std::uint32_t> Message::min_expires() const {
  return delta(*this, HeaderId::MinExpires);
}

bool Message::supports(std::string_view option_tag) const {
  return lists(*this, HeaderId::Supported, option_tag);
}

bool Message::requires_option(std::string_view option_tag) const {
  return lists(*this, HeaderId::Require, option_tag);
}

bool Message::allows(std::string_view method) const {
  const auto values = all(HeaderId::Allow);
  return std::find(values.begin(), values.end(), method) != values.end();
}

std::optional<std::uint32_t> Message::rseq() const {
  return delta(*this, HeaderId::RSeq);
}

std::optional<RAck> Message::rack() const {
  const auto v = first(HeaderId::RAck);
  if (!v) return std::nullopt;
  auto r = parse_rack(*v);
  if (!r) return std::nullopt;
  return std::move(*r);
}

std::optional<SessionExpires> Message::session_expires() const {
  const auto v = first(HeaderId::SessionExpires);
  if (!v) return std::nullopt;
  return parse_session_expires(*v);
}

std::optional<std::uint32_t> Message::min_se() const {
  const auto v = first(HeaderId::MinSE);
  if (!v) return std::nullopt;
  const auto se = parse_session_expires(*v);
  if (!se) return std::nullopt;
  return se->seconds;
}

std::vector<NameAddr> Message::paths() const {
  return name_addrs(*this, HeaderId::Path);
}
std::vector<NameAddr> Message::service_routes() const {
  return name_addrs(*this, HeaderId::ServiceRoute);
}
std::vector<NameAddr> Message::p_asserted_identities() const {
  return name_addrs(*this, HeaderId::PAssertedIdentity);
}
std::optional<NameAddr> Message::refer_to() const {
  return name_addr(*this, HeaderId::ReferTo);
}
std::optional<NameAddr> Message::referred_by() const {
  return name_addr(*this, HeaderId::ReferredBy);
}
std::optional<NameAddr> Message::reply_to() const {
  return name_addr(*this, HeaderId::ReplyTo);
}

}  // namespace rtcgate::sip
