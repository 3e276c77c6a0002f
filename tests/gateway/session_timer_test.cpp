// RFC 4028 session timers as a pure unit (b2bua/session_timer.hpp): header parsing, the UAS and UAC
// negotiation (422 with Min-SE, who refreshes), and the per-leg timer on a fake clock, including
// the transition table in the header; and how a leg is refreshed (b2bua/refresh_method.hpp):
// UPDATE or re-INVITE, and what each final response to a refresh does.
#include "rtcgate/gateway/b2bua/session_timer.hpp"
#include "rtcgate/gateway/b2bua/refresh_method.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace rtcgate::gateway::b2bua {
namespace {

using namespace std::chrono_literals;
using Action = SessionTimer::Action;
using State = SessionTimer::State;
const SessionTimer::Clock::time_point t0{};

TEST(SessionExpiresHeader, ParsesIntervalAndRefresher) {
  auto plain = parse_session_expires("1800");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->seconds, 1800u);
  EXPECT_FALSE(plain->refresher);
  auto uac = parse_session_expires("90 ; refresher=UAC");
  ASSERT_TRUE(uac);
  EXPECT_EQ(uac->seconds, 90u);
  EXPECT_EQ(uac->refresher, Refresher::Uac);
  auto uas = parse_session_expires("4000;x=1;refresher=uas");
  ASSERT_TRUE(uas);
  EXPECT_EQ(uas->refresher, Refresher::Uas);
  EXPECT_EQ(to_string(*uas), "4000;refresher=uas");
  EXPECT_EQ(to_string(*plain), "1800");
}

TEST(SessionExpiresHeader, RefusesWhatIsNotDeltaSeconds) {
  for (const char* bad : {"", "abc", "-5", "0", "99999999999", "90;refresher=both", "1e3"})
    EXPECT_FALSE(parse_session_expires(bad)) << bad;
  EXPECT_EQ(parse_min_se("120;foo=bar"), 120u);
  EXPECT_FALSE(parse_min_se("x"));
}

TEST(UasNegotiation, NoSessionExpiresMeansNoTimer) {
  EXPECT_EQ(negotiate_as_uas({}).kind, UasDecision::Kind::NoTimer);
  EXPECT_EQ(negotiate_as_uas({std::nullopt, 120, true}).kind, UasDecision::Kind::NoTimer);
}

TEST(UasNegotiation, TooSmallIntervalGets422WithOurMinSe) {
  auto d = negotiate_as_uas({SessionExpires{60, std::nullopt}, std::nullopt, true});
  EXPECT_EQ(d.kind, UasDecision::Kind::Reject422);
  EXPECT_EQ(d.min_se, 90u);
  // Our Min-SE can be raised, never lowered below the RFC's 90 s.
  EXPECT_EQ(negotiate_as_uas({SessionExpires{100, std::nullopt}, std::nullopt, true}, 120).min_se, 120u);
  EXPECT_EQ(negotiate_as_uas({SessionExpires{60, std::nullopt}, std::nullopt, true}, 30).min_se, 90u);
}

TEST(UasNegotiation, RefresherIsTheUacsChoiceOrUacOrUsWhenItCannot) {
  auto chosen = negotiate_as_uas({SessionExpires{90, Refresher::Uas}, std::nullopt, true});
  EXPECT_EQ(chosen.kind, UasDecision::Kind::Timer);
  EXPECT_EQ(chosen.response.seconds, 90u);
  EXPECT_EQ(chosen.response.refresher, Refresher::Uas);
  EXPECT_TRUE(chosen.require_timer);
  auto open = negotiate_as_uas({SessionExpires{1800, std::nullopt}, std::nullopt, true});
  EXPECT_EQ(open.response.refresher, Refresher::Uac);
  // A UAC without "Supported: timer" cannot refresh: we do, and Require: timer is not sent.
  auto unaware = negotiate_as_uas({SessionExpires{1800, Refresher::Uac}, std::nullopt, false});
  EXPECT_EQ(unaware.response.refresher, Refresher::Uas);
  EXPECT_FALSE(unaware.require_timer);
}

TEST(UacNegotiation, TheAnswerDecides) {
  EXPECT_FALSE(negotiate_as_uac(std::nullopt));
  EXPECT_FALSE(negotiate_as_uac(SessionExpires{30, Refresher::Uas}));
  auto defaulted = negotiate_as_uac(SessionExpires{1800, std::nullopt});
  ASSERT_TRUE(defaulted);
  EXPECT_EQ(defaulted->refresher, Refresher::Uac);
  EXPECT_EQ(negotiate_as_uac(SessionExpires{600, Refresher::Uas})->refresher, Refresher::Uas);
}

TEST(UacNegotiation, RetryAfter422UsesTheMinSe) {
  EXPECT_EQ(interval_after_422(300, 90), 300u);
  EXPECT_EQ(interval_after_422(60, 90), 90u);
  EXPECT_FALSE(interval_after_422(std::nullopt, 90));
  EXPECT_FALSE(interval_after_422(100000, 90));
}

