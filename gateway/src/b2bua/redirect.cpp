#include "rtcgate/gateway/b2bua/redirect.hpp"

#include <algorithm>
#include <charconv>

namespace rtcgate::gateway::b2bua {
namespace {

// RFC 3261 §20.10: qvalue is 0 to 1 with up to three decimals; anything else counts as 0.
double q_value(const sip::NameAddr& contact) {
  auto text = contact.param("q");
  if (!text) return 1.0;
  double q = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), q);
  if (error != std::errc{} || end != text->data() + text->size() || q < 0 || q > 1) return 0;
  return q;
}

}  // namespace

std::optional<sip::Uri> redirect_target(const sip::Message& redirect, const std::vector<std::string>& tried) {
  auto contacts = redirect.contacts();
  if (!contacts || contacts->wildcard) return std::nullopt;
  std::optional<sip::Uri> best;
  double best_q = -1;
  for (const sip::NameAddr& contact : contacts->contacts) {
    if (!contact.uri.is_sip()) continue;
    sip::Uri uri = contact.uri;
    uri.headers.clear();
    sip::remove_param(uri.params, "method");
    if (std::find(tried.begin(), tried.end(), uri.to_string()) != tried.end()) continue;
    const double q = q_value(contact);
    if (q > best_q) {
      best_q = q;
      best = std::move(uri);
    }
  }
  return best;
}

}  // namespace rtcgate::gateway::b2bua
