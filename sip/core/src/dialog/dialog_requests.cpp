// Requests within a dialog (RFC 3261 §12.2.1.1) and the ACK of a 2xx (§13.2.2.4).
#include <random>
#include <string>

#include "rtcgate/sip/dialog/dialog.hpp"
#include "rtcgate/sip/dialog/route_set.hpp"

namespace rtcgate::sip {

namespace {

// §8.1.1.5: an initial local sequence number below 2^31, chosen at random.
std::uint32_t initial_cseq() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return std::uniform_int_distribution<std::uint32_t>(1, 0x7fffffffU)(engine);
}

// Methods whose requests carry our Contact: those that can refresh the remote target or create a
// subscription (RFC 3261 §12.2.1.1, RFC 3311, RFC 6665, RFC 3515).
bool carries_contact(std::string_view method_token) {
  const Method method = method_from_token(method_token);
  return method == Method::Invite || method == Method::Update || method == Method::Subscribe ||
         method == Method::Notify || method == Method::Refer;
}

}  // namespace

Message Dialog::build(std::string_view method_token, std::uint32_t cseq) const {
  Message request = Message::request(method_token, remote_target_);
  apply_route_set(request, remote_target_, route_set_);
  request.set_max_forwards(70);
  request.set_from(local_uri_);
  request.set_to(remote_uri_);
  request.set_call_id(id_.call_id);
  CSeq value;
  value.number = cseq;
  value.method = method_from_token(method_token);
  value.method_token = std::string(method_token);
  request.set_cseq(value);
  if (carries_contact(method_token)) {
    NameAddr contact;
    contact.uri = local_target_;
    request.add("Contact", contact.to_string());
  }
  return request;
}

Message Dialog::make_request(Method method) {
  return make_request(to_string(method));
}

Message Dialog::make_request(std::string_view method_token) {
  local_seq_ = local_seq_ ? *local_seq_ + 1 : initial_cseq();
  return build(method_token, *local_seq_);
}

Message Dialog::make_ack(const Message& invite) const {
  const auto cseq = invite.cseq();
  Message ack = build("ACK", cseq ? cseq->number : local_seq_.value_or(0));
  // §13.2.2.4: the ACK carries the INVITE's credentials.
  for (const Header& header : invite.headers()) {
    if (header.id == HeaderId::Authorization || header.id == HeaderId::ProxyAuthorization) {
      ack.add(header.name, header.value);
    }
  }
  return ack;
}

}  // namespace rtcgate::sip
