// Registrar: processes a REGISTER (RFC 3261 §10.3) once the caller has authenticated it, updates a
// LocationStore and builds the response.
//
// Steps, in the order of §10.3: the AOR is the To URI (step 5; canonical_aor()); the authenticated
// user, when given, must own it (step 3, 403); the domain must be one of ours when a list is
// configured (step 1, 404); then every Contact (step 6–7): `*` only alone and with Expires: 0
// (else 400) removes all bindings; each contact's interval is its `expires` parameter, else the
// Expires header, else default_expires (step 7); an interval above zero and below min_expires
// rejects the whole request with 423 and Min-Expires (§10.3 step 7, §20.23); above max_expires it
// is shortened. A binding is found by URI equivalence (§19.1.4), or for RFC 5626 contacts
// (+sip.instance with reg-id) by instance and reg-id, so a new registration from the same instance
// replaces the old binding even with a new URI or flow (RFC 5626 §6). A binding with the same
// Call-ID and a CSeq not above the stored one aborts the request with 500 (out of order, §10.3
// step 7); a different Call-ID always updates. Each binding remembers the flow the REGISTER came
// over and the request's Path (RFC 3327). The 200 OK lists every live binding with its remaining
// `expires` and a Date (§10.3 step 8), echoes Path, and carries Require: outbound when an outbound binding
// was registered by a UA that supports it (RFC 5626 §6). Limits: at most max_bindings_per_aor (else 403) and
// kMaxContactsPerRequest contacts.
//
// Ownership: borrows the store, which must outlive the registrar. Thread affinity: the signaling
// thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rtcgate/sip/clock.hpp"
#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/registrar/location_store.hpp"
#include "rtcgate/sip/uri.hpp"

namespace rtcgate::sip::registrar {

inline constexpr std::size_t kMaxContactsPerRequest = 32;

struct RegistrarConfig {
  std::uint32_t default_expires = 3600;
  std::uint32_t min_expires = 60;
  std::uint32_t max_expires = 7200;
  std::size_t max_bindings_per_aor = 16;
  std::vector<std::string> domains;  // empty: any domain is ours
  bool add_date = true;              // Date header on 200 (§10.3 step 8; UAs without a clock use it)
};

// What the transport and authentication layers know about the REGISTER.
struct RegisterContext {
  std::string flow;                // opaque flow token of the connection it arrived on
  std::string authenticated_user;  // digest username, "" when authentication is not used
  std::string to_tag;              // tag for the response; "" derives one from Call-ID and From tag
};

enum class RegisterOutcome : std::uint8_t {
  Updated,           // 200, bindings changed (or a query)
  BadRequest,        // 400
  Forbidden,         // 403 (not the user's AOR, or too many bindings)
  NotFound,          // 404 (not our domain, no usable To)
  IntervalTooBrief,  // 423
  OutOfOrder,        // 500 (Call-ID/CSeq check of §10.3 step 7)
};

struct RegisterResult {
  Message response;
  RegisterOutcome outcome = RegisterOutcome::Updated;
};

// "sip:user@host": scheme sip (sips folded into sip), user unescaped, host lower-case, no port or
// parameters. Both REGISTER (To) and routing (request-URI of an INVITE) use this key.
std::string canonical_aor(const Uri& uri);

class Registrar {
 public:
  Registrar(RegistrarConfig config, LocationStore& store);

  RegisterResult handle(const Message& request, const RegisterContext& context, TimePoint now);

  // Live bindings of an AOR (an INVITE for a browser forks to each of them).
  std::vector<Binding> lookup(const Uri& aor, TimePoint now) const;
  std::vector<Binding> lookup(std::string_view canonical, TimePoint now) const;
  // The connection of a flow closed: its bindings can no longer be reached.
  std::size_t remove_flow(std::string_view flow) { return store_.remove_flow(flow); }
  std::size_t purge_expired(TimePoint now) { return store_.purge_expired(now); }

  const RegistrarConfig& config() const { return config_; }

 private:
  RegistrarConfig config_;
  LocationStore& store_;
};

}  // namespace rtcgate::sip::registrar
