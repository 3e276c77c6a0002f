// Metrics registry: counters, gauges and histograms with labels, rendered in the Prometheus text
// exposition format 0.0.4 (`# HELP`, `# TYPE`, `name{label="value"} number`, histograms as
// `_bucket{le=…}`, `_sum`, `_count`).
//
// Ownership: the registry owns every metric; the references it returns stay valid for its
// lifetime. Thread affinity: registration and rendering take a mutex (rare: at start, per new
// label set, per scrape); updates through a returned reference are lock-free relaxed atomics, so
// the signaling thread and media workers may update without coordination. Components look a
// metric up once and keep the reference; never look it up per packet.
//
// Names are checked ([a-zA-Z_:][a-zA-Z0-9_:]*; label names [a-zA-Z_][a-zA-Z0-9_]*, not "__…",
// "le" reserved for histograms). A bad name, or one name registered with two types or help
// texts, is a programmer error and aborts.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtcgate::gateway {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// Call setup latency, seconds (INVITE received → 200 sent to the caller).
inline constexpr std::array<double, 10> kSetupLatencyBuckets{0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30};

class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(std::int64_t v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(std::int64_t n) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  void inc() noexcept { add(1); }
  void dec() noexcept { add(-1); }
  std::int64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

class Histogram {
 public:
  // Upper bounds, strictly increasing and finite; +Inf is implicit.
  explicit Histogram(std::span<const double> bounds);

  void observe(double value) noexcept;

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
  };
  // Read with relaxed loads: under concurrent updates a scrape may be off by the observations in
  // flight, as with any Prometheus client; count is derived from the buckets so _count equals
  // the +Inf bucket.
  Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
};

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // The same name and labels (in any order) return the same metric.
  Counter& counter(std::string_view name, std::string_view help, MetricLabels labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, MetricLabels labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, std::span<const double> bounds,
                       MetricLabels labels = {});

  // Families sorted by name, series by label values: stable output for diffs and tests.
  std::string render_prometheus() const;

 private:
  enum class Type { Counter, Gauge, Histogram };
  struct Family;
  Family& family(std::string_view name, std::string_view help, Type type);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
};

// Prometheus text escaping: HELP escapes '\' and newline; label values also '"'.
std::string escape_prometheus_help(std::string_view text);
std::string escape_prometheus_label_value(std::string_view text);
// Numbers as Prometheus writes them: shortest round-trip form, "+Inf", "-Inf", "NaN".
std::string format_prometheus_number(double value);

}  // namespace rtcgate::gateway
