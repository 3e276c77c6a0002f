#include "rtcgate/gateway/b2bua/relay_bindings.hpp"

#include <rtcgate/sip/identifiers.hpp>
#include <rtcgate/sip/response.hpp>

#include <algorithm>
#include <charconv>

namespace rtcgate::gateway::b2bua {
namespace {

std::optional<std::uint32_t> parse_seconds(std::string_view text) {
  std::uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Headers of the PBX's answer that the browser needs to act on it.
bool kept_for_browser(const sip::Header& header, int status) {
  if (status == 401 || status == 407) return header.is("WWW-Authenticate") || header.is("Proxy-Authenticate");
  if (status == 423 && header.is("Min-Expires")) return true;
  if (status >= 300) return header.is("Warning") || header.is("Retry-After");
  return header.is("Date");
}

}  // namespace

RelayBinding* RelayBindings::find(const sip::Flow& flow, std::string_view browser_call_id) {
  for (auto& [key, binding] : by_key_) {
    if (binding.flow == flow && binding.browser_call_id == browser_call_id) return &binding;
  }
  return nullptr;
}

RelayBinding* RelayBindings::find_key(std::string_view key) {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &it->second;
}

const RelayBinding* RelayBindings::find_key(std::string_view key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &it->second;
}

bool RelayBindings::add(RelayBinding binding) {
  if (binding.key.empty() || by_key_.contains(binding.key)) return false;
  std::string key = binding.key;
  by_key_.emplace(std::move(key), std::move(binding));
  return true;
}

void RelayBindings::remove(std::string_view key) {
  if (auto it = by_key_.find(key); it != by_key_.end()) by_key_.erase(it);
}

std::vector<RelayBinding> RelayBindings::take_flow(const sip::Flow& flow) {
  std::vector<RelayBinding> out;
  for (auto it = by_key_.begin(); it != by_key_.end();) {
    if (it->second.flow == flow) {
      out.push_back(std::move(it->second));
      it = by_key_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<RelayBinding> RelayBindings::take_expired(sip::TimePoint now) {
  std::vector<RelayBinding> out;
  for (auto it = by_key_.begin(); it != by_key_.end();) {
    if (it->second.expires_at <= now) {
      out.push_back(std::move(it->second));
      it = by_key_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::optional<sip::TimePoint> RelayBindings::next_expiry() const {
  std::optional<sip::TimePoint> next;
  for (const auto& [key, binding] : by_key_) {
    if (!next || binding.expires_at < *next) next = binding.expires_at;
  }
  return next;
}

std::size_t RelayBindings::registered() const {
  return static_cast<std::size_t>(std::count_if(by_key_.begin(), by_key_.end(),
                                                [](const auto& entry) { return entry.second.registered; }));
}

std::expected<RegisterIntent, std::string> read_register_intent(const sip::Message& request) {
  RegisterIntent intent;
  std::optional<std::uint32_t> header_expires;
  if (auto expires = request.first("Expires")) {
    header_expires = parse_seconds(*expires);
    if (!header_expires) return std::unexpected("Expires is not a number of seconds");
  }
  auto contacts = request.contacts();
  if (!contacts) return intent;  // a query (RFC 3261 §10.2.3)
  if (contacts->wildcard) {
    if (header_expires != 0u) return std::unexpected("Contact: * needs Expires: 0 (RFC 3261 §10.2.2)");
    intent.kind = RegisterIntent::Kind::Unbind;
    return intent;
  }
  if (contacts->contacts.size() != 1) return std::unexpected("one Contact per registration");
  sip::NameAddr contact = contacts->contacts.front();
  if (!contact.uri.is_sip()) return std::unexpected("the Contact is not a SIP URI");
  std::optional<std::uint32_t> expires = header_expires;
  if (auto param = contact.param("expires")) {
    expires = parse_seconds(*param);
    if (!expires) return std::unexpected("the Contact's expires is not a number of seconds");
  }
  sip::remove_param(contact.params, "expires");
  intent.expires = expires.value_or(kDefaultRegisterExpires);
  intent.kind = intent.expires == 0 ? RegisterIntent::Kind::Unbind : RegisterIntent::Kind::Bind;
  intent.contact = contact.to_string();
  intent.uri = contact.uri.to_string();
  return intent;
}

std::string new_relay_key() {
  return "rr" + sip::make_call_id();
}

sip::Uri relay_contact(sip::Uri base, std::string_view key) {
  base.user = std::string(key);
  base.password.reset();
  return base;
}

sip::Message upstream_register(const sip::Message& browser_request, const RelayBinding& binding,
                               const sip::Uri& contact, std::uint32_t expires,
                               const std::vector<std::pair<std::string, std::string>>& credentials) {
  sip::Message out = sip::Message::request(sip::Method::Register, browser_request.request_uri());
  out.set_max_forwards(70);
  if (auto from = browser_request.first("From")) out.add("From", *from);
  if (auto to = browser_request.first("To")) out.add("To", *to);
  out.set_call_id(binding.upstream_call_id);
  out.set_cseq(sip::CSeq{binding.upstream_cseq, sip::Method::Register, "REGISTER"});
  sip::NameAddr ours;
  ours.uri = contact;
  ours.params.push_back({"expires", std::to_string(expires), false});
  out.add_contact(ours);
  out.set_expires(expires);
  for (const auto& [name, value] : credentials)
    out.add(name, value);
  if (auto agent = browser_request.first("User-Agent")) out.add("User-Agent", *agent);
  return out;
}

std::vector<std::pair<std::string, std::string>> credentials_of(const sip::Message& request) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const sip::Header& header : request.headers()) {
    if (header.is("Authorization") || header.is("Proxy-Authorization"))
      out.emplace_back(header.name, header.value);
  }
  return out;
}

std::uint32_t granted_expiry(const sip::Message& response, std::string_view key, std::uint32_t requested) {
  std::optional<std::uint32_t> granted;
  if (auto contacts = response.contacts(); contacts && !contacts->wildcard) {
    for (const sip::NameAddr& contact : contacts->contacts) {
      if (contact.uri.user != key) continue;
      if (auto param = contact.param("expires")) granted = parse_seconds(*param);
      if (granted) return *granted;
    }
  }
  if (auto header = response.first("Expires")) granted = parse_seconds(*header);
  return granted.value_or(requested);
}

sip::Message browser_response(const sip::Message& browser_request, const sip::Message& upstream,
                              std::string_view browser_contact, std::uint32_t granted,
                              std::string_view to_tag) {
  const int status = upstream.status();
  sip::Message out = sip::make_response(browser_request, status, upstream.reason(), to_tag);
  for (const sip::Header& header : upstream.headers()) {
    if (kept_for_browser(header, status)) out.add(header.name, header.value);
  }
  if (status >= 200 && status < 300 && granted > 0 && !browser_contact.empty()) {
    out.add("Contact", std::string(browser_contact) + ";expires=" + std::to_string(granted));
  }
  return out;
}

}  // namespace rtcgate::gateway::b2bua
