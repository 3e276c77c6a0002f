// LocationStore: where the registrar keeps bindings, behind an interface so that the in-memory
// store can later be joined by a shared one (Redis) without touching the registrar.
//
// Contract: replace() swaps all bindings of one AOR at once (a registrar decides the whole new set
// per REGISTER, RFC 3261 §10.3 steps 6–8 are all-or-nothing); an empty set forgets the AOR.
// bindings() returns what is stored, expired or not; lookup() only live ones. remove_flow() drops
// every binding that arrived over a flow (its connection closed). purge_expired() frees expired
// bindings. `now` is passed in so tests need no sleeping.
// Ownership: the store owns copies of the bindings. Thread affinity: implementations are used from
// the signaling thread only unless they say otherwise.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "rtcgate/sip/clock.hpp"
#include "rtcgate/sip/registrar/binding.hpp"

namespace rtcgate::sip::registrar {

class LocationStore {
 public:
  virtual ~LocationStore() = default;

  virtual std::vector<Binding> bindings(std::string_view aor) const = 0;
  virtual void replace(std::string_view aor, std::vector<Binding> bindings) = 0;
  // Removes every binding whose flow is `flow`; returns how many.
  virtual std::size_t remove_flow(std::string_view flow) = 0;
  // Removes every binding that expired at or before `now`; returns how many.
  virtual std::size_t purge_expired(TimePoint now) = 0;
  // Number of stored bindings (live or not).
  virtual std::size_t size() const = 0;

  // Live bindings of the AOR, the ones a call to it forks to (RFC 3261 §16.5).
  std::vector<Binding> lookup(std::string_view aor, TimePoint now) const {
    std::vector<Binding> out = bindings(aor);
    std::erase_if(out, [now](const Binding& b) { return !b.live(now); });
    return out;
  }
};

}  // namespace rtcgate::sip::registrar
