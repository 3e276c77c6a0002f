#include "rtcgate/gateway/test_endpoint/test_endpoint.hpp"

#include "rtcgate/gateway/log.hpp"
#include "test_endpoint/rtp_leg.hpp"

#include <rtcgate/sdp/attributes/direction.hpp>
#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sdp/writer.hpp>
#include <rtcgate/sip/asio/asio_timer_service.hpp>
#include <rtcgate/sip/asio/transport_manager.hpp>
#include <rtcgate/sip/dialog/answer_retransmitter.hpp>
#include <rtcgate/sip/dialog/dialog.hpp>
#include <rtcgate/sip/dialog/dialog_id.hpp>
#include <rtcgate/sip/identifiers.hpp>
#include <rtcgate/sip/parser.hpp>
#include <rtcgate/sip/response.hpp>
#include <rtcgate/sip/serialize.hpp>
#include <rtcgate/sip/transaction_layer.hpp>

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <random>
#include <unordered_map>

namespace rtcgate::gateway::test_endpoint {
namespace {

constexpr std::string_view kAllow = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO";
constexpr std::string_view kWarnHost = "rtcgate-test-endpoint";

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(text[i]) != prefix[i]) return false;
  }
  return true;
}

std::string listen_string(const std::string& address, std::uint16_t port) {
  bool v6 = address.find(':') != std::string::npos;
  return "udp:" + (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += (c == '\r' || c == '\n') ? ' ' : c;
  }
  return out + "\"";
}

struct Call {
  RtpLeg::Mode mode = RtpLeg::Mode::Echo;
  std::string user;
  std::string call_id;
  std::string local_tag;
  sip::Message invite;  // the initial INVITE, until it is answered
  sip::Flow flow;
  sip::TransactionId invite_tx{};
  bool answered = false;  // a final response went to the initial INVITE
  std::optional<sip::Dialog> dialog;
  std::string sdp;  // our current answer
  // The latest 2xx to an INVITE, retransmitted until its ACK (RFC 3261 §13.3.1.4).
  sip::Message answer;
  sip::TransactionId answer_tx{};
  sip::Destination answer_to;
  std::unique_ptr<sip::AnswerRetransmitter> retransmitter;
  sip::TimerHandle answer_timer;
  std::shared_ptr<RtpLeg> rtp;
  std::string sdp_session_id;
  std::uint64_t sdp_version = 0;
};

}  // namespace

class TestEndpoint::Impl {
 public:
  Impl(boost::asio::io_context& io, Options options, std::unique_ptr<sip::asio::TransportManager> transport)
      : io_(io), options_(std::move(options)), transport_(std::move(transport)), timers_(io) {
    bound_ = transport_->listeners().front().local;
    sip::TransactionLayer::Config lc;
    lc.timers = options_.timers;
    lc.via_sent_by = [this](const sip::Destination&) -> std::optional<std::string> {
      return bound_.to_string();
    };
    sip::TransactionUser user;
    user.on_request = [this](sip::TransactionId id, const sip::Message& request, const sip::Flow& flow) {
      on_request(id, request, flow);
    };
    user.on_ack = [this](const sip::Message& ack, const sip::Flow&) { on_ack(ack); };
    layer_ = std::make_unique<sip::TransactionLayer>(timers_, sip::make_transport_sender(*transport_),
                                                     std::move(user), std::move(lc));
    sip::TransportEvents events;
    events.on_message = [this](const sip::Flow& flow, std::string_view bytes) { on_message(flow, bytes); };
    transport_->set_events(std::move(events));
  }

  ~Impl() { stop(); }

  void stop() {
    for (auto& [key, call] : calls_)
      release(*call);
    calls_.clear();
    if (transport_) transport_->set_events({});
    layer_.reset();
    transport_.reset();
  }

  const sip::TransportAddress& address() const { return bound_; }
  std::size_t active_calls() const { return calls_.size(); }

  Stats stats() const {
    Stats out = stats_;
    for (const auto& [key, call] : calls_) {
      if (call->rtp) {
        out.rtp_received += call->rtp->received();
        out.rtp_sent += call->rtp->sent();
      }
    }
    return out;
  }

 private:
  using CallMap = std::unordered_map<std::string, std::unique_ptr<Call>>;

  static std::string key_of(std::string_view call_id, std::string_view local_tag) {
    std::string key(call_id);
    key += '\n';
    key += local_tag;
    return key;
  }

