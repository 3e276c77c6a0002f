// How we refresh a leg's session (RFC 4028 §9 lets the refresher send either an UPDATE or a
// re-INVITE) and what the final response to a refresh means for the call.
//
// An UPDATE without a body is the lighter refresh: no offer, no ACK, no glare with the peer's
// re-INVITEs. It is used until the peer shows it does not take UPDATE: an Allow header of its
// INVITE or 2xx (RFC 3261 §20.5) that does not list UPDATE, or a 405/501 to our UPDATE. A message
// without Allow says nothing either way (§20.5: its absence does not mean "no methods"). Then the
// refresh is a re-INVITE that repeats our current description unchanged (RFC 3264 §8: same o=
// version), which the peer answers without changing the media and we ACK.
//
// Verdicts on a refresh's final response:
//   2xx                       Refreshed    the timer restarts from the 2xx (§7.2, §10)
//   405, 501 to UPDATE        UseReinvite  the peer does not take UPDATE: refresh again at once
//   491 (RFC 3261 §14.1)      RetryLater   our re-INVITE crossed one of the peer's: try again after
//                                          glare_wait()
//   408, 481 (RFC 4028 §10)   EndCall      the session is gone: BYE on both legs
//   anything else             LeaveToExpire the timer still runs: the session ends at expiry unless
//                                          a later refresh (either side's) gets through
// Pure values; thread affinity: none.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

namespace rtcgate::gateway::b2bua {

enum class RefreshMethod : std::uint8_t { Update, Reinvite };
std::string_view to_string(RefreshMethod method);

// What one peer has told us about UPDATE.
class PeerRefreshMethod {
 public:
  // The methods of an Allow header in the peer's INVITE or 2xx (one token each, as
  // sip::Message::allow() gives them); an empty list is a message without Allow and changes nothing.
  void learn_allow(const std::vector<std::string_view>& allowed);
  // The peer answered our UPDATE 405 or 501.
  void refused_update() { takes_update_ = false; }
  RefreshMethod method() const { return takes_update_ ? RefreshMethod::Update : RefreshMethod::Reinvite; }

 private:
  bool takes_update_ = true;
};

enum class RefreshVerdict : std::uint8_t {
  Pending,
  Refreshed,
  UseReinvite,
  RetryLater,
  EndCall,
  LeaveToExpire
};
std::string_view to_string(RefreshVerdict verdict);

RefreshVerdict refresh_verdict(RefreshMethod sent, int status);

// RFC 3261 §14.1: after a 491 the owner of the Call-ID waits 2.1 to 4 s, the other side 0 to 2 s,
// in units of 10 ms; `random` picks the value in that range.
std::chrono::milliseconds glare_wait(bool call_id_owner, std::uint32_t random);
// The same with a value drawn from this thread's generator (the signaling thread's).
std::chrono::milliseconds random_glare_wait(bool call_id_owner);

}  // namespace rtcgate::gateway::b2bua
