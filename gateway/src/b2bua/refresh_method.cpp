// The refresh method of a leg and the verdict on a refresh's response (refresh_method.hpp).
#include "rtcgate/gateway/b2bua/refresh_method.hpp"

#include <algorithm>
#include <random>

namespace rtcgate::gateway::b2bua {

std::string_view to_string(RefreshMethod method) {
  return method == RefreshMethod::Update ? "UPDATE" : "INVITE";
}

std::string_view to_string(RefreshVerdict verdict) {
  switch (verdict) {
    case RefreshVerdict::Pending:
      return "pending";
    case RefreshVerdict::Refreshed:
      return "refreshed";
    case RefreshVerdict::UseReinvite:
      return "use_reinvite";
    case RefreshVerdict::RetryLater:
      return "retry_later";
    case RefreshVerdict::EndCall:
      return "end_call";
    case RefreshVerdict::LeaveToExpire:
      return "leave_to_expire";
  }
  return "leave_to_expire";
}

void PeerRefreshMethod::learn_allow(const std::vector<std::string_view>& allowed) {
  if (allowed.empty()) return;
  // Method names are case-sensitive (RFC 3261 §7.1).
  takes_update_ = std::find(allowed.begin(), allowed.end(), "UPDATE") != allowed.end();
}

RefreshVerdict refresh_verdict(RefreshMethod sent, int status) {
  if (status < 200) return RefreshVerdict::Pending;
  if (status < 300) return RefreshVerdict::Refreshed;
  if (sent == RefreshMethod::Update && (status == 405 || status == 501)) return RefreshVerdict::UseReinvite;
  if (status == 491) return RefreshVerdict::RetryLater;
  if (status == 408 || status == 481) return RefreshVerdict::EndCall;
  return RefreshVerdict::LeaveToExpire;
}

std::chrono::milliseconds glare_wait(bool call_id_owner, std::uint32_t random) {
  // Owner: 210..400 steps of 10 ms; other side: 0..200.
  const std::uint32_t steps = call_id_owner ? 210 + random % 191 : random % 201;
  return std::chrono::milliseconds(std::int64_t{steps} * 10);
}

std::chrono::milliseconds random_glare_wait(bool call_id_owner) {
  thread_local std::minstd_rand rng{std::random_device{}()};
  return glare_wait(call_id_owner, static_cast<std::uint32_t>(rng()));
}

}  // namespace rtcgate::gateway::b2bua
