#include "rtcgate/gateway/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace rtcgate::gateway {
namespace {

TEST(Metrics, PrometheusTextGolden) {
  MetricsRegistry registry;
  registry.counter("rtcgate_calls_total", "Calls ended, by outcome.", {{"outcome", "answered"}}).inc(3);
  registry.counter("rtcgate_calls_total", "Calls ended, by outcome.", {{"outcome", "busy"}}).inc();
  registry.gauge("rtcgate_calls_active", "Calls in progress.").set(2);
  registry.gauge("rtcgate_calls_active", "Calls in progress.").dec();
  Histogram& h = registry.histogram("rtcgate_call_setup_seconds", "INVITE to answer.\nSecond line \\ ok.",
                                    std::vector<double>{0.1, 0.5, 2.5}, {{"direction", "web_to_legacy"}});
  h.observe(0.05);
  h.observe(0.1);  // le is inclusive
  h.observe(0.3);
  h.observe(7);
  registry
      .counter("rtcgate_drops_total", "Packets dropped, by reason.",
               {{"reason", "srtp_auth"}, {"leg", "a\"b\\c\nd"}})
      .inc(5);
  const char* expected =
      "# HELP rtcgate_call_setup_seconds INVITE to answer.\\nSecond line \\\\ ok.\n"
      "# TYPE rtcgate_call_setup_seconds histogram\n"
      "rtcgate_call_setup_seconds_bucket{direction=\"web_to_legacy\",le=\"0.1\"} 2\n"
      "rtcgate_call_setup_seconds_bucket{direction=\"web_to_legacy\",le=\"0.5\"} 3\n"
      "rtcgate_call_setup_seconds_bucket{direction=\"web_to_legacy\",le=\"2.5\"} 3\n"
      "rtcgate_call_setup_seconds_bucket{direction=\"web_to_legacy\",le=\"+Inf\"} 4\n"
      "rtcgate_call_setup_seconds_sum{direction=\"web_to_legacy\"} 7.45\n"
      "rtcgate_call_setup_seconds_count{direction=\"web_to_legacy\"} 4\n"
      "# HELP rtcgate_calls_active Calls in progress.\n"
      "# TYPE rtcgate_calls_active gauge\n"
      "rtcgate_calls_active 1\n"
      "# HELP rtcgate_calls_total Calls ended, by outcome.\n"
      "# TYPE rtcgate_calls_total counter\n"
      "rtcgate_calls_total{outcome=\"answered\"} 3\n"
      "rtcgate_calls_total{outcome=\"busy\"} 1\n"
      "# HELP rtcgate_drops_total Packets dropped, by reason.\n"
      "# TYPE rtcgate_drops_total counter\n"
      "rtcgate_drops_total{leg=\"a\\\"b\\\\c\\nd\",reason=\"srtp_auth\"} 5\n";
  EXPECT_EQ(registry.render_prometheus(), expected);
}

TEST(Metrics, SameNameAndLabelsReturnSameMetric) {
  MetricsRegistry registry;
  Counter& a = registry.counter("x_total", "h", {{"b", "2"}, {"a", "1"}});
  Counter& b = registry.counter("x_total", "h", {{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(&a, &b);
  Counter& c = registry.counter("x_total", "h", {{"a", "1"}, {"b", "3"}});
  EXPECT_NE(&a, &c);
}

TEST(Metrics, EmptyHistogramAndSetupBuckets) {
  MetricsRegistry registry;
  registry.histogram("s", "h", kSetupLatencyBuckets);
  std::string text = registry.render_prometheus();
  EXPECT_NE(text.find("s_bucket{le=\"0.05\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("s_bucket{le=\"30\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("s_bucket{le=\"+Inf\"} 0\ns_sum 0\ns_count 0\n"), std::string::npos);
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  MetricsRegistry registry;
  Counter& counter = registry.counter("c_total", "h");
  Histogram& histogram = registry.histogram("h", "h", std::vector<double>{1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.inc();
        histogram.observe(0.5);
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(counter.value(), 40000u);
  Histogram::Snapshot snap = histogram.snapshot();
  EXPECT_EQ(snap.cumulative.back(), 40000u);
  EXPECT_DOUBLE_EQ(snap.sum, 20000.0);
}

TEST(Metrics, NumberFormat) {
  EXPECT_EQ(format_prometheus_number(0.25), "0.25");
  EXPECT_EQ(format_prometheus_number(1), "1");
  EXPECT_EQ(format_prometheus_number(1e21), "1e+21");
  EXPECT_EQ(format_prometheus_number(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_prometheus_number(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_prometheus_number(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(MetricsDeathTest, MisuseAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        MetricsRegistry r;
        r.counter("bad name", "h");
      },
      "bad metric name");
  EXPECT_DEATH(
      {
        MetricsRegistry r;
        r.counter("m", "h");
        r.gauge("m", "h");
      },
      "two types");
  EXPECT_DEATH(
      {
        MetricsRegistry r;
        r.histogram("m", "h", std::vector<double>{1}, {{"le", "x"}});
      },
      "reserved");
}

}  // namespace
}  // namespace rtcgate::gateway