TEST(SessionTimerTiming, RefreshAtHalfExpireBeforeTheEnd) {
  EXPECT_EQ(SessionTimer::refresh_after(90), 45s);
  EXPECT_EQ(SessionTimer::expire_after(90), 60s);      // 90 - min(32, 30)
  EXPECT_EQ(SessionTimer::expire_after(1800), 1768s);  // 1800 - min(32, 600)
}

TEST(SessionTimerMachine, RefresherSendsOneRefreshThenRearmsWhenItSucceeds) {
  SessionTimer timer;
  timer.start(t0, 90, true);
  EXPECT_EQ(timer.state(), State::Running);
  EXPECT_EQ(timer.next_deadline(), t0 + 45s);
  EXPECT_EQ(timer.poll(t0 + 44s), Action::None);
  EXPECT_EQ(timer.poll(t0 + 45s), Action::SendRefresh);
  EXPECT_EQ(timer.state(), State::Refreshing);
  EXPECT_EQ(timer.poll(t0 + 46s), Action::None) << "one refresh per deadline";
  EXPECT_EQ(timer.next_deadline(), t0 + 60s);
  timer.refreshed(t0 + 46s);
  EXPECT_EQ(timer.state(), State::Running);
  EXPECT_EQ(timer.next_deadline(), t0 + 91s);
  EXPECT_EQ(timer.poll(t0 + 91s), Action::SendRefresh);
}

TEST(SessionTimerMachine, RefresherWhoseRefreshNeverSucceedsExpires) {
  SessionTimer timer;
  timer.start(t0, 90, true);
  EXPECT_EQ(timer.poll(t0 + 45s), Action::SendRefresh);
  EXPECT_EQ(timer.poll(t0 + 60s), Action::Expire);
  EXPECT_EQ(timer.state(), State::Expired);
  EXPECT_EQ(timer.poll(t0 + 61s), Action::None) << "expiry is reported once";
  EXPECT_FALSE(timer.next_deadline());
}

TEST(SessionTimerMachine, NonRefresherExpiresWithoutARefreshAndLivesOnWithOne) {
  SessionTimer timer;
  timer.start(t0, 120, false);
  EXPECT_EQ(timer.next_deadline(), t0 + 88s);  // 120 - min(32, 40)
  EXPECT_EQ(timer.poll(t0 + 60s), Action::None) << "the peer refreshes, not us";
  timer.refreshed(t0 + 60s);
  EXPECT_EQ(timer.poll(t0 + 100s), Action::None);
  EXPECT_EQ(timer.poll(t0 + 148s), Action::Expire);
}

TEST(SessionTimerMachine, ARefreshMayRenegotiateIntervalAndRefresher) {
  SessionTimer timer;
  timer.start(t0, 1800, false);
  timer.refreshed(t0 + 10s, 90, true);
  EXPECT_TRUE(timer.we_refresh());
  EXPECT_EQ(timer.interval(), 90u);
  EXPECT_EQ(timer.poll(t0 + 55s), Action::SendRefresh);
  timer.refreshed(t0 + 56s, 30, false);
  EXPECT_EQ(timer.interval(), 90u) << "never below the RFC's minimum";
}

TEST(SessionTimerMachine, StoppedOrExpiredTimersIgnoreEverything) {
  SessionTimer timer;
  EXPECT_EQ(timer.poll(t0 + 1000s), Action::None);
  timer.refreshed(t0);
  EXPECT_EQ(timer.state(), State::Off);
  timer.start(t0, 90, false);
  timer.stop();
  EXPECT_EQ(timer.poll(t0 + 1000s), Action::None);
  EXPECT_FALSE(timer.next_deadline());
}

TEST(SessionTimerMachine, ARefreshThatMustWaitIsSentAgainButExpiryStands) {
  SessionTimer timer;
  timer.start(t0, 90, true);
  EXPECT_EQ(timer.poll(t0 + 45s), Action::SendRefresh);
  timer.retry_refresh(t0 + 48s);  // a 491: try again 3 s later
  EXPECT_EQ(timer.state(), State::Running);
  EXPECT_EQ(timer.next_deadline(), t0 + 48s);
  EXPECT_EQ(timer.poll(t0 + 47s), Action::None);
  EXPECT_EQ(timer.poll(t0 + 48s), Action::SendRefresh);
  timer.retry_refresh(t0 + 70s);  // past expiry: the session still ends at 60 s
  EXPECT_EQ(timer.next_deadline(), t0 + 60s);
  EXPECT_EQ(timer.poll(t0 + 60s), Action::Expire);
  timer.retry_refresh(t0 + 61s);
  EXPECT_EQ(timer.state(), State::Expired) << "only a refresh in progress can be retried";
  SessionTimer running;
  running.start(t0, 90, true);
  running.retry_refresh(t0 + 1s);
  EXPECT_EQ(running.next_deadline(), t0 + 45s) << "nothing to retry before the first refresh";
}

