// Shared pieces of the TransactionLayer tests: a layer on a fake clock whose SendFunction and TU
// callbacks record everything, with send completions the test decides.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rtcgate/sip/transaction_layer.hpp"
#include "support/fake_clock.hpp"
#include "transaction_test_support.hpp"

namespace rtcgate::sip::test {

struct SentMessage {
  Message message;
  Destination to;
  SendCompletion done;
};

struct LayerHarness {
  explicit LayerHarness(TransactionLayer::Config config = {})
      : layer(timers, sender(), user(), std::move(config)) {}

  SendFunction sender() {
    return [this](const Message& message, const Destination& to, SendCompletion done) {
      sent.push_back(SentMessage{message, to, std::move(done)});
      if (fail_sends && sent.back().done) sent.back().done(make_error_code(TransportError::SendFailed));
    };
  }

  TransactionUser user() {
    TransactionUser u;
    u.on_request = [this](TransactionId id, const Message& request, const Flow& flow) {
      requests.emplace_back(id, request);
      request_flows.push_back(flow);
      if (answer_with) {
        answer_result = layer.send_response(id, make_test_response(request, *answer_with));
      }
    };
    u.on_ack = [this](const Message& ack, const Flow&) { acks.push_back(ack); };
    u.on_response = [this](TransactionId id, const Message& response) {
      responses.emplace_back(id, response);
      if (react_to_response) react_to_response(id, response);
    };
    u.on_stray_2xx = [this](const Message& response, const Flow&) { strays.push_back(response); };
    u.on_failure = [this](TransactionId id, TransactionFailure failure) {
      failures.emplace_back(id, failure);
    };
    u.on_terminated = [this](TransactionId id) { terminated.push_back(id); };
    return u;
  }

  std::vector<std::string> sent_descriptions() const {
    std::vector<std::string> out;
    for (const SentMessage& s : sent)
      out.push_back(describe(s.message));
    return out;
  }

  testing::FakeTimerService timers;
  std::vector<SentMessage> sent;
  bool fail_sends = false;
  std::optional<int> answer_with;  // on_request answers at once with this status when set
  std::optional<std::expected<void, std::error_code>> answer_result;
  std::function<void(TransactionId, const Message&)> react_to_response;  // runs inside on_response
  std::vector<std::pair<TransactionId, Message>> requests;
  std::vector<Flow> request_flows;
  std::vector<Message> acks;
  std::vector<std::pair<TransactionId, Message>> responses;
  std::vector<Message> strays;
  std::vector<std::pair<TransactionId, TransactionFailure>> failures;
  std::vector<TransactionId> terminated;
  TransactionLayer layer;  // last: destroyed first, before what its callbacks capture
};

inline Flow udp_flow(std::string_view remote_ip = "192.0.2.1", std::uint16_t remote_port = 5060) {
  return Flow{TransportKind::Udp, TransportAddress{"198.51.100.10", 5060},
              TransportAddress{std::string(remote_ip), remote_port}, 0};
}

inline Flow tcp_flow(ConnectionId connection = 7) {
  return Flow{TransportKind::Tcp, TransportAddress{"198.51.100.10", 5060},
              TransportAddress{"192.0.2.1", 40123}, connection};
}

inline Destination udp_destination() {
  return Destination{TransportKind::Udp, TransportAddress{"192.0.2.2", 5060}, std::nullopt};
}

}  // namespace rtcgate::sip::test
