// Dialog: the state of one SIP dialog at one end (RFC 3261 §12), as UAC or UAS of the request that
// created it, and the requests sent within it.
//
// Creation: create_uac() from our request and a 101-199 response with a To tag (an early dialog;
// reliable or not, RFC 3262 only adds PRACK) or a 2xx (confirmed), §12.1.2; create_uas() from a
// request we received and the 1xx/2xx we answer it with (carrying our To tag and Contact), §12.1.1.
// Route set: the Record-Route of the request (UAS) or of the response, reversed (UAC); it is fixed
// once the dialog is confirmed — the 2xx that confirms an early dialog recomputes it (§12.2.1.2,
// §13.2.2.4). Remote target: the Contact of the peer's message; refreshed by the Contact of a
// target refresh request we receive (re-INVITE, UPDATE; RFC 3261 §12.2.2, RFC 3311 §5.2) and of a
// 2xx to one we sent (§12.2.1.2), and by 1xx/2xx of the creating INVITE while early.
// CSeq: the local sequence number grows by one per request we send (except ACK and CANCEL, which
// reuse the INVITE's); a UAS dialog starts without one and picks a random initial value below 2^31
// (§8.1.1.5). The remote sequence number must not go down: receive_request() refuses a lower one
// with DialogError::CSeqOutOfOrder, to be answered 500 (§12.2.2).
// Requests within the dialog (§12.2.1.1) get To/From with the tags, Call-ID, CSeq, Max-Forwards 70,
// Request-URI and Route from route_set.hpp (loose and strict routing) and our Contact when the
// method can refresh the target. They carry no Via: the transaction layer adds it with a branch.
// Termination is the owner's business (BYE, a final non-2xx for an early dialog): it destroys the
// Dialog. Value type; not synchronised: the signaling thread owns it.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "rtcgate/sip/dialog/dialog_id.hpp"
#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/name_addr.hpp"
#include "rtcgate/sip/uri.hpp"

namespace rtcgate::sip {

enum class DialogState : std::uint8_t { Early, Confirmed };
enum class DialogRole : std::uint8_t { Uac, Uas };

enum class DialogError : std::uint8_t {
  MissingHeader,      // Call-ID, From, To or CSeq absent or unparsable
  MissingTag,         // the To tag (or the From tag) that identifies the dialog is absent
  NotDialogCreating,  // status 100 or >= 300: no dialog (§12.1)
  BadContact,         // Contact absent where required, '*', not a single entry
  WrongDialog,        // the message belongs to another dialog (Call-ID or tags differ)
  CSeqOutOfOrder,     // a request with a lower CSeq than the last one (§12.2.2: answer 500)
};

std::string_view to_string(DialogError error);

class Dialog {
 public:
  // §12.1.2: `request` as we sent it (with our From tag and Contact), `response` a 101-299 with a
  // To tag. A response without Contact leaves the Request-URI as the remote target.
  static std::expected<Dialog, DialogError> create_uac(const Message& request, const Message& response);
  // §12.1.1: `request` as received (with a From tag and a Contact), `response` a 101-299 we send,
  // with our To tag and Contact.
  static std::expected<Dialog, DialogError> create_uas(const Message& request, const Message& response);

  const DialogId& id() const { return id_; }
  DialogRole role() const { return role_; }
  DialogState state() const { return state_; }
  bool secure() const { return secure_; }  // the creating Request-URI was SIPS (§12.1.1)
  std::optional<std::uint32_t> local_seq() const { return local_seq_; }
  std::optional<std::uint32_t> remote_seq() const { return remote_seq_; }
  const NameAddr& local_uri() const { return local_uri_; }    // with the local tag
  const NameAddr& remote_uri() const { return remote_uri_; }  // with the remote tag
  const Uri& local_target() const { return local_target_; }   // our Contact
  const Uri& remote_target() const { return remote_target_; }
  const std::vector<NameAddr>& route_set() const { return route_set_; }
  // Where requests of this dialog go first (§8.1.2): the first route or the remote target.
  const Uri& next_hop() const;

  // UAC: a response to the creating INVITE or to a request sent in the dialog. A 2xx confirms an
  // early dialog (recomputing its route set); 1xx/2xx to INVITE/UPDATE refresh the remote target.
  std::expected<void, DialogError> receive_response(const Message& response);
  // UAS: a request received within the dialog. Checks and records the CSeq (not for ACK and CANCEL)
  // and refreshes the remote target for INVITE and UPDATE.
  std::expected<void, DialogError> receive_request(const Message& request);
  // UAS: we sent the 2xx that confirms the dialog.
  void confirm() { state_ = DialogState::Confirmed; }
  // Changes the Contact we put in target refresh requests (e.g. after a transport change).
  void set_local_target(Uri target) { local_target_ = std::move(target); }

  // A new request within the dialog with the next local CSeq (§12.2.1.1). Not for ACK or CANCEL.
  Message make_request(Method method);
  Message make_request(std::string_view method_token);
  // The ACK for a 2xx to `invite`, a request of this dialog (§13.2.2.4): built as any in-dialog
  // request, with the INVITE's CSeq number and its Authorization/Proxy-Authorization headers.
  Message make_ack(const Message& invite) const;

 private:
  Dialog() = default;

  Message build(std::string_view method_token, std::uint32_t cseq) const;
  bool refresh_target_from(const Message& message);

  DialogId id_;
  DialogRole role_ = DialogRole::Uac;
  DialogState state_ = DialogState::Early;
  bool secure_ = false;
  std::optional<std::uint32_t> local_seq_;
  std::optional<std::uint32_t> remote_seq_;
  NameAddr local_uri_;
  NameAddr remote_uri_;
  Uri local_target_;
  Uri remote_target_;
  std::vector<NameAddr> route_set_;
};

// The single Contact URI of `message` (§12.1.1: exactly one SIP or SIPS URI); nullopt for none,
// '*', several, or a non-SIP URI.
std::optional<Uri> single_contact(const Message& message);

}  // namespace rtcgate::sip
