#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

std::string_view to_string(ParseErrc code) {
  switch (code) {
    case ParseErrc::Empty:
      return "empty";
    case ParseErrc::TooLarge:
      return "too-large";
    case ParseErrc::TooManyLines:
      return "too-many-lines";
    case ParseErrc::LineTooLong:
      return "line-too-long";
    case ParseErrc::TooManyMedia:
      return "too-many-media";
    case ParseErrc::TooManyAttributes:
      return "too-many-attributes";
    case ParseErrc::TooManyCandidates:
      return "too-many-candidates";
    case ParseErrc::MalformedLine:
      return "malformed-line";
    case ParseErrc::UnexpectedLine:
      return "unexpected-line";
    case ParseErrc::MissingLine:
      return "missing-line";
    case ParseErrc::BadVersion:
      return "bad-version";
    case ParseErrc::BadOrigin:
      return "bad-origin";
    case ParseErrc::BadConnection:
      return "bad-connection";
    case ParseErrc::BadBandwidth:
      return "bad-bandwidth";
    case ParseErrc::BadTiming:
      return "bad-timing";
    case ParseErrc::BadMedia:
      return "bad-media";
    case ParseErrc::BadAttribute:
      return "bad-attribute";
  }
  return "unknown";
}

}  // namespace rtcgate::sdp