  std::string contact(std::string_view user) const {
    return "<sip:" + std::string(user) + "@" + bound_.to_string() + ">";
  }

  void on_message(const sip::Flow& flow, std::string_view bytes) {
    auto message = sip::parse_message(bytes);
    if (message) {
      layer_->receive(*message, flow);
      return;
    }
    if (auto answer = sip::make_bad_request(bytes, message.error(), kWarnHost)) {
      transport_->send(flow, sip::serialize(*answer), {});
    }
  }

  void respond(sip::TransactionId id, const sip::Message& request, int status, std::string_view to_tag = {},
               std::string_view warning = {}) {
    sip::Message response = sip::make_response(request, status, sip::default_reason(status), to_tag);
    if (status == 405 || status == 200) response.add("Allow", kAllow);
    if (!warning.empty()) response.add("Warning", "399 " + std::string(kWarnHost) + " " + quoted(warning));
    (void)layer_->send_response(id, response);
  }

  void on_request(sip::TransactionId id, const sip::Message& request, const sip::Flow& flow) {
    const sip::Method method = request.method();
    if (method == sip::Method::Cancel) {
      on_cancel(id, request);
      return;
    }
    // We support no extension (RFC 3261 §8.2.2.3).
    if (auto required = request.require(); !required.empty()) {
      sip::Message response = sip::make_response(request, 420, "Bad Extension", sip::make_tag());
      std::string list;
      for (std::string_view tag : required)
        list += (list.empty() ? "" : ", ") + std::string(tag);
      response.add("Unsupported", list);
      (void)layer_->send_response(id, response);
      return;
    }
    const bool in_dialog = request.to() && !request.to()->tag().empty();
    if (in_dialog) {
      on_in_dialog(id, request);
      return;
    }
    switch (method) {
      case sip::Method::Invite:
        on_invite(id, request, flow);
        return;
      case sip::Method::Options: {
        std::string user = sip::unescape(request.request_uri().user);
        if (!user.empty() && user != kEchoUser && user != kToneUser) {
          respond(id, request, 404, sip::make_tag());
          return;
        }
        sip::Message response = sip::make_response(request, 200, "OK", sip::make_tag());
        response.add("Allow", kAllow);
        response.add("Accept", "application/sdp");
        (void)layer_->send_response(id, response);
        return;
      }
      case sip::Method::Bye:
      case sip::Method::Info:
        respond(id, request, 481, sip::make_tag());
        return;
      case sip::Method::Extension:
        respond(id, request, 501, sip::make_tag());
        return;
      default:
        respond(id, request, 405, sip::make_tag());
        return;
    }
  }

  void on_invite(sip::TransactionId id, const sip::Message& request, const sip::Flow& flow) {
    std::string user = sip::unescape(request.request_uri().user);
    std::string tag = sip::make_tag();
    std::string_view call_id = request.call_id().value_or("");
    if (user != kEchoUser && user != kToneUser) {
      ++stats_.calls_rejected;
      log_info("test_endpoint.reject", {{"call_id", call_id}, {"user", user}, {"status", std::int64_t{404}}});
      respond(id, request, 404, tag);
      return;
    }
    if (!sip::single_contact(request)) {
      ++stats_.calls_rejected;
      respond(id, request, 400, tag, "the INVITE needs one SIP Contact");
      return;
    }
    RtpLeg::Mode mode = user == kEchoUser ? RtpLeg::Mode::Echo : RtpLeg::Mode::Tone;
    auto rtp = RtpLeg::open(io_, options_.address, options_.rtp_port_min, options_.rtp_port_max, mode);
    if (!rtp) {
      ++stats_.calls_rejected;
      log_warn("test_endpoint.reject", {{"call_id", call_id}, {"user", user}, {"reason", rtp.error()}});
      respond(id, request, 486, tag, rtp.error());
      return;
    }
    auto call = std::make_unique<Call>();
    call->mode = mode;
    call->user = user;
    call->call_id = std::string(call_id);
    call->local_tag = tag;
    call->invite = request;
    call->flow = flow;
    call->invite_tx = id;
    call->rtp = std::move(*rtp);
    call->sdp_session_id = std::to_string(std::random_device{}() & 0x7FFFFFFF);
    if (auto negotiated = negotiate(*call, request); !negotiated) {
      ++stats_.calls_rejected;
      log_info("test_endpoint.reject",
               {{"call_id", call_id}, {"user", user}, {"reason", negotiated.error()}});
      respond(id, request, 488, tag, negotiated.error());
      call->rtp->close();
      return;
    }
    sip::Message ringing = sip::make_response(request, 180, "Ringing", tag);
    ringing.add("Contact", contact(user));
    (void)layer_->send_response(id, ringing);

    std::string key = key_of(call->call_id, call->local_tag);
    Call& c = *call;
    calls_.emplace(key, std::move(call));
    if (options_.answer_delay.count() == 0) {
      answer(key);
    } else {
      c.answer_timer = timers_.schedule(options_.answer_delay, [this, key] { answer(key); });
    }
  }

