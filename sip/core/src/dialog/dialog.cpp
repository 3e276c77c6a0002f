// Dialog creation and the state kept from messages received (RFC 3261 §12.1, §12.2.1.2, §12.2.2).
// Requests built within a dialog are in dialog_requests.cpp.
#include "rtcgate/sip/dialog/dialog.hpp"

#include "rtcgate/sip/dialog/route_set.hpp"

namespace rtcgate::sip {

std::string_view to_string(DialogError error) {
  switch (error) {
    case DialogError::MissingHeader:
      return "missing header";
    case DialogError::MissingTag:
      return "missing tag";
    case DialogError::NotDialogCreating:
      return "response does not create a dialog";
    case DialogError::BadContact:
      return "bad Contact";
    case DialogError::WrongDialog:
      return "message of another dialog";
    case DialogError::CSeqOutOfOrder:
      return "CSeq out of order";
  }
  return "?";
}

std::optional<Uri> single_contact(const Message& message) {
  const auto contacts = message.contacts();
  if (!contacts || contacts->wildcard || contacts->contacts.size() != 1) return std::nullopt;
  const Uri& uri = contacts->contacts.front().uri;
  if (!uri.is_sip()) return std::nullopt;
  return uri;
}

namespace {

bool dialog_creating_status(int status) {
  return status > 100 && status < 300;
}

// A target refresh request (RFC 3261 §12.2: re-INVITE; RFC 3311: UPDATE).
bool refreshes_target(Method method) {
  return method == Method::Invite || method == Method::Update;
}

}  // namespace

std::expected<Dialog, DialogError> Dialog::create_uac(const Message& request, const Message& response) {
  if (!dialog_creating_status(response.status())) return std::unexpected(DialogError::NotDialogCreating);
  const auto call_id = request.call_id();
  const auto cseq = request.cseq();
  const auto from = request.from();
  const auto to = response.to();
  if (!call_id || !cseq || !from || !to) return std::unexpected(DialogError::MissingHeader);
  if (to->tag().empty() || from->tag().empty()) return std::unexpected(DialogError::MissingTag);
  const auto local_target = single_contact(request);
  if (!local_target) return std::unexpected(DialogError::BadContact);
  Dialog dialog;
  dialog.role_ = DialogRole::Uac;
  dialog.state_ = response.status() < 200 ? DialogState::Early : DialogState::Confirmed;
  dialog.id_ = DialogId{std::string(*call_id), std::string(from->tag()), std::string(to->tag())};
  dialog.secure_ = request.request_uri().scheme == UriScheme::Sips;
  dialog.local_seq_ = cseq->number;
  dialog.local_uri_ = *from;
  dialog.remote_uri_ = *to;
  dialog.local_target_ = *local_target;
  // A 1xx/2xx without Contact breaks §12.1.2; keep talking to the Request-URI rather than failing.
  dialog.remote_target_ = single_contact(response).value_or(request.request_uri());
  dialog.route_set_ = route_set_from_record_route(response, true);
  return dialog;
}

std::expected<Dialog, DialogError> Dialog::create_uas(const Message& request, const Message& response) {
  if (!dialog_creating_status(response.status())) return std::unexpected(DialogError::NotDialogCreating);
  const auto call_id = request.call_id();
  const auto cseq = request.cseq();
  const auto from = request.from();
  const auto to = response.to();
  if (!call_id || !cseq || !from || !to) return std::unexpected(DialogError::MissingHeader);
  if (to->tag().empty() || from->tag().empty()) return std::unexpected(DialogError::MissingTag);
  const auto remote_target = single_contact(request);
  const auto local_target = single_contact(response);
  if (!remote_target || !local_target) return std::unexpected(DialogError::BadContact);
  Dialog dialog;
  dialog.role_ = DialogRole::Uas;
  dialog.state_ = response.status() < 200 ? DialogState::Early : DialogState::Confirmed;
  dialog.id_ = DialogId{std::string(*call_id), std::string(to->tag()), std::string(from->tag())};
  dialog.secure_ = request.request_uri().scheme == UriScheme::Sips;
  dialog.remote_seq_ = cseq->number;
  dialog.local_uri_ = *to;
  dialog.remote_uri_ = *from;
  dialog.local_target_ = *local_target;
  dialog.remote_target_ = *remote_target;
  dialog.route_set_ = route_set_from_record_route(request, false);
  return dialog;
}

const Uri& Dialog::next_hop() const {
  return sip::next_hop(remote_target_, route_set_);
}

bool Dialog::refresh_target_from(const Message& message) {
  const auto contact = single_contact(message);
  if (!contact) return false;
  remote_target_ = *contact;
  return true;
}

std::expected<void, DialogError> Dialog::receive_response(const Message& response) {
  const auto id = dialog_id_of_received_response(response);
  if (!id) return std::unexpected(DialogError::MissingTag);
  if (*id != id_) return std::unexpected(DialogError::WrongDialog);
  const auto cseq = response.cseq();
  if (!cseq) return std::unexpected(DialogError::MissingHeader);
  const int status = response.status();
  const bool invite = cseq->method == Method::Invite;
  if (state_ == DialogState::Early && invite && status >= 200 && status < 300) {
    // §13.2.2.4: the 2xx fixes the route set of the dialog the early one becomes.
    state_ = DialogState::Confirmed;
    route_set_ = route_set_from_record_route(response, true);
    refresh_target_from(response);
    return {};
  }
  const bool early_update = state_ == DialogState::Early && invite && dialog_creating_status(status);
  const bool refresh = refreshes_target(cseq->method) && status >= 200 && status < 300;
  if (early_update || refresh) refresh_target_from(response);
  return {};
}

std::expected<void, DialogError> Dialog::receive_request(const Message& request) {
  const auto id = dialog_id_of_incoming_request(request);
  if (!id) return std::unexpected(DialogError::MissingTag);
  if (*id != id_) return std::unexpected(DialogError::WrongDialog);
  const auto cseq = request.cseq();
  if (!cseq) return std::unexpected(DialogError::MissingHeader);
  const Method method = request.method();
  // ACK and CANCEL repeat the CSeq number of the request they belong to (§13.2.2.4, §9.1).
  if (method == Method::Ack || method == Method::Cancel) return {};
  if (remote_seq_ && cseq->number < *remote_seq_) return std::unexpected(DialogError::CSeqOutOfOrder);
  remote_seq_ = cseq->number;
  if (refreshes_target(method)) refresh_target_from(request);
  return {};
}

}  // namespace rtcgate::sip
