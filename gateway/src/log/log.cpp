#include "rtcgate/gateway/log.hpp"

#include <atomic>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <vector>

namespace rtcgate::gateway {
namespace {

bool needs_quotes(std::string_view text) {
  if (text.empty()) return true;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '=' || c == '\\') return true;
  }
  return false;
}

void append_escaped(std::string& out, std::string_view text) {
  if (!needs_quotes(text)) {
    out += text;
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += "\\x";
          out += kHex[u >> 4];
          out += kHex[u & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

template <typename T>
void append_number(std::string& out, T value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, ec == std::errc{} ? end : buffer);
}

void append_value(std::string& out, const LogField::Value& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          append_escaped(out, v);
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else {
          append_number(out, v);
        }
      },
      value);
}

void append_timestamp(std::string& out) {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  out += buffer;
}

}  // namespace

struct Logger::State {
  std::atomic<LogLevel> level{LogLevel::Info};
  std::atomic<bool> timestamps{true};
  std::mutex mutex;
  Sink sink;
};

Logger::Logger() : state_(std::make_unique<State>()) {}
Logger::~Logger() = default;

Logger& Logger::global() {
  static Logger logger;
  return logger;
}

void Logger::set_level(LogLevel level) {
  state_->level.store(level, std::memory_order_relaxed);
}
LogLevel Logger::level() const {
  return state_->level.load(std::memory_order_relaxed);
}
bool Logger::enabled(LogLevel level) const {
  return level <= this->level();
}
void Logger::set_timestamps(bool on) {
  state_->timestamps.store(on, std::memory_order_relaxed);
}

void Logger::set_sink(Sink sink) {
  std::lock_guard lock(state_->mutex);
  state_->sink = std::move(sink);
}

void Logger::write(LogLevel level, std::string_view event, std::span<const LogField> fields) {
  if (!enabled(level)) return;
  std::string line;
  line.reserve(128);
  if (state_->timestamps.load(std::memory_order_relaxed)) append_timestamp(line);
  line += format_log_line(level, event, fields);
  std::lock_guard lock(state_->mutex);
  if (state_->sink) {
    state_->sink(line);
    return;
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

std::string format_log_line(LogLevel level, std::string_view event, std::span<const LogField> fields) {
  std::string line = "level=";
  line += to_string(level);
  line += " event=";
  append_escaped(line, event);
  for (const LogField& field : fields) {
    line += ' ';
    line += field.key;
    line += '=';
    append_value(line, field.value);
  }
  return line;
}

bool RateLimiter::allow(Clock::time_point now, std::uint64_t& suppressed) {
  if (!started_ || now - window_start_ >= interval_) {
    started_ = true;
    window_start_ = now;
    in_window_ = 0;
  }
  if (in_window_ >= burst_) {
    ++suppressed_;
    return false;
  }
  ++in_window_;
  suppressed = suppressed_;
  suppressed_ = 0;
  return true;
}

void log_limited(RateLimiter& limiter, LogLevel level, std::string_view event, LogFields fields) {
  Logger& logger = Logger::global();
  if (!logger.enabled(level)) return;
  std::uint64_t suppressed = 0;
  if (!limiter.allow(RateLimiter::Clock::now(), suppressed)) return;
  std::vector<LogField> all(fields.begin(), fields.end());
  if (suppressed != 0) all.emplace_back("suppressed", suppressed);
  logger.write(level, event, all);
}

}  // namespace rtcgate::gateway