  // Answers `request`'s SDP offer with PCMU + telephone-event on the call's RTP port and applies the
  // result to the RTP leg. Leaves the call unchanged on failure (RFC 3264 §8: a refused re-offer
  // keeps the session as it was).
  std::expected<void, std::string> negotiate(Call& call, const sip::Message& request) {
    if (request.body().empty())
      return std::unexpected(std::string("no SDP offer (offerless INVITE not supported)"));
    if (!iequals_prefix(request.content_type().value_or(""), "application/sdp"))
      return std::unexpected(std::string("the body is not application/sdp"));
    auto offer = sdp::parse(request.body());
    if (!offer)
      return std::unexpected("SDP line " + std::to_string(offer.error().line) + ": " + offer.error().reason);

    sdp::LocalPolicy policy;
    policy.leg = sdp::Leg::Legacy;
    policy.session.username = "-";
    policy.session.session_id = call.sdp_session_id;
    policy.session.session_version = std::to_string(call.sdp_version + 1);
    policy.session.session_name = std::string(kWarnHost);
    policy.session.address = options_.address;
    policy.port = call.rtp->port();
    policy.codecs = {sdp::pcmu_codec()};
    policy.telephone_event = true;
    policy.ptime_ms = 20;
    policy.allow_plain_rtp = true;
    policy.rtcp_mux = false;
    auto answer = sdp::answer_offer(policy, *offer);
    if (!answer) return std::unexpected("SDP: " + answer.error().reason);
    auto m = std::find_if(answer->media.begin(), answer->media.end(),
                          [](const sdp::NegotiatedMedia& n) { return n.accepted && n.codec; });
    if (m == answer->media.end()) {
      std::string why =
          answer->media.empty() ? "no m= line" : std::string(sdp::to_string(answer->media[0].reject_reason));
      return std::unexpected("no acceptable audio stream (" + why + ")");
    }

    RtpLeg::Route route;
    route.codec_in = m->codec->local_payload_type;
    route.codec_out = m->codec->payload_type;
    if (m->telephone_event) {
      route.event_in = m->telephone_event->local_payload_type;
      route.event_out = m->telephone_event->payload_type;
    }
    route.send = sdp::sends(m->direction) && !m->remote_hold;
    boost::system::error_code ec;
    auto ip = boost::asio::ip::make_address(m->remote_rtp.address, ec);
    // 0.0.0.0 is RFC 2543 hold; a host name cannot be used (no DNS here): wait for the caller's RTP.
    if (!ec && !ip.is_unspecified() && m->remote_rtp.port != 0) {
      route.remote = boost::asio::ip::udp::endpoint(ip, m->remote_rtp.port);
    }
    call.rtp->set_route(route);
    call.sdp = sdp::write(answer->description);
    ++call.sdp_version;
    return {};
  }

  sip::Message ok_with_sdp(const sip::Message& request, const Call& call) {
    sip::Message response = sip::make_response(request, 200, "OK", call.local_tag);
    response.add("Contact", contact(call.user));
    response.add("Allow", kAllow);
    response.set_body(call.sdp, "application/sdp");
    return response;
  }

  // Sends a 2xx to an INVITE and retransmits it until the ACK.
  void send_2xx(Call& call, const std::string& key, sip::TransactionId id, const sip::Message& request,
                sip::Message response, const sip::Flow& flow) {
    call.answer = std::move(response);
    call.answer_tx = id;
    call.answer_to = sip::response_destination(request, flow);
    (void)layer_->send_response(id, call.answer);
    call.retransmitter = std::make_unique<sip::AnswerRetransmitter>(
        timers_, options_.timers, [this, key] { resend_2xx(key); },
        // The retransmitter must not be destroyed from its own callback: end the call afterwards.
        [this, key] { timers_.schedule(sip::Duration::zero(), [this, key] { no_ack(key); }); });
    call.retransmitter->start();
  }

