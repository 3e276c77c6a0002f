// Requests outside a dialog (RFC 3261 §8.1.1, §8.1.2).
#include "rtcgate/sip/dialog/out_of_dialog_request.hpp"

#include "rtcgate/sip/dialog/route_set.hpp"
#include "rtcgate/sip/identifiers.hpp"

namespace rtcgate::sip {

Message make_out_of_dialog_request(const OutOfDialogRequest& spec) {
  Message request = Message::request(spec.method, spec.request_uri);
  apply_route_set(request, spec.request_uri, spec.route_set);
  request.set_max_forwards(spec.max_forwards);
  NameAddr to = spec.to;
  remove_param(to.params, "tag");
  NameAddr from = spec.from;
  if (from.tag().empty()) from.set_tag(make_tag());
  request.set_to(to);
  request.set_from(from);
  request.set_call_id(spec.call_id.empty() ? make_call_id(spec.call_id_host) : spec.call_id);
  CSeq cseq;
  cseq.number = spec.cseq;
  cseq.method = method_from_token(spec.method);
  cseq.method_token = spec.method;
  request.set_cseq(cseq);
  if (spec.contact) {
    NameAddr contact;
    contact.uri = *spec.contact;
    request.add("Contact", contact.to_string());
  }
  return request;
}

}  // namespace rtcgate::sip
