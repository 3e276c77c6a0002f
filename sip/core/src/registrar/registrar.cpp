// The REGISTER procedure of RFC 3261 §10.3 as a sequence of small steps over one request.
#include "rtcgate/sip/registrar/registrar.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <limits>

#include "rtcgate/sip/auth/sha256.hpp"
#include "rtcgate/sip/param.hpp"
#include "rtcgate/sip/response.hpp"

namespace rtcgate::sip::registrar {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// delta-seconds (RFC 3261 §25.1); values past 2^32-1 saturate (§20.19 says treat them as such).
std::optional<std::uint32_t> parse_delta(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = std::min<std::uint64_t>(value * 10 + static_cast<std::uint64_t>(c - '0'),
                                    std::numeric_limits<std::uint32_t>::max());
  }
  return static_cast<std::uint32_t>(value);
}

bool lists_option(const Message& request, std::string_view option) {
  for (const auto value : request.all(HeaderId::Supported)) {
    if (iequals(value, option)) return true;
  }
  return false;
}

// One Contact of the request, with its interval decided.
struct Requested {
  NameAddr contact;
  std::uint32_t expires = 0;
};

struct Step {
  RegisterOutcome outcome = RegisterOutcome::Updated;
  int status = 200;
  std::string_view reason;
};

std::optional<Step> collect(const Message& request, const RegistrarConfig& config,
                            std::vector<Requested>& out) {
  const auto contacts = request.contacts();
  if (!contacts) return std::nullopt;
  const std::optional<std::uint32_t> header_expires = request.expires();
  if (contacts->contacts.size() > kMaxContactsPerRequest) {
    return Step{RegisterOutcome::BadRequest, 400, "Too Many Contacts"};
  }
  bool too_brief = false;
  for (const auto& contact : contacts->contacts) {
    std::uint32_t expires = header_expires.value_or(config.default_expires);
    if (const auto param = contact.param("expires")) {
      const auto parsed = parse_delta(*param);
      if (!parsed) return Step{RegisterOutcome::BadRequest, 400, "Bad Contact Expires"};
      expires = *parsed;
    }
    // RFC 3261 §10.3 step 7: a non-zero interval below our minimum is refused with 423.
    if (expires > 0 && expires < config.min_expires) too_brief = true;
    out.push_back({contact, std::min(expires, config.max_expires)});
  }
  if (too_brief) return Step{RegisterOutcome::IntervalTooBrief, 423, "Interval Too Brief"};
  return std::nullopt;
}

bool same_binding(const Binding& stored, const Binding& incoming) {
  if (incoming.is_outbound() || stored.is_outbound()) {
    return stored.instance == incoming.instance && stored.reg_id == incoming.reg_id;
  }
  const auto a = parse_uri(stored.uri);
  const auto b = parse_uri(incoming.uri);
  return a && b && *a == *b;  // RFC 3261 §19.1.4
}

Binding make_binding(const Requested& r, std::string_view aor, const Message& request,
                     const RegisterContext& context, TimePoint now) {
  Binding b;
  b.aor = std::string(aor);
  NameAddr stored = r.contact;
  remove_param(stored.params, "expires");
  b.contact = stored.to_string();
  b.uri = r.contact.uri.to_string();
  if (const auto instance = r.contact.param("+sip.instance")) b.instance = std::string(*instance);
  // RFC 5626 §6: reg-id without +sip.instance is ignored.
  if (const auto reg_id = r.contact.param("reg-id"); reg_id && !b.instance.empty())
    b.reg_id = parse_delta(*reg_id);
  if (const auto q = r.contact.param("q")) b.q = std::string(*q);
  b.flow = context.flow;
  for (const auto value : request.all(HeaderId::Path))
    b.path.emplace_back(value);
  b.call_id = std::string(request.call_id().value_or(""));
  b.cseq = request.cseq() ? request.cseq()->number : 0;
  b.expires_at = now + std::chrono::seconds(r.expires);
  return b;
}

// §10.3 step 7: the same Call-ID with a CSeq that is not higher means an out-of-order request.
bool out_of_order(const Binding& stored, const Message& request) {
  return stored.call_id == request.call_id().value_or("") && request.cseq() &&
         request.cseq()->number <= stored.cseq;
}

// RFC 3261 §20.17: Date uses the RFC 1123 form, always in GMT.
std::string http_date() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  if (const std::tm* t = std::gmtime(&now)) utc = *t;  // signaling thread only: gmtime's buffer is shared
  std::array<char, 40> text{};
  const std::size_t n = std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return std::string(text.data(), n);
}

std::string derive_tag(const Message& request) {
  const auto from = request.from();
  std::string seed(request.call_id().value_or(""));
  seed += ':';
  if (from) seed += from->tag();
  return auth::sha256_hex(seed).substr(0, 16);
}