  void answer(const std::string& key) {
    auto it = calls_.find(key);
    if (it == calls_.end()) return;
    Call& call = *it->second;
    call.answer_timer = {};
    sip::Message response = ok_with_sdp(call.invite, call);
    auto dialog = sip::Dialog::create_uas(call.invite, response);
    if (!dialog) {
      respond(call.invite_tx, call.invite, 500, call.local_tag, sip::to_string(dialog.error()));
      ++stats_.calls_rejected;
      end_call(key, "dialog");
      return;
    }
    dialog->confirm();
    call.dialog = std::move(*dialog);
    call.answered = true;
    ++stats_.calls_answered;
    log_info("test_endpoint.answer",
             {{"call_id", call.call_id}, {"user", call.user}, {"rtp_port", std::uint64_t{call.rtp->port()}}});
    send_2xx(call, key, call.invite_tx, call.invite, std::move(response), call.flow);
    call.rtp->start();
  }

  void resend_2xx(const std::string& key) {
    auto it = calls_.find(key);
    if (it == calls_.end()) return;
    Call& call = *it->second;
    // After the server transaction's "Accepted" state ends (timer L) the 2xx goes out statelessly.
    if (!layer_->send_response(call.answer_tx, call.answer))
      layer_->send_stateless(call.answer, call.answer_to);
  }

  // No ACK came for our 2xx within 64*T1: end the dialog with a BYE (RFC 3261 §13.3.1.4).
  void no_ack(const std::string& key) {
    auto it = calls_.find(key);
    if (it == calls_.end()) return;
    Call& call = *it->second;
    if (call.dialog) send_bye(*call.dialog);
    end_call(key, "no ACK");
  }

  void send_bye(sip::Dialog& dialog) {
    sip::Message bye = dialog.make_request(sip::Method::Bye);
    const sip::Uri& hop = dialog.next_hop();
    sip::Destination to;
    to.kind = sip::TransportKind::Udp;
    to.address.ip = std::string(hop.host_without_brackets());
    to.address.port = hop.port.value_or(5060);
    (void)layer_->send_request(std::move(bye), to);
  }

  Call* find_dialog(const sip::Message& request, std::string* key_out) {
    auto id = sip::dialog_id_of_incoming_request(request);
    if (!id) return nullptr;
    std::string key = key_of(id->call_id, id->local_tag);
    auto it = calls_.find(key);
    if (it == calls_.end() || !it->second->dialog || it->second->dialog->id().remote_tag != id->remote_tag)
      return nullptr;
    if (key_out) *key_out = std::move(key);
    return it->second.get();
  }

  void on_ack(const sip::Message& ack) {
    Call* call = find_dialog(ack, nullptr);
    if (!call) return;
    auto cseq = ack.cseq();
    auto answered = call->answer.cseq();
    if (call->retransmitter && cseq && answered && cseq->number == answered->number)
      call->retransmitter->on_ack();
  }

  void on_in_dialog(sip::TransactionId id, const sip::Message& request) {
    std::string key;
    Call* call = find_dialog(request, &key);
    if (!call) {
      respond(id, request, 481);
      return;
    }
    if (auto checked = call->dialog->receive_request(request); !checked) {
      respond(id, request, checked.error() == sip::DialogError::CSeqOutOfOrder ? 500 : 400, {},
              sip::to_string(checked.error()));
      return;
    }
    switch (request.method()) {
      case sip::Method::Bye:
        respond(id, request, 200);
        end_call(key, "BYE");
        return;
      case sip::Method::Invite: {
        // A re-INVITE while our last 2xx still waits for its ACK (RFC 3261 §14.2 asks the UAS to
        // retry later while an INVITE transaction is unfinished).
        if (call->retransmitter && call->retransmitter->active()) {
          sip::Message busy = sip::make_response(request, 500, "Server Internal Error");
          busy.add("Retry-After", "1");
          (void)layer_->send_response(id, busy);
          return;
        }
        if (auto negotiated = negotiate(*call, request); !negotiated) {
          respond(id, request, 488, {}, negotiated.error());
          return;
        }
        log_info("test_endpoint.reinvite", {{"call_id", call->call_id}});
        send_2xx(*call, key, id, request, ok_with_sdp(request, *call), call->flow);
        return;
      }
      case sip::Method::Options: {
        sip::Message response = sip::make_response(request, 200, "OK");
        response.add("Allow", kAllow);
        response.add("Accept", "application/sdp");
        (void)layer_->send_response(id, response);
        return;
      }
      case sip::Method::Info:  // DTMF by SIP INFO: accepted, not acted on
        respond(id, request, 200);
        return;
      case sip::Method::Extension:
        respond(id, request, 501);
        return;
      default:
        respond(id, request, 405);
        return;
    }
  }

