#include "rtcgate/sip/registrar/in_memory_location_store.hpp"

#include <algorithm>

namespace rtcgate::sip::registrar {

std::vector<Binding> InMemoryLocationStore::bindings(std::string_view aor) const {
  const auto it = by_aor_.find(std::string(aor));
  if (it == by_aor_.end()) return {};
  return it->second;
}

void InMemoryLocationStore::index(const std::string& aor, const std::vector<Binding>& bindings, int delta) {
  for (const auto& binding : bindings) {
    if (binding.flow.empty()) continue;
    auto& aors = by_flow_[binding.flow];
    if (delta > 0) {
      ++aors[aor];
    } else if (auto it = aors.find(aor); it != aors.end() && --it->second == 0) {
      aors.erase(it);
    }
    if (aors.empty()) by_flow_.erase(binding.flow);
  }
}

void InMemoryLocationStore::replace(std::string_view aor_view, std::vector<Binding> bindings) {
  const std::string aor(aor_view);
  if (auto it = by_aor_.find(aor); it != by_aor_.end()) {
    index(aor, it->second, -1);
    count_ -= it->second.size();
    by_aor_.erase(it);
  }
  if (bindings.empty()) return;
  index(aor, bindings, +1);
  count_ += bindings.size();
  by_aor_.emplace(aor, std::move(bindings));
}

std::size_t InMemoryLocationStore::remove_flow(std::string_view flow) {
  const auto it = by_flow_.find(std::string(flow));
  if (it == by_flow_.end()) return 0;
  const std::map<std::string, std::size_t> aors = it->second;  // replace() edits the index
  std::size_t removed = 0;
  for (const auto& [aor, count] : aors) {
    std::vector<Binding> kept = bindings(aor);
    const auto before = kept.size();
    std::erase_if(kept, [&](const Binding& b) { return b.flow == flow; });
    removed += before - kept.size();
    replace(aor, std::move(kept));
  }
  return removed;
}

std::size_t InMemoryLocationStore::purge_expired(TimePoint now) {
  std::vector<std::string> touched;
  for (const auto& [aor, list] : by_aor_) {
    if (std::any_of(list.begin(), list.end(), [now](const Binding& b) { return !b.live(now); })) {
      touched.push_back(aor);
    }
  }
  std::size_t removed = 0;
  for (const auto& aor : touched) {
    std::vector<Binding> kept = bindings(aor);
    const auto before = kept.size();
    std::erase_if(kept, [now](const Binding& b) { return !b.live(now); });
    removed += before - kept.size();
    replace(aor, std::move(kept));
  }
  return removed;
}

}  // namespace rtcgate::sip::registrar
