// RFC 4028 negotiation and per-leg timing (session_timer.hpp).
#include "rtcgate/gateway/b2bua/session_timer.hpp"

#include <algorithm>
#include <charconv>

namespace rtcgate::gateway::b2bua {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

// delta-seconds (RFC 3261 §25.1): 1*DIGIT; values past 2^32-1 are refused rather than wrapped.
std::optional<std::uint32_t> delta_seconds(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

}  // namespace

std::optional<SessionExpires> parse_session_expires(std::string_view value) {
  const auto semi = value.find(';');
  auto seconds = delta_seconds(value.substr(0, semi));
  if (!seconds || *seconds == 0) return std::nullopt;
  SessionExpires out{*seconds, std::nullopt};
  std::string_view params = semi == std::string_view::npos ? std::string_view() : value.substr(semi + 1);
  while (!params.empty()) {
    const auto next = params.find(';');
    std::string_view param = trim(params.substr(0, next));
    params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
    const auto eq = param.find('=');
    if (eq == std::string_view::npos || !iequals(trim(param.substr(0, eq)), "refresher")) continue;
    std::string_view who = trim(param.substr(eq + 1));
    if (iequals(who, "uac"))
      out.refresher = Refresher::Uac;
    else if (iequals(who, "uas"))
      out.refresher = Refresher::Uas;
    else
      return std::nullopt;
  }
  return out;
}

std::optional<std::uint32_t> parse_min_se(std::string_view value) {
  return delta_seconds(value.substr(0, value.find(';')));
}

std::string to_string(const SessionExpires& value) {
  std::string out = std::to_string(value.seconds);
  if (value.refresher) out += *value.refresher == Refresher::Uac ? ";refresher=uac" : ";refresher=uas";
  return out;
}

UasDecision negotiate_as_uas(const TimerRequest& request, std::uint32_t local_min_se) {
  UasDecision decision;
  local_min_se = std::max(local_min_se, kMinSessionExpires);
  if (!request.session_expires) return decision;  // §9: no timer asked for; we impose none
  if (request.session_expires->seconds < local_min_se) {
    decision.kind = UasDecision::Kind::Reject422;
    decision.min_se = local_min_se;
    return decision;
  }
  decision.kind = UasDecision::Kind::Timer;
  decision.response.seconds = request.session_expires->seconds;
  // §9: a refresher the UAC chose stands; else the UAC refreshes when it can, we do otherwise. A UAC
  // that does not support timers cannot be the refresher.
  if (!request.supports_timer) {
    decision.response.refresher = Refresher::Uas;
  } else {
    decision.response.refresher = request.session_expires->refresher.value_or(Refresher::Uac);
    decision.require_timer = true;
  }
  return decision;
}

std::optional<SessionExpires> negotiate_as_uac(std::optional<SessionExpires> response) {
  if (!response || response->seconds < kMinSessionExpires) return std::nullopt;
  if (!response->refresher) response->refresher = Refresher::Uac;
  return response;
}

std::optional<std::uint32_t> interval_after_422(std::optional<std::uint32_t> min_se, std::uint32_t requested,
                                                std::uint32_t max_seconds) {
  if (!min_se || *min_se == 0 || *min_se > max_seconds) return std::nullopt;
  return std::max({*min_se, requested, kMinSessionExpires});
}

std::chrono::seconds SessionTimer::refresh_after(std::uint32_t interval_seconds) {
  return std::chrono::seconds(interval_seconds / 2);
}

std::chrono::seconds SessionTimer::expire_after(std::uint32_t interval_seconds) {
  return std::chrono::seconds(interval_seconds - std::min<std::uint32_t>(32, interval_seconds / 3));
}

void SessionTimer::arm(Clock::time_point from) {
  refresh_at_ = from + refresh_after(interval_);
  expire_at_ = from + expire_after(interval_);
  state_ = State::Running;
}

void SessionTimer::start(Clock::time_point now, std::uint32_t interval_seconds, bool we_refresh) {
  interval_ = std::max(interval_seconds, kMinSessionExpires);
  we_refresh_ = we_refresh;
  arm(now);
}

void SessionTimer::refreshed(Clock::time_point now, std::optional<std::uint32_t> interval_seconds,
                             std::optional<bool> we_refresh) {
  if (state_ == State::Off || state_ == State::Expired) return;
  if (interval_seconds) interval_ = std::max(*interval_seconds, kMinSessionExpires);
  if (we_refresh) we_refresh_ = *we_refresh;
  arm(now);
}

void SessionTimer::retry_refresh(Clock::time_point at) {
  if (state_ != State::Refreshing) return;
  refresh_at_ = at;
  state_ = State::Running;
}

SessionTimer::Action SessionTimer::poll(Clock::time_point now) {
  if (state_ == State::Off || state_ == State::Expired) return Action::None;
  if (now >= expire_at_) {
    state_ = State::Expired;
    return Action::Expire;
  }
  if (we_refresh_ && state_ == State::Running && now >= refresh_at_) {
    state_ = State::Refreshing;
    return Action::SendRefresh;
  }
  return Action::None;
}

std::optional<SessionTimer::Clock::time_point> SessionTimer::next_deadline() const {
  if (state_ == State::Off || state_ == State::Expired) return std::nullopt;
  if (we_refresh_ && state_ == State::Running) return std::min(refresh_at_, expire_at_);
  return expire_at_;
}

}  // namespace rtcgate::gateway::b2bua
