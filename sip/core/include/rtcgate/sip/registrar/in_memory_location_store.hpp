// InMemoryLocationStore: the LocationStore of a single rtcgate node. AOR → bindings in a hash map,
// plus an index flow → AORs so that closing a WebSocket connection removes its bindings without a
// scan. Ownership: owns everything. Thread affinity: the signaling thread (not synchronised).
#pragma once

#include <map>
#include <string>
#include <unordered_map>

#include "rtcgate/sip/registrar/location_store.hpp"

namespace rtcgate::sip::registrar {

class InMemoryLocationStore final : public LocationStore {
 public:
  std::vector<Binding> bindings(std::string_view aor) const override;
  void replace(std::string_view aor, std::vector<Binding> bindings) override;
  std::size_t remove_flow(std::string_view flow) override;
  std::size_t purge_expired(TimePoint now) override;
  std::size_t size() const override { return count_; }

 private:
  void index(const std::string& aor, const std::vector<Binding>& bindings, int delta);

  std::unordered_map<std::string, std::vector<Binding>> by_aor_;
  // flow → (aor → number of that AOR's bindings on the flow)
  std::unordered_map<std::string, std::map<std::string, std::size_t>> by_flow_;
  std::size_t count_ = 0;
};

}  // namespace rtcgate::sip::registrar
