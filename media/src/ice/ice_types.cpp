#include "rtcgate/media/ice/ice_types.hpp"

namespace rtcgate::media {

std::string_view to_string(IceState state) noexcept {
  switch (state) {
    case IceState::New:
      return "new";
    case IceState::Gathering:
      return "gathering";
    case IceState::Checking:
      return "checking";
    case IceState::Connected:
      return "connected";
    case IceState::Ready:
      return "ready";
    case IceState::Failed:
      return "failed";
    case IceState::Disconnected:
      return "disconnected";
  }
  return "unknown";
}

std::string_view to_string(IceCandidateType type) noexcept {
  switch (type) {
    case IceCandidateType::Host:
      return "host";
    case IceCandidateType::ServerReflexive:
      return "srflx";
    case IceCandidateType::PeerReflexive:
      return "prflx";
    case IceCandidateType::Relayed:
      return "relay";
  }
  return "unknown";
}

}  // namespace rtcgate::media
