#include "rtcgate/gateway/call_registry.hpp"

namespace rtcgate::gateway {

std::string_view to_string(CallOutcome outcome) {
  switch (outcome) {
    case CallOutcome::Answered:
      return "answered";
    case CallOutcome::Cancelled:
      return "cancelled";
    case CallOutcome::Rejected:
      return "rejected";
    case CallOutcome::NoAnswer:
      return "no_answer";
    case CallOutcome::Refused:
      return "refused";
    case CallOutcome::Failed:
      return "failed";
  }
  return "unknown";
}

std::string_view to_string(RegistrationKind kind) {
  switch (kind) {
    case RegistrationKind::Local:
      return "local";
    case RegistrationKind::Relay:
      return "relay";
  }
  return "unknown";
}

}  // namespace rtcgate::gateway
