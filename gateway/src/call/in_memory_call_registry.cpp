#include "rtcgate/gateway/in_memory_call_registry.hpp"

#include <algorithm>

namespace rtcgate::gateway {
namespace {

constexpr std::string_view kPacketsHelp =
    "Media packets by leg (web, legacy) and direction (received, sent).";

// Adds what a cumulative counter grew by since the last snapshot. A smaller value means the
// source restarted (a new media session for the call), so all of it is new.
void add_growth(Counter& counter, std::uint64_t previous, std::uint64_t current) {
  counter.inc(current >= previous ? current - previous : current);
}

void copy_counters(CallLegInfo& leg, const LegMediaCounters& counters) {
  leg.packets_received = counters.packets_received;
  leg.packets_sent = counters.packets_sent;
  leg.packets_lost = counters.packets_lost;
  leg.jitter_ms = counters.jitter_ms;
}

}  // namespace

InMemoryCallRegistry::InMemoryCallRegistry(MetricsRegistry& metrics)
    : active_(metrics.gauge("rtcgate_calls_active", "Calls in progress.")),
      setup_seconds_(metrics.histogram(
          "rtcgate_call_setup_seconds",
          "Call setup latency: INVITE received to 2xx sent to the caller, seconds.", kSetupLatencyBuckets)),
      web_received_(metrics.counter("rtcgate_packets_total", kPacketsHelp,
                                    {{"leg", "web"}, {"direction", "received"}})),
      web_sent_(
          metrics.counter("rtcgate_packets_total", kPacketsHelp, {{"leg", "web"}, {"direction", "sent"}})),
      legacy_received_(metrics.counter("rtcgate_packets_total", kPacketsHelp,
                                       {{"leg", "legacy"}, {"direction", "received"}})),
      legacy_sent_(metrics.counter("rtcgate_packets_total", kPacketsHelp,
                                   {{"leg", "legacy"}, {"direction", "sent"}})) {
  for (std::size_t i = 0; i < kCallOutcomeCount; ++i) {
    auto outcome = static_cast<CallOutcome>(i);
    outcomes_[i] = &metrics.counter("rtcgate_calls_total", "Ended calls by outcome.",
                                    {{"outcome", std::string(to_string(outcome))}});
  }
  for (RegistrationKind kind : {RegistrationKind::Local, RegistrationKind::Relay}) {
    registrations_[static_cast<std::size_t>(kind)] =
        &metrics.gauge("rtcgate_registrations", "Current web user registrations by kind (local, relay).",
                       {{"kind", std::string(to_string(kind))}});
  }
  for (std::size_t i = 0; i < media::kDropReasonCount; ++i) {
    auto reason = static_cast<media::Drop>(i);
    drops_[i] = &metrics.counter("rtcgate_packet_drops_total", "Media packets discarded, by reason.",
                                 {{"reason", std::string(media::to_string(reason))}});
  }
}

InMemoryCallRegistry::Entry* InMemoryCallRegistry::find(std::string_view id) {
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : &it->second;
}

std::vector<CallInfo> InMemoryCallRegistry::calls() const {
  std::vector<CallInfo> out;
  out.reserve(calls_.size());
  for (const auto& [id, entry] : calls_)
    out.push_back(entry.info);
  return out;
}

bool InMemoryCallRegistry::begin(CallInfo info, Clock::time_point now) {
  if (info.id.empty() || calls_.contains(info.id)) return false;
  if (info.state.empty()) info.state = "setup";
  std::string id = info.id;
  calls_.emplace(std::move(id),
                 Entry{.info = std::move(info), .started = now, .answered = false, .last = {}});
  active_.inc();
  return true;
}

bool InMemoryCallRegistry::set_state(std::string_view id, std::string_view state) {
  Entry* entry = find(id);
  if (entry == nullptr) return false;
  entry->info.state = state;
  return true;
}

bool InMemoryCallRegistry::set_leg(std::string_view id, CallLegInfo leg) {
  Entry* entry = find(id);
  if (entry == nullptr) return false;
  auto& legs = entry->info.legs;
  auto it = std::find_if(legs.begin(), legs.end(), [&](const CallLegInfo& l) { return l.kind == leg.kind; });
  if (it == legs.end()) {
    legs.push_back(std::move(leg));
    return true;
  }
  leg.packets_sent = it->packets_sent;
  leg.packets_received = it->packets_received;
  leg.packets_lost = it->packets_lost;
  leg.jitter_ms = it->jitter_ms;
  *it = std::move(leg);
  return true;
}

bool InMemoryCallRegistry::set_transport_state(std::string_view id, std::string_view ice_state,
                                               std::string_view dtls_state) {
  Entry* entry = find(id);
  if (entry == nullptr) return false;
  for (CallLegInfo& leg : entry->info.legs) {
    if (leg.kind != "web") continue;
    leg.ice_state = ice_state;
    leg.dtls_state = dtls_state;
    return true;
  }
  CallLegInfo web;
  web.kind = "web";
  web.ice_state = ice_state;
  web.dtls_state = dtls_state;
  entry->info.legs.push_back(std::move(web));
  return true;
}

bool InMemoryCallRegistry::set_transcoding(std::string_view id, bool transcoding) {
  Entry* entry = find(id);
  if (entry == nullptr) return false;
  entry->info.transcoding = transcoding;
  return true;
}

bool InMemoryCallRegistry::answered(std::string_view id, Clock::time_point now, std::int64_t now_unix_ms) {
  Entry* entry = find(id);
  if (entry == nullptr) return false;
  entry->info.state = "active";
  if (!entry->answered) {
    entry->answered = true;
    entry->info.answered_unix_ms = now_unix_ms;
    setup_seconds_.observe(std::chrono::duration<double>(now - entry->started).count());
  }
  return true;
}

bool InMemoryCallRegistry::update_media(std::string_view id, const CallMediaCounters& counters) {
  Entry* entry = find(id);
  if (entry == nullptr) return false;
  const CallMediaCounters& last = entry->last;
  add_growth(web_received_, last.web.packets_received, counters.web.packets_received);
  add_growth(web_sent_, last.web.packets_sent, counters.web.packets_sent);
  add_growth(legacy_received_, last.legacy.packets_received, counters.legacy.packets_received);
  add_growth(legacy_sent_, last.legacy.packets_sent, counters.legacy.packets_sent);
  entry->info.drops.clear();
  for (std::size_t i = 0; i < media::kDropReasonCount; ++i) {
    auto reason = static_cast<media::Drop>(i);
    add_growth(*drops_[i], last.drops[reason], counters.drops[reason]);
    if (counters.drops[reason] != 0)
      entry->info.drops.emplace_back(media::to_string(reason), counters.drops[reason]);
  }
  for (CallLegInfo& leg : entry->info.legs) {
    if (leg.kind == "web") copy_counters(leg, counters.web);
    if (leg.kind == "legacy") copy_counters(leg, counters.legacy);
  }
  entry->last = counters;
  return true;
}

bool InMemoryCallRegistry::end(std::string_view id, CallOutcome outcome) {
  auto it = calls_.find(id);
  if (it == calls_.end()) return false;
  calls_.erase(it);
  active_.dec();
  outcomes_[static_cast<std::size_t>(outcome)]->inc();
  return true;
}

void InMemoryCallRegistry::set_registrations(RegistrationKind kind, std::size_t count) {
  registrations_[static_cast<std::size_t>(kind)]->set(static_cast<std::int64_t>(count));
}

}  // namespace rtcgate::gateway
