#include "rtcgate/gateway/admin_router.hpp"
#include "rtcgate/gateway/in_memory_call_registry.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rtcgate::gateway {
namespace {

using namespace std::chrono_literals;
using Clock = CallRegistry::Clock;

CallLegInfo leg(std::string kind, std::string transport, std::string codec, std::string ice_state = {}) {
  CallLegInfo info;
  info.kind = std::move(kind);
  info.transport = std::move(transport);
  info.codec = std::move(codec);
  info.ice_state = std::move(ice_state);
  return info;
}

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

class CallRegistryTest : public ::testing::Test {
 protected:
  std::string scrape() const { return metrics_.render_prometheus(); }

  void expect_lines(std::initializer_list<std::string> lines) const {
    std::string text = scrape();
    for (const std::string& line : lines)
      EXPECT_TRUE(has_line(text, line)) << "missing: " << line << "\n" << text;
  }

  static CallInfo call(std::string id) {
    CallInfo info;
    info.id = std::move(id);
    info.from = "<sip:demo@localhost>";
    info.to = "<sip:echo@localhost>";
    info.started_unix_ms = 1700000000000;
    return info;
  }

  MetricsRegistry metrics_;
  InMemoryCallRegistry registry_{metrics_};
  Clock::time_point t0_ = Clock::now();
};

TEST_F(CallRegistryTest, EverySeriesExistsFromTheStart) {
  expect_lines({"# TYPE rtcgate_calls_active gauge",
                "rtcgate_calls_active 0",
                "# TYPE rtcgate_calls_total counter",
                "rtcgate_calls_total{outcome=\"answered\"} 0",
                "rtcgate_calls_total{outcome=\"cancelled\"} 0",
                "rtcgate_calls_total{outcome=\"rejected\"} 0",
                "rtcgate_calls_total{outcome=\"no_answer\"} 0",
                "rtcgate_calls_total{outcome=\"refused\"} 0",
                "rtcgate_calls_total{outcome=\"failed\"} 0",
                "# TYPE rtcgate_call_setup_seconds histogram",
                "rtcgate_call_setup_seconds_bucket{le=\"0.05\"} 0",
                "rtcgate_call_setup_seconds_bucket{le=\"+Inf\"} 0",
                "rtcgate_call_setup_seconds_count 0",
                "# TYPE rtcgate_registrations gauge",
                "rtcgate_registrations{kind=\"local\"} 0",
                "rtcgate_registrations{kind=\"relay\"} 0",
                "# TYPE rtcgate_packets_total counter",
                "rtcgate_packets_total{direction=\"received\",leg=\"web\"} 0",
                "rtcgate_packets_total{direction=\"sent\",leg=\"web\"} 0",
                "rtcgate_packets_total{direction=\"received\",leg=\"legacy\"} 0",
                "rtcgate_packets_total{direction=\"sent\",leg=\"legacy\"} 0",
                "# TYPE rtcgate_packet_drops_total counter"});
  for (std::size_t i = 0; i < media::kDropReasonCount; ++i) {
    std::string reason(media::to_string(static_cast<media::Drop>(i)));
    expect_lines({"rtcgate_packet_drops_total{reason=\"" + reason + "\"} 0"});
  }
}

TEST_F(CallRegistryTest, LifecycleOfAnAnsweredCall) {
  ASSERT_TRUE(registry_.begin(call("c1"), t0_));
  EXPECT_FALSE(registry_.begin(call("c1"), t0_)) << "ids are unique";
  EXPECT_FALSE(registry_.begin(call(""), t0_)) << "an id is required";
  EXPECT_EQ(registry_.calls().at(0).state, "setup");
  expect_lines({"rtcgate_calls_active 1"});

  CallLegInfo web = leg("web", "ws", "opus/48000/2");
  CallLegInfo legacy = leg("legacy", "udp", "PCMU/8000");
  ASSERT_TRUE(registry_.set_leg("c1", web));
  ASSERT_TRUE(registry_.set_leg("c1", legacy));
  ASSERT_TRUE(registry_.set_state("c1", "early"));
  ASSERT_TRUE(registry_.set_transport_state("c1", "connected", "connected"));
  ASSERT_TRUE(registry_.set_transcoding("c1", true));
  ASSERT_TRUE(registry_.answered("c1", t0_ + 300ms, 1700000000300));
  ASSERT_TRUE(registry_.answered("c1", t0_ + 900ms, 1700000000900)) << "a repeated 2xx is harmless";

  CallMediaCounters media;
  media.web = {.packets_received = 50, .packets_sent = 48, .packets_lost = 2, .jitter_ms = 3.5};
  media.legacy = {.packets_received = 48, .packets_sent = 49, .packets_lost = 0, .jitter_ms = 0.5};
  media.drops.bump(media::Drop::SrtpAuth);
  ASSERT_TRUE(registry_.update_media("c1", media));
  media.web.packets_received = 80;
  media.legacy.packets_sent = 79;
  media.drops.bump(media::Drop::SrtpAuth);
  media.drops.bump(media::Drop::NotReady);
  ASSERT_TRUE(registry_.update_media("c1", media));

  std::vector<CallInfo> calls = registry_.calls();
  ASSERT_EQ(calls.size(), 1u);
  const CallInfo& c = calls[0];
  EXPECT_EQ(c.state, "active");
  EXPECT_EQ(c.answered_unix_ms, 1700000000300);
  EXPECT_TRUE(c.transcoding);
  ASSERT_EQ(c.legs.size(), 2u);
  EXPECT_EQ(c.legs[0].ice_state, "connected");
  EXPECT_EQ(c.legs[0].packets_received, 80u);
  EXPECT_EQ(c.legs[0].packets_lost, 2u);
  EXPECT_DOUBLE_EQ(c.legs[0].jitter_ms, 3.5);
  EXPECT_EQ(c.legs[1].packets_sent, 79u);
  EXPECT_TRUE(c.legs[1].ice_state.empty());
  using Drops = std::vector<std::pair<std::string, std::uint64_t>>;
  EXPECT_EQ(c.drops, (Drops{{"srtp_auth", 2}, {"not_ready", 1}}));

  ASSERT_TRUE(registry_.end("c1", CallOutcome::Answered));
  EXPECT_FALSE(registry_.end("c1", CallOutcome::Failed)) << "ends once";
  EXPECT_TRUE(registry_.calls().empty());
  EXPECT_FALSE(registry_.set_state("c1", "ending"));
  EXPECT_FALSE(registry_.update_media("c1", media));
  expect_lines({"rtcgate_calls_active 0", "rtcgate_calls_total{outcome=\"answered\"} 1",
                "rtcgate_calls_total{outcome=\"failed\"} 0",
                // 0.3 s: above 0.25, within 0.5; observed once.
                "rtcgate_call_setup_seconds_bucket{le=\"0.25\"} 0",
                "rtcgate_call_setup_seconds_bucket{le=\"0.5\"} 1", "rtcgate_call_setup_seconds_count 1",
                "rtcgate_call_setup_seconds_sum 0.3",
                "rtcgate_packets_total{direction=\"received\",leg=\"web\"} 80",
                "rtcgate_packets_total{direction=\"sent\",leg=\"web\"} 48",
                "rtcgate_packets_total{direction=\"received\",leg=\"legacy\"} 48",
                "rtcgate_packets_total{direction=\"sent\",leg=\"legacy\"} 79",
                "rtcgate_packet_drops_total{reason=\"srtp_auth\"} 2",
                "rtcgate_packet_drops_total{reason=\"not_ready\"} 1",
                "rtcgate_packet_drops_total{reason=\"no_route\"} 0"});
}

TEST_F(CallRegistryTest, OutcomesAreCountedSeparately) {
  const CallOutcome outcomes[] = {CallOutcome::Cancelled, CallOutcome::Rejected, CallOutcome::Rejected,
                                  CallOutcome::NoAnswer,  CallOutcome::Refused,  CallOutcome::Failed};
  int n = 0;
  for (CallOutcome outcome : outcomes) {
    std::string id = "c" + std::to_string(n++);
    ASSERT_TRUE(registry_.begin(call(id), t0_));
    ASSERT_TRUE(registry_.end(id, outcome));
  }
  expect_lines({"rtcgate_calls_total{outcome=\"cancelled\"} 1", "rtcgate_calls_total{outcome=\"rejected\"} 2",
                "rtcgate_calls_total{outcome=\"no_answer\"} 1", "rtcgate_calls_total{outcome=\"refused\"} 1",
                "rtcgate_calls_total{outcome=\"failed\"} 1", "rtcgate_calls_total{outcome=\"answered\"} 0",
                "rtcgate_calls_active 0", "rtcgate_call_setup_seconds_count 0"});
}

TEST_F(CallRegistryTest, RestartedMediaCountersAreAddedWhole) {
  ASSERT_TRUE(registry_.begin(call("c1"), t0_));
  CallMediaCounters media;
  media.web.packets_received = 100;
  ASSERT_TRUE(registry_.update_media("c1", media));
  media.web.packets_received = 30;  // a new media session after renegotiation starts from 0
  ASSERT_TRUE(registry_.update_media("c1", media));
  expect_lines({"rtcgate_packets_total{direction=\"received\",leg=\"web\"} 130"});
}

TEST_F(CallRegistryTest, SetLegKeepsCountersAndTransportStateAddsTheWebLeg) {
  ASSERT_TRUE(registry_.begin(call("c1"), t0_));
  ASSERT_TRUE(registry_.set_transport_state("c1", "checking", "new"));
  ASSERT_EQ(registry_.calls()[0].legs.size(), 1u);
  CallMediaCounters media;
  media.web.packets_sent = 7;
  ASSERT_TRUE(registry_.update_media("c1", media));
  ASSERT_TRUE(registry_.set_leg("c1", leg("web", "ws", "PCMU/8000", "connected")));
  std::vector<CallInfo> calls = registry_.calls();
  ASSERT_EQ(calls[0].legs.size(), 1u);
  EXPECT_EQ(calls[0].legs[0].codec, "PCMU/8000");
  EXPECT_EQ(calls[0].legs[0].ice_state, "connected");
  EXPECT_EQ(calls[0].legs[0].packets_sent, 7u);
}

TEST_F(CallRegistryTest, Registrations) {
  registry_.set_registrations(RegistrationKind::Local, 3);
  registry_.set_registrations(RegistrationKind::Relay, 1);
  registry_.set_registrations(RegistrationKind::Local, 2);
  expect_lines({"rtcgate_registrations{kind=\"local\"} 2", "rtcgate_registrations{kind=\"relay\"} 1"});
}

TEST_F(CallRegistryTest, AdminApiReadsTheRegistry) {
  Config config = default_config();
  AdminRouter router(config, metrics_, registry_);
  ASSERT_TRUE(registry_.begin(call("b"), t0_));
  ASSERT_TRUE(registry_.begin(call("a"), t0_));
  ASSERT_TRUE(registry_.set_leg("a", leg("legacy", "udp", "PCMU/8000")));
  HttpReply calls = router.handle("GET", "/api/calls");
  EXPECT_EQ(calls.status, 200u);
  EXPECT_EQ(calls.content_type, "application/json");
  EXPECT_TRUE(calls.body.starts_with(R"([{"id":"a","state":"setup",)")) << calls.body;
  EXPECT_NE(calls.body.find(R"("codec":"PCMU/8000")"), std::string::npos) << calls.body;
  EXPECT_NE(calls.body.find(R"({"id":"b","state":"setup",)"), std::string::npos) << calls.body;
  ASSERT_TRUE(registry_.end("a", CallOutcome::Cancelled));
  HttpReply metrics = router.handle("GET", "/metrics");
  EXPECT_TRUE(has_line(metrics.body, "rtcgate_calls_active 1")) << metrics.body;
  EXPECT_TRUE(has_line(metrics.body, "rtcgate_calls_total{outcome=\"cancelled\"} 1")) << metrics.body;
}

}  // namespace
}  // namespace rtcgate::gateway
