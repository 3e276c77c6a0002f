// InMemoryCallRegistry: the single-node CallRegistry. Keeps the active calls in a map and keeps the
// call metrics of GET /metrics current (names are part of the operator contract):
//
//   rtcgate_calls_active                          gauge     calls between begin() and end()
//   rtcgate_calls_total{outcome}                  counter   ended calls by CallOutcome
//   rtcgate_call_setup_seconds                    histogram begin() → answered() (INVITE → 2xx)
//   rtcgate_registrations{kind}                   gauge     current registrations, local / relay
//   rtcgate_packets_total{leg,direction}          counter   media packets, leg web|legacy,
//                                                           direction received|sent
//   rtcgate_packet_drops_total{reason}            counter   packets the media path discarded
//
// Every label value is registered at construction, so a scrape shows zeros rather than missing
// series. Ownership: borrows the metrics registry, which must outlive it. Thread affinity: the
// signaling thread (call_registry.hpp).
#pragma once

#include "rtcgate/gateway/call_registry.hpp"
#include "rtcgate/gateway/metrics.hpp"

#include <array>
#include <functional>
#include <map>
#include <string>

namespace rtcgate::gateway {

class InMemoryCallRegistry final : public CallRegistry {
 public:
  explicit InMemoryCallRegistry(MetricsRegistry& metrics);

  std::vector<CallInfo> calls() const override;
  bool begin(CallInfo info, Clock::time_point now) override;
  bool set_state(std::string_view id, std::string_view state) override;
  bool set_leg(std::string_view id, CallLegInfo leg) override;
  bool set_transport_state(std::string_view id, std::string_view ice_state,
                           std::string_view dtls_state) override;
  bool set_transcoding(std::string_view id, bool transcoding) override;
  bool answered(std::string_view id, Clock::time_point now, std::int64_t now_unix_ms) override;
  bool update_media(std::string_view id, const CallMediaCounters& counters) override;
  bool end(std::string_view id, CallOutcome outcome) override;
  void set_registrations(RegistrationKind kind, std::size_t count) override;
  std::size_t size() const override { return calls_.size(); }

 private:
  struct Entry {
    CallInfo info;
    Clock::time_point started;
    bool answered = false;
    CallMediaCounters last;  // the previous snapshot, to count differences
  };
  Entry* find(std::string_view id);

  std::map<std::string, Entry, std::less<>> calls_;
  Gauge& active_;
  std::array<Counter*, kCallOutcomeCount> outcomes_{};
  Histogram& setup_seconds_;
  std::array<Gauge*, 2> registrations_{};
  Counter& web_received_;
  Counter& web_sent_;
  Counter& legacy_received_;
  Counter& legacy_sent_;
  std::array<Counter*, media::kDropReasonCount> drops_{};
};

}  // namespace rtcgate::gateway
