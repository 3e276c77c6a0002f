// TestUa: construction, counters and what both roles share.
#include "test_ua.hpp"

#include <array>
#include <utility>

#include "rtcgate/sip/identifiers.hpp"

namespace rtcgate::sip::testua {
namespace {

using Counter = std::uint64_t Stats::*;
constexpr std::array<std::pair<std::string_view, Counter>, 15> kCounters{{
    {"invites_received", &Stats::invites_received},
    {"challenges_sent", &Stats::challenges_sent},
    {"authenticated", &Stats::authenticated},
    {"ringing_sent", &Stats::ringing_sent},
    {"answered", &Stats::answered},
    {"ok_retransmissions", &Stats::ok_retransmissions},
    {"acks_received", &Stats::acks_received},
    {"byes_answered", &Stats::byes_answered},
    {"cancels_answered", &Stats::cancels_answered},
    {"challenges_answered", &Stats::challenges_answered},
    {"acks_sent", &Stats::acks_sent},
    {"request_retransmissions", &Stats::request_retransmissions},
    {"response_retransmissions", &Stats::response_retransmissions},
    {"calls_completed", &Stats::calls_completed},
    {"failures", &Stats::failures},
}};

// One user known to the UAS's digest server; SIPp 3.6 answers MD5 only.
auth::DigestServerConfig digest_config() {
  return {
      .realm = "rtcgate.test", .algorithms = {auth::Algorithm::Md5}, .accept_rfc2069 = false, .nonces = {}};
}

}  // namespace

std::string Stats::to_string() const {
  std::string out;
  for (const auto& [name, member] : kCounters) {
    if (!out.empty()) out += ' ';
    out += name;
    out += '=';
    out += std::to_string(this->*member);
  }
  return out;
}

std::optional<std::uint64_t> Stats::get(std::string_view name) const {
  for (const auto& [counter_name, member] : kCounters) {
    if (counter_name == name) return this->*member;
  }
  return std::nullopt;
}

std::optional<Fault> parse_fault(std::string_view name) {
  if (name == "none") return Fault::None;
  if (name == "no-ack") return Fault::NoAck;
  if (name == "wrong-password") return Fault::WrongPassword;
  if (name == "no-ok-retransmission") return Fault::NoOkRetransmission;
  if (name == "answer-cancelled") return Fault::AnswerCancelled;
  return std::nullopt;
}

std::optional<Destination> destination_for(const Uri& uri) {
  if (!uri.is_sip() || uri.host.empty()) return std::nullopt;
  Destination to;
  to.kind = TransportKind::Udp;
  if (const auto transport = uri.transport()) {
    const auto kind = parse_transport_kind(*transport);
    if (!kind) return std::nullopt;
    to.kind = *kind;
  }
  to.address = TransportAddress{std::string(uri.host_without_brackets()), uri.port.value_or(5060)};
  return to;
}

TestUa::TestUa(TimerService& timers, SendFunction send, TestUaConfig config, std::function<void()> on_done)
    : timers_(timers),
      config_(std::move(config)),
      on_done_(std::move(on_done)),
      digest_server_(digest_config(),
                     [this](std::string_view user, std::string_view) -> std::optional<auth::UserSecret> {
                       if (user != config_.username) return std::nullopt;
                       return auth::UserSecret{.password = config_.password, .ha1_md5 = {}, .ha1_sha256 = {}};
                     }),
      digest_client_(config_.username,
                     config_.fault == Fault::WrongPassword ? "not-" + config_.password : config_.password),
      layer_(
          timers,
          [this, send = std::move(send)](const Message& message, const Destination& to, SendCompletion done) {
            count_send(message);
            send(message, to, std::move(done));
          },
          TransactionUser{
              .on_request = [this](TransactionId id, const Message& request,
                                   const Flow& flow) { on_request(id, request, flow); },
              .on_ack = [this](const Message& ack, const Flow&) { on_ack(ack); },
              .on_response = [this](TransactionId id, const Message& response) { on_response(id, response); },
              // A 2xx after the INVITE transaction ended: still ours to ACK (RFC 6026 §7.2).
              .on_stray_2xx = [this](const Message& response, const Flow&) { on_2xx(response); },
              .on_failure = [this](TransactionId id, TransactionFailure failure) { on_failure(id, failure); },
              .on_terminated = {},
          },
          TransactionLayer::Config{.timers = config_.timers, .max_transactions = 1000, .via_sent_by = {}}) {}

TestUa::~TestUa() {
  for (auto& [key, call] : server_calls_)
    timers_.cancel(call.retransmit);
  timers_.cancel(uac_.bye_timer);
}

void TestUa::on_failure(TransactionId, TransactionFailure) {
  ++stats_.failures;
  if (uac_.invite_id != TransactionId{}) finish(false);
}

// Every message goes out through here; a message whose start line, top branch and CSeq were sent
// before is a retransmission (timer A/E/G, or the UA core's 2xx and ACK resends).
void TestUa::count_send(const Message& message) {
  std::string key = message.is_request() ? message.method_token() : std::to_string(message.status());
  if (const auto via = message.top_via()) key += "|" + std::string(via->branch());
  if (const auto cseq = message.cseq()) key += "|" + cseq->to_string();
  if (sent_.insert(key).second) return;
  if (message.is_request()) {
    ++stats_.request_retransmissions;
  } else {
    ++stats_.response_retransmissions;
  }
}

std::string TestUa::via_for(TransportKind kind) const {
  const auto it = config_.local.find(kind);
  const TransportAddress local = it == config_.local.end() ? TransportAddress{"127.0.0.1", 5060} : it->second;
  return "SIP/2.0/" + std::string(via_token(kind)) + " " + local.to_string() + ";branch=" + make_branch() +
         ";rport";
}

std::string TestUa::contact_for(TransportKind kind) const {
  const auto it = config_.local.find(kind);
  const TransportAddress local = it == config_.local.end() ? TransportAddress{"127.0.0.1", 5060} : it->second;
  std::string contact = "<sip:" + config_.user + "@" + local.to_string();
  if (kind != TransportKind::Udp) {
    contact += ";transport=";
    for (const char c : via_token(kind))
      contact += static_cast<char>(c - 'A' + 'a');
  }
  return contact + ">";
}

}  // namespace rtcgate::sip::testua
