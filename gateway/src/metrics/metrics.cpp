#include "rtcgate/gateway/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <variant>

namespace rtcgate::gateway {
namespace {

[[noreturn]] void misuse(std::string_view what, std::string_view name) {
  std::fprintf(stderr, "metrics: %.*s: '%.*s'\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(name.size()), name.data());
  std::abort();
}

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

// Canonical label set: sorted by name, names checked.
MetricLabels canonical(MetricLabels labels, bool histogram) {
  std::sort(labels.begin(), labels.end());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string& name = labels[i].first;
    if (!valid_name(name, false) || name.starts_with("__")) misuse("bad label name", name);
    if (histogram && name == "le") misuse("label 'le' is reserved for histogram buckets", name);
    if (i > 0 && labels[i - 1].first == name) misuse("label given twice", name);
  }
  return labels;
}

void append_labels(std::string& out, const MetricLabels& labels, std::string_view le = {}) {
  if (labels.empty() && le.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    out += first ? "" : ",";
    first = false;
    out += name + "=\"" + escape_prometheus_label_value(value) + "\"";
  }
  if (!le.empty()) {
    out += first ? "" : ",";
    out += "le=\"" + std::string(le) + "\"";
  }
  out += '}';
}

}  // namespace

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds.begin(), bounds.end()),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i]) || (i > 0 && bounds_[i] <= bounds_[i - 1])) {
      misuse("histogram bounds must be finite and strictly increasing", "");
    }
  }
}

void Histogram::observe(double value) noexcept {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i])
    ++i;  // le: value <= bound
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snap;
  snap.bounds = bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    snap.cumulative.push_back(running);
  }
  snap.sum = sum_.load(std::memory_order_relaxed);
  return snap;
}

struct MetricsRegistry::Family {
  Type type;
  std::string help;
  std::vector<double> bounds;
  std::map<MetricLabels,
           std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::unique_ptr<Histogram>>>
      series;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Family& MetricsRegistry::family(std::string_view name, std::string_view help, Type type) {
  if (!valid_name(name, true)) misuse("bad metric name", name);
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_
             .emplace(std::string(name), std::make_unique<Family>(Family{type, std::string(help), {}, {}}))
             .first;
  }
  Family& f = *it->second;
  if (f.type != type) misuse("metric registered with two types", name);
  if (f.help != help) misuse("metric registered with two help texts", name);
  return f;
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help, MetricLabels labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::Counter).series[canonical(std::move(labels), false)];
  if (slot.index() != 0 || !std::get<0>(slot)) slot = std::make_unique<Counter>();
  return *std::get<0>(slot);
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, MetricLabels labels) {
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::Gauge).series[canonical(std::move(labels), false)];
  if (slot.index() != 1) slot = std::make_unique<Gauge>();
  return *std::get<1>(slot);
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      std::span<const double> bounds, MetricLabels labels) {
  std::lock_guard lock(mutex_);
  Family& f = family(name, help, Type::Histogram);
  std::vector<double> wanted(bounds.begin(), bounds.end());
  if (f.series.empty()) f.bounds = wanted;
  if (f.bounds != wanted) misuse("histogram registered with two bucket layouts", name);
  auto& slot = f.series[canonical(std::move(labels), true)];
  if (slot.index() != 2) slot = std::make_unique<Histogram>(bounds);
  return *std::get<2>(slot);
}

std::string MetricsRegistry::render_prometheus() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    static constexpr std::string_view kTypes[] = {"counter", "gauge", "histogram"};
    out += "# HELP " + name + " " + escape_prometheus_help(f->help) + "\n";
    out += "# TYPE " + name + " " + std::string(kTypes[static_cast<int>(f->type)]) + "\n";
    for (const auto& [labels, metric] : f->series) {
      if (const auto* c = std::get_if<0>(&metric)) {
        out += name;
        append_labels(out, labels);
        out += " " + std::to_string((*c)->value()) + "\n";
      } else if (const auto* g = std::get_if<1>(&metric)) {
        out += name;
        append_labels(out, labels);
        out += " " + std::to_string((*g)->value()) + "\n";
      } else {
        Histogram::Snapshot snap = std::get<2>(metric)->snapshot();
        for (std::size_t i = 0; i <= snap.bounds.size(); ++i) {
          std::string le = i < snap.bounds.size() ? format_prometheus_number(snap.bounds[i]) : "+Inf";
          out += name + "_bucket";
          append_labels(out, labels, le);
          out += " " + std::to_string(snap.cumulative[i]) + "\n";
        }
        out += name + "_sum";
        append_labels(out, labels);
        out += " " + format_prometheus_number(snap.sum) + "\n";
        out += name + "_count";
        append_labels(out, labels);
        out += " " + std::to_string(snap.cumulative.back()) + "\n";
      }
    }
  }
  return out;
}

std::string escape_prometheus_help(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_prometheus_label_value(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_prometheus_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, ec == std::errc{} ? end : buffer);
}

}  // namespace rtcgate::gateway
