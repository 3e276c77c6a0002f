#include "rtcgate/sip/parse_error.hpp"

namespace rtcgate::sip {

std::string_view to_string(ParseErrorCode code) {
  switch (code) {
    case ParseErrorCode::Empty:
      return "Empty";
    case ParseErrorCode::MessageTooLarge:
      return "MessageTooLarge";
    case ParseErrorCode::TooManyHeaders:
      return "TooManyHeaders";
    case ParseErrorCode::HeaderTooLong:
      return "HeaderTooLong";
    case ParseErrorCode::BadStartLine:
      return "BadStartLine";
    case ParseErrorCode::BadVersion:
      return "BadVersion";
    case ParseErrorCode::BadMethod:
      return "BadMethod";
    case ParseErrorCode::BadRequestUri:
      return "BadRequestUri";
    case ParseErrorCode::BadStatusCode:
      return "BadStatusCode";
    case ParseErrorCode::BadHeaderLine:
      return "BadHeaderLine";
    case ParseErrorCode::BadHeaderValue:
      return "BadHeaderValue";
    case ParseErrorCode::MissingHeader:
      return "MissingHeader";
    case ParseErrorCode::DuplicateHeader:
      return "DuplicateHeader";
    case ParseErrorCode::CSeqMethodMismatch:
      return "CSeqMethodMismatch";
    case ParseErrorCode::BadContentLength:
      return "BadContentLength";
    case ParseErrorCode::BodyTruncated:
      return "BodyTruncated";
    case ParseErrorCode::MissingContentLength:
      return "MissingContentLength";
    case ParseErrorCode::BodyTooLarge:
      return "BodyTooLarge";
    case ParseErrorCode::BadUri:
      return "BadUri";
    case ParseErrorCode::BadNameAddr:
      return "BadNameAddr";
    case ParseErrorCode::BadVia:
      return "BadVia";
    case ParseErrorCode::BadCSeq:
      return "BadCSeq";
    case ParseErrorCode::BadMaxForwards:
      return "BadMaxForwards";
    case ParseErrorCode::BadExpires:
      return "BadExpires";
    case ParseErrorCode::BadCallId:
      return "BadCallId";
    case ParseErrorCode::BadFraming:
      return "BadFraming";
  }
  return "Unknown";
}

}  // namespace rtcgate::sip
