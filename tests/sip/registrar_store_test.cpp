// InMemoryLocationStore on its own: replace semantics, the flow index staying consistent when
// bindings move between flows, purge and lookup by time.
#include <gtest/gtest.h>

#include <string>

#include "rtcgate/sip/registrar/in_memory_location_store.hpp"

namespace rtcgate::sip::registrar {
namespace {

using namespace std::chrono_literals;

Binding binding(std::string aor, std::string uri, std::string flow, TimePoint expires_at) {
  Binding b;
  b.aor = std::move(aor);
  b.uri = uri;
  b.contact = "<" + uri + ">";
  b.flow = std::move(flow);
  b.expires_at = expires_at;
  return b;
}

TEST(InMemoryLocationStore, ReplaceAndForget) {
  const TimePoint t = TimePoint{} + 1h;
  InMemoryLocationStore store;
  store.replace("sip:a@x", {binding("sip:a@x", "sip:a@1.1.1.1", "f1", t + 10s),
                            binding("sip:a@x", "sip:a@2.2.2.2", "", t + 20s)});
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.bindings("sip:a@x").size(), 2u);
  EXPECT_TRUE(store.bindings("sip:b@x").empty());
  store.replace("sip:a@x", {});
  EXPECT_EQ(store.size(), 0u);
  EXPECT_TRUE(store.bindings("sip:a@x").empty());
  EXPECT_EQ(store.remove_flow("f1"), 0u);  // the index forgot the flow with the AOR
}

TEST(InMemoryLocationStore, FlowIndexFollowsReplacements) {
  const TimePoint t = TimePoint{} + 1h;
  InMemoryLocationStore store;
  store.replace("sip:a@x", {binding("sip:a@x", "sip:a@ws", "conn-1", t + 60s)});
  store.replace("sip:b@x", {binding("sip:b@x", "sip:b@ws", "conn-1", t + 60s)});
  // a's browser reconnected: its binding now lives on conn-2.
  store.replace("sip:a@x", {binding("sip:a@x", "sip:a@ws2", "conn-2", t + 60s)});
  EXPECT_EQ(store.remove_flow("conn-1"), 1u);  // only b's binding
  EXPECT_TRUE(store.bindings("sip:b@x").empty());
  ASSERT_EQ(store.bindings("sip:a@x").size(), 1u);
  EXPECT_EQ(store.remove_flow("conn-2"), 1u);
  EXPECT_EQ(store.size(), 0u);
}

TEST(InMemoryLocationStore, LookupAndPurgeByTime) {
  const TimePoint t = TimePoint{} + 1h;
  InMemoryLocationStore store;
  store.replace("sip:a@x",
                {binding("sip:a@x", "sip:a@1", "f", t + 10s), binding("sip:a@x", "sip:a@2", "f", t + 30s)});
  EXPECT_EQ(store.lookup("sip:a@x", t + 9s).size(), 2u);
  ASSERT_EQ(store.lookup("sip:a@x", t + 10s).size(), 1u);  // expiry instant is exclusive
  EXPECT_EQ(store.lookup("sip:a@x", t + 10s)[0].uri, "sip:a@2");
  EXPECT_EQ(store.purge_expired(t + 10s), 1u);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(store.remove_flow("f"), 1u);
  EXPECT_EQ(store.purge_expired(t + 1h), 0u);
}

}  // namespace
}  // namespace rtcgate::sip::registrar
