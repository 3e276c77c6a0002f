#include "rtcgate/gateway/call_registry.hpp"
#include "rtcgate/gateway/json_writer.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace rtcgate::gateway {
namespace {

std::string quoted(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(JsonWriter, EscapesStrings) {
  EXPECT_EQ(quoted("plain"), "\"plain\"");
  EXPECT_EQ(quoted("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
  EXPECT_EQ(quoted("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(quoted(std::string_view("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(quoted("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e"),
            "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e\"");
}

TEST(JsonWriter, ReplacesInvalidUtf8) {
  const std::string kFffd = "\xef\xbf\xbd";
  EXPECT_EQ(quoted("a\xff"
                   "b"),
            "\"a" + kFffd + "b\"");
  EXPECT_EQ(quoted("\xc3"), "\"" + kFffd + "\"");                                      // truncated
  EXPECT_EQ(quoted("\xc0\xaf"), "\"" + kFffd + kFffd + "\"");                          // overlong '/'
  EXPECT_EQ(quoted("\xed\xa0\x80"), "\"" + kFffd + kFffd + kFffd + "\"");              // surrogate
  EXPECT_EQ(quoted("\xf4\x90\x80\x80"), "\"" + kFffd + kFffd + kFffd + kFffd + "\"");  // > U+10FFFF
}

TEST(JsonWriter, NestsWithCommas) {
  JsonWriter json;
  json.begin_object()
      .field("a", 1)
      .field("b", "x")
      .key("c")
      .begin_array()
      .value(true)
      .null()
      .value(2.5)
      .value(std::numeric_limits<double>::infinity())
      .begin_object()
      .end_object()
      .begin_array()
      .end_array()
      .end_array()
      .field("d", std::uint64_t{18446744073709551615u})
      .field("e", -3)
      .end_object();
  EXPECT_EQ(json.str(), R"({"a":1,"b":"x","c":[true,null,2.5,null,{},[]],"d":18446744073709551615,"e":-3})");
}

TEST(CallJson, JsonOfCalls) {
  EXPECT_EQ(calls_to_json({}), "[]");
  CallInfo call;
  call.id = "c1";
  call.state = "active";
  call.from = "\"Alice\" <sip:alice@localhost>";
  call.to = "sip:echo@localhost";
  call.started_unix_ms = 1700000000000;
  call.answered_unix_ms = 1700000000250;
  call.transcoding = true;
  CallLegInfo web;
  web.kind = "web";
  web.sip_call_id = "abc";
  web.codec = "opus/48000/2";
  web.ice_state = "connected";
  web.dtls_state = "connected";
  web.packets_sent = 10;
  web.packets_received = 9;
  web.packets_lost = 1;
  web.jitter_ms = 1.5;
  call.legs.push_back(web);
  call.drops = {{"srtp_auth", 2}};
  CallInfo early = call;
  early.id = "c0";
  early.state = "early";
  early.answered_unix_ms = 0;
  early.legs.clear();
  early.drops.clear();
  std::vector<CallInfo> calls{early, call};
  std::string json = calls_to_json(calls);
  EXPECT_EQ(
      json,
      R"([{"id":"c0","state":"early","from":"\"Alice\" <sip:alice@localhost>","to":"sip:echo@localhost",)"
      R"("started_unix_ms":1700000000000,"answered_unix_ms":0,"transcoding":true,"legs":[],"drops":{}},)"
      R"({"id":"c1","state":"active","from":"\"Alice\" <sip:alice@localhost>","to":"sip:echo@localhost",)"
      R"("started_unix_ms":1700000000000,"answered_unix_ms":1700000000250,"transcoding":true,)"
      R"("legs":[{"kind":"web","sip_call_id":"abc",)"
      R"("remote_uri":"","transport":"","codec":"opus/48000/2","ice_state":"connected",)"
      R"("dtls_state":"connected","packets_sent":10,"packets_received":9,"packets_lost":1,)"
      R"("jitter_ms":1.5}],"drops":{"srtp_auth":2}}])");
}

}  // namespace
}  // namespace rtcgate::gateway
