// A process-wide count of global operator new calls, for the SIP benchmarks' "allocations per
// message" figure. Linking sip_alloc_counter.cpp into a benchmark executable replaces the global
// operator new/delete family (forwarding to malloc/free). Relaxed atomic; thread-safe. Only for
// benchmark executables, never for a library or a test.
#pragma once

#include <cstdint>

namespace rtcgate::bench {

std::uint64_t sip_allocations() noexcept;

}  // namespace rtcgate::bench