  void on_cancel(sip::TransactionId id, const sip::Message& cancel) {
    auto invite_tx = layer_->find_cancelled_invite(cancel);
    auto it = calls_.end();
    if (invite_tx) {
      it = std::find_if(calls_.begin(), calls_.end(),
                        [&](const auto& entry) { return entry.second->invite_tx == *invite_tx; });
    }
    if (it == calls_.end()) {
      respond(id, cancel, 481);
      return;
    }
    Call& call = *it->second;
    // §9.2: the 200 to the CANCEL carries the To tag of our responses to the INVITE.
    respond(id, cancel, 200, call.local_tag);
    if (call.answered) return;  // too late: the call stands, the caller will BYE it
    respond(call.invite_tx, call.invite, 487, call.local_tag);
    ++stats_.calls_rejected;
    end_call(it->first, "CANCEL");
  }

  void release(Call& call) {
    if (call.answer_timer) timers_.cancel(call.answer_timer);
    call.answer_timer = {};
    call.retransmitter.reset();
    if (call.rtp) {
      stats_.rtp_received += call.rtp->received();
      stats_.rtp_sent += call.rtp->sent();
      call.rtp->close();
      call.rtp.reset();
    }
  }

  void end_call(const std::string& key, std::string_view reason) {
    auto it = calls_.find(key);
    if (it == calls_.end()) return;
    Call& call = *it->second;
    std::uint64_t received = call.rtp ? call.rtp->received() : 0;
    std::uint64_t sent = call.rtp ? call.rtp->sent() : 0;
    log_info("test_endpoint.end", {{"call_id", call.call_id},
                                   {"user", call.user},
                                   {"reason", reason},
                                   {"rtp_received", received},
                                   {"rtp_sent", sent}});
    release(call);
    calls_.erase(it);
  }

  boost::asio::io_context& io_;
  Options options_;
  std::unique_ptr<sip::asio::TransportManager> transport_;
  sip::asio::AsioTimerService timers_;
  std::unique_ptr<sip::TransactionLayer> layer_;
  sip::TransportAddress bound_;
  CallMap calls_;
  Stats stats_;
};

std::expected<Options, std::string> options_from(const TestEndpointConfig& config) {
  if (config.listen.transport != SipTransport::Udp) {
    return std::unexpected("test_endpoint.listen must be udp (got " + config.listen.to_string() + ")");
  }
  Options options;
  options.address = config.listen.address.ip;
  options.sip_port = config.listen.address.port;
  options.rtp_port_min = config.port_min;
  options.rtp_port_max = config.port_max;
  return options;
}

std::expected<std::unique_ptr<TestEndpoint>, std::string> TestEndpoint::start(boost::asio::io_context& io,
                                                                              const Options& options) {
  if (options.rtp_port_min == 0 || options.rtp_port_max <= options.rtp_port_min) {
    return std::unexpected("test endpoint: bad RTP port range " + std::to_string(options.rtp_port_min) + "-" +
                           std::to_string(options.rtp_port_max));
  }
  if (!options.timers.valid()) return std::unexpected(std::string("test endpoint: invalid SIP timers"));
  sip::asio::TransportConfig tc;
  tc.listen.push_back(listen_string(options.address, options.sip_port));
  auto transport = sip::asio::TransportManager::create(io, std::move(tc));
  if (!transport) return std::unexpected("test endpoint: " + transport.error());
  if ((*transport)->listeners().empty())
    return std::unexpected(std::string("test endpoint: no SIP listener"));
  return std::unique_ptr<TestEndpoint>(
      new TestEndpoint(std::make_unique<Impl>(io, options, std::move(*transport))));
}

TestEndpoint::TestEndpoint(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TestEndpoint::~TestEndpoint() = default;

sip::TransportAddress TestEndpoint::address() const {
  return impl_->address();
}

std::string TestEndpoint::uri(std::string_view user) const {
  return "sip:" + std::string(user) + "@" + impl_->address().to_string();
}

void TestEndpoint::stop() {
  impl_->stop();
}

std::size_t TestEndpoint::active_calls() const {
  return impl_->active_calls();
}

Stats TestEndpoint::stats() const {
  return impl_->stats();
}

}  // namespace rtcgate::gateway::test_endpoint