// Steps 6 and 7 of §10.3 on the AOR's live bindings; nullopt when they may be stored.
std::optional<Step> update_bindings(const Message& request, const RegisterContext& context,
                                    const RegistrarConfig& config, std::string_view aor, TimePoint now,
                                    std::vector<Binding>& bindings, bool& outbound_registered) {
  const auto contacts = request.contacts();
  if (!contacts) return std::nullopt;  // a query (§10.2.3)
  if (contacts->wildcard) {
    // §10.3 step 6: "*" only alone, only with Expires: 0; it removes every binding that passes the
    // Call-ID/CSeq check, and fails the request if one does not.
    if (!contacts->contacts.empty() || request.count("Contact") != 1 || request.expires() != 0u) {
      return Step{RegisterOutcome::BadRequest, 400, "Invalid Wildcard"};
    }
    for (const auto& b : bindings) {
      if (out_of_order(b, request)) return Step{RegisterOutcome::OutOfOrder, 500, "Out Of Order"};
    }
    bindings.clear();
    return std::nullopt;
  }
  std::vector<Requested> requested;
  if (auto step = collect(request, config, requested)) return step;
  for (const auto& r : requested) {
    Binding incoming = make_binding(r, aor, request, context, now);
    const auto it = std::find_if(bindings.begin(), bindings.end(),
                                 [&](const Binding& stored) { return same_binding(stored, incoming); });
    if (it != bindings.end()) {
      if (out_of_order(*it, request)) return Step{RegisterOutcome::OutOfOrder, 500, "Out Of Order"};
      bindings.erase(it);
    }
    if (r.expires == 0) continue;
    outbound_registered = outbound_registered || incoming.is_outbound();
    bindings.push_back(std::move(incoming));
  }
  if (bindings.size() > config.max_bindings_per_aor) {
    return Step{RegisterOutcome::Forbidden, 403, "Too Many Bindings"};
  }
  return std::nullopt;
}

bool our_domain(const RegistrarConfig& config, const Uri& uri) {
  if (config.domains.empty()) return true;
  for (const auto& domain : config.domains) {
    if (iequals(domain, uri.host)) return true;
  }
  return false;
}

}  // namespace

std::string canonical_aor(const Uri& uri) {
  std::string out = "sip:";
  if (!uri.user.empty()) {
    out += unescape(uri.user);
    out += '@';
  }
  out += lower(uri.host);
  return out;
}

Registrar::Registrar(RegistrarConfig config, LocationStore& store)
    : config_(std::move(config)), store_(store) {}

RegisterResult Registrar::handle(const Message& request, const RegisterContext& context, TimePoint now) {
  const std::string tag = context.to_tag.empty() ? derive_tag(request) : context.to_tag;
  const auto reply = [&](const Step& step) {
    return RegisterResult{make_response(request, step.status, step.reason, tag), step.outcome};
  };
  if (!request.is_request() || request.method() != Method::Register || !request.call_id() ||
      !request.cseq()) {
    return reply({RegisterOutcome::BadRequest, 400, "Bad Request"});
  }
  // §10.3 steps 1, 3 and 5: the To URI names the AOR; it must be ours and the user's own.
  const auto to = request.to();
  if (!to || !to->uri.is_sip() || to->uri.host.empty() || !our_domain(config_, to->uri)) {
    return reply({RegisterOutcome::NotFound, 404, "Not Found"});
  }
  if (!context.authenticated_user.empty() && unescape(to->uri.user) != context.authenticated_user) {
    return reply({RegisterOutcome::Forbidden, 403, "Forbidden"});
  }
  const std::string aor = canonical_aor(to->uri);
  std::vector<Binding> bindings = store_.bindings(aor);
  std::erase_if(bindings, [now](const Binding& b) { return !b.live(now); });
  bool outbound_registered = false;
  if (auto step = update_bindings(request, context, config_, aor, now, bindings, outbound_registered)) {
    RegisterResult result = reply(*step);
    if (step->status == 423) result.response.add("Min-Expires", std::to_string(config_.min_expires));
    return result;
  }
  store_.replace(aor, bindings);
  // §10.3 step 8: the 200 lists every current binding with its remaining interval.
  RegisterResult result = reply({RegisterOutcome::Updated, 200, "OK"});
  for (const auto& b : bindings) {
    const auto remaining = std::chrono::ceil<std::chrono::seconds>(b.expires_at - now).count();
    result.response.add("Contact", b.contact + ";expires=" + std::to_string(remaining));
  }
  if (config_.add_date) result.response.add("Date", http_date());
  if (lists_option(request, "path")) {
    for (const auto value : request.all(HeaderId::Path))
      result.response.add("Path", value);  // RFC 3327 §5.3
  }
  if (outbound_registered && lists_option(request, "outbound")) result.response.add("Require", "outbound");
  return result;
}

std::vector<Binding> Registrar::lookup(const Uri& aor, TimePoint now) const {
  return store_.lookup(canonical_aor(aor), now);
}

std::vector<Binding> Registrar::lookup(std::string_view canonical, TimePoint now) const {
  return store_.lookup(canonical, now);
}

}  // namespace rtcgate::sip::registrar
