// Shared pieces of the transaction tests: a TransactionOwner that records what a state machine
// asks for, and builders for the requests and responses the tests feed it.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/response.hpp"
#include "rtcgate/sip/transaction/transaction.hpp"
#include "rtcgate/sip/uri.hpp"
#include "support/fake_clock.hpp"

namespace rtcgate::sip::test {

// Records every owner callback of one transaction.
class RecordingOwner final : public TransactionOwner {
 public:
  void send(Transaction&, const Message& message) override { sent.push_back(message); }
  void deliver(Transaction&, const Message& message) override { delivered.push_back(message); }
  void failed(Transaction&, TransactionFailure failure) override { failures.push_back(failure); }
  void terminated(Transaction&) override { ++terminations; }

  void clear() {
    sent.clear();
    delivered.clear();
    failures.clear();
    terminations = 0;
  }

  std::vector<Message> sent;
  std::vector<Message> delivered;
  std::vector<TransactionFailure> failures;
  int terminations = 0;
};

// A short description of a sent message for table comparisons: "INVITE", "ACK", "100", "486".
inline std::string describe(const Message& message) {
  return message.is_request() ? message.method_token() : std::to_string(message.status());
}

inline std::vector<std::string> describe_all(const std::vector<Message>& messages) {
  std::vector<std::string> out;
  for (const Message& m : messages)
    out.push_back(describe(m));
  return out;
}

inline Uri uri(std::string_view text) {
  auto parsed = parse_uri(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? *parsed : Uri{};
}

// A request as a UAC at 192.0.2.1 would send it to bob.
inline Message make_test_request(Method method, std::string_view branch = "z9hG4bKtest1",
                                 std::uint32_t cseq = 1, std::string_view transport = "UDP") {
  Message request = Message::request(method, uri("sip:bob@biloxi.example.com"));
  request.add("Via", "SIP/2.0/" + std::string(transport) + " 192.0.2.1:5060;branch=" + std::string(branch));
  request.add("Max-Forwards", "70");
  request.add("From", "Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl");
  request.add("To", "Bob <sip:bob@biloxi.example.com>");
  request.add("Call-ID", "3848276298220188511@atlanta.example.com");
  request.add("CSeq", make_cseq(cseq, method).to_string());
  return request;
}

// The response a UAS would send to `request` (To tag added for anything but 100).
inline Message make_test_response(const Message& request, int status,
                                  std::string_view to_tag = "8321234356") {
  return make_response(request, status, default_reason(status), status == 100 ? std::string_view{} : to_tag);
}

// Everything an FSM test needs: a fake clock, a recorder, and a context on top of them.
struct FsmHarness {
  testing::FakeTimerService timers;
  RecordingOwner owner;
  TransactionTimers config;

  TransactionContext context(bool reliable) { return TransactionContext{timers, owner, config, reliable, 1}; }
  Duration elapsed_since(TimePoint start) const { return timers.now() - start; }
};

}  // namespace rtcgate::sip::test
