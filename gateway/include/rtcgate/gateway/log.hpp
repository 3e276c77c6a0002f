// Structured logging: one line per event, "key=value" fields, level-filtered, to stderr (or a sink
// set by tests). Lines look like
//   2026-11-25T10:41:00.123Z level=info event=call.answered call_id=a84b4c76e66710 code=200
// Values with spaces, quotes, '=' or control characters are quoted, with \" \\ \n \r \t and \xNN
// escapes, so a hostile SIP header can never forge a second line or a field.
//
// Thread affinity: any thread; each line is formatted locally and written with one call under a
// mutex. Never log per packet: the packet path counts drops in metrics, and anything that can
// repeat goes through a RateLimiter.
#pragma once

#include "rtcgate/gateway/config.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace rtcgate::gateway {

struct LogField {
  using Value = std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool>;
  LogField(std::string_view k, std::string_view v) : key(k), value(v) {}
  LogField(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  LogField(std::string_view k, int v) : key(k), value(std::int64_t{v}) {}
  LogField(std::string_view k, long v) : key(k), value(std::int64_t{v}) {}
  LogField(std::string_view k, long long v) : key(k), value(std::int64_t{v}) {}
  LogField(std::string_view k, unsigned v) : key(k), value(std::uint64_t{v}) {}
  LogField(std::string_view k, unsigned long v) : key(k), value(std::uint64_t{v}) {}
  LogField(std::string_view k, unsigned long long v) : key(k), value(std::uint64_t{v}) {}
  LogField(std::string_view k, double v) : key(k), value(v) {}
  LogField(std::string_view k, bool v) : key(k), value(v) {}

  std::string_view key;
  Value value;
};

using LogFields = std::initializer_list<LogField>;

class Logger {
 public:
  using Sink = std::function<void(std::string_view line)>;

  // The process-wide logger.
  static Logger& global();

  void set_level(LogLevel level);
  LogLevel level() const;
  bool enabled(LogLevel level) const;
  // Replaces the stderr sink (tests capture lines); an empty sink restores stderr.
  void set_sink(Sink sink);
  // Adds the timestamp field (on by default; tests turn it off for exact lines).
  void set_timestamps(bool on);

  void write(LogLevel level, std::string_view event, std::span<const LogField> fields);
  void write(LogLevel level, std::string_view event, LogFields fields) {
    write(level, event, std::span<const LogField>(fields.begin(), fields.size()));
  }

 private:
  struct State;
  Logger();
  ~Logger();
  std::unique_ptr<State> state_;
};

// Formats one line without the timestamp: "level=info event=x k=v ..." (no newline).
std::string format_log_line(LogLevel level, std::string_view event, std::span<const LogField> fields);

inline void log_error(std::string_view event, LogFields fields = {}) {
  Logger::global().write(LogLevel::Error, event, fields);
}
inline void log_warn(std::string_view event, LogFields fields = {}) {
  Logger::global().write(LogLevel::Warn, event, fields);
}
inline void log_info(std::string_view event, LogFields fields = {}) {
  Logger::global().write(LogLevel::Info, event, fields);
}
inline void log_debug(std::string_view event, LogFields fields = {}) {
  Logger::global().write(LogLevel::Debug, event, fields);
}

// Lets through at most `burst` events per `interval`; the first event after a suppressed run
// reports how many were dropped (field "suppressed"). Not thread-safe: one per owner (per call,
// per listener), used on the owner's thread. Time is passed in so tests need no sleeps.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(unsigned burst, Clock::duration interval) : burst_(burst), interval_(interval) {}

  // True if this event may be logged; `suppressed` is then the count dropped since the last one.
  bool allow(Clock::time_point now, std::uint64_t& suppressed);

 private:
  unsigned burst_;
  Clock::duration interval_;
  Clock::time_point window_start_{};
  unsigned in_window_ = 0;
  std::uint64_t suppressed_ = 0;
  bool started_ = false;
};

// Logs `event` through `limiter` at `level`, adding "suppressed=N" when events were dropped.
void log_limited(RateLimiter& limiter, LogLevel level, std::string_view event, LogFields fields);

}  // namespace rtcgate::gateway