TEST(RefreshMethodChoice, UpdateUntilThePeerShowsItDoesNotTakeIt) {
  PeerRefreshMethod peer;
  EXPECT_EQ(peer.method(), RefreshMethod::Update) << "nothing known: the lighter refresh";
  peer.learn_allow({});
  EXPECT_EQ(peer.method(), RefreshMethod::Update) << "a message without Allow says nothing (RFC 3261 §20.5)";
  peer.learn_allow({"INVITE", "ACK", "CANCEL", "BYE", "OPTIONS"});
  EXPECT_EQ(peer.method(), RefreshMethod::Reinvite);
  peer.learn_allow({});
  EXPECT_EQ(peer.method(), RefreshMethod::Reinvite) << "a later message without Allow changes nothing";
  peer.learn_allow({"INVITE", "ACK", "BYE", "UPDATE"});
  EXPECT_EQ(peer.method(), RefreshMethod::Update) << "a later Allow with UPDATE";
  peer.learn_allow({"INVITE", "update"});
  EXPECT_EQ(peer.method(), RefreshMethod::Reinvite) << "method names are case-sensitive (§7.1)";

  PeerRefreshMethod refusing;
  refusing.refused_update();
  EXPECT_EQ(refusing.method(), RefreshMethod::Reinvite);
}

TEST(RefreshMethodChoice, VerdictOnEachFinalResponse) {
  using V = RefreshVerdict;
  using M = RefreshMethod;
  struct Row {
    M sent;
    int status;
    V verdict;
  };
  const std::vector<Row> rows = {
      {M::Update, 100, V::Pending},         {M::Reinvite, 180, V::Pending},
      {M::Update, 200, V::Refreshed},       {M::Reinvite, 202, V::Refreshed},
      {M::Update, 405, V::UseReinvite},     {M::Update, 501, V::UseReinvite},
      {M::Reinvite, 405, V::LeaveToExpire}, {M::Reinvite, 501, V::LeaveToExpire},
      {M::Reinvite, 491, V::RetryLater},    {M::Update, 491, V::RetryLater},
      {M::Update, 408, V::EndCall},         {M::Reinvite, 408, V::EndCall},
      {M::Update, 481, V::EndCall},         {M::Reinvite, 481, V::EndCall},
      {M::Update, 500, V::LeaveToExpire},   {M::Reinvite, 488, V::LeaveToExpire},
      {M::Update, 422, V::LeaveToExpire},   {M::Reinvite, 603, V::LeaveToExpire},
  };
  for (const Row& row : rows)
    EXPECT_EQ(refresh_verdict(row.sent, row.status), row.verdict)
        << to_string(row.sent) << " answered " << row.status << ": " << to_string(row.verdict);
}

TEST(RefreshMethodChoice, GlareWaitFollowsRfc3261Section14_1) {
  using std::chrono::milliseconds;
  for (std::uint32_t r : {0u, 1u, 190u, 191u, 200u, 201u, 12345u, 0xffffffffu}) {
    const milliseconds owner = glare_wait(true, r);
    const milliseconds other = glare_wait(false, r);
    EXPECT_GE(owner, milliseconds(2100)) << r;
    EXPECT_LE(owner, milliseconds(4000)) << r;
    EXPECT_GE(other, milliseconds(0)) << r;
    EXPECT_LE(other, milliseconds(2000)) << r;
    EXPECT_EQ(owner.count() % 10, 0) << "units of 10 ms";
    EXPECT_EQ(other.count() % 10, 0) << "units of 10 ms";
  }
  EXPECT_EQ(glare_wait(true, 0), milliseconds(2100));
  EXPECT_EQ(glare_wait(true, 190), milliseconds(4000));
  EXPECT_EQ(glare_wait(false, 200), milliseconds(2000));
}

// The transition table of session_timer.hpp, row by row.
TEST(SessionTimerMachine, TransitionTable) {
  struct Row {
    bool we_refresh;
    std::vector<std::pair<std::chrono::seconds, Action>> polls;  // at t0 + s
    State end;
  };
  const std::vector<Row> rows = {
      {true, {{10s, Action::None}, {45s, Action::SendRefresh}}, State::Refreshing},
      {true, {{45s, Action::SendRefresh}, {60s, Action::Expire}}, State::Expired},
      {false, {{45s, Action::None}, {59s, Action::None}, {60s, Action::Expire}}, State::Expired},
      {true, {{70s, Action::Expire}}, State::Expired},  // a late poll: expiry wins over a refresh
  };
  // Refreshing -> retry_refresh(at) -> Running, SendRefresh again at `at`.
  SessionTimer retried;
  retried.start(t0, 90, true);
  EXPECT_EQ(retried.poll(t0 + 45s), Action::SendRefresh);
  retried.retry_refresh(t0 + 50s);
  EXPECT_EQ(retried.state(), State::Running);
  EXPECT_EQ(retried.poll(t0 + 50s), Action::SendRefresh);
  EXPECT_EQ(retried.state(), State::Refreshing);
  for (const Row& row : rows) {
    SessionTimer timer;
    timer.start(t0, 90, row.we_refresh);
    for (const auto& [at, action] : row.polls)
      EXPECT_EQ(timer.poll(t0 + at), action) << "at " << at.count() << " s";
    EXPECT_EQ(timer.state(), row.end);
  }
}

}  // namespace
}  // namespace rtcgate::gateway::b2bua
