// Fuzzing of the STUN view and writer the ICE fast path answers the network with: parse() never
// crashes or reads out of bounds, its verdicts are stable, and every request it accepts can be
// answered with an error response (ERROR-CODE, UNKNOWN-ATTRIBUTES, MESSAGE-INTEGRITY, FINGERPRINT)
// that parses back with the same code, a valid signature and a valid fingerprint.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "rtcgate/media/ice/stun_message.hpp"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rtcgate::media;
  static const StunKey key("VOkJxbRl1RmTxUk/WvJxBt");  // RFC 5769's, so the seeds verify
  std::vector<std::byte> bytes(size);
  if (size > 0) std::memcpy(bytes.data(), data, size);
  const auto message = StunMessage::parse(bytes);
  if (!message) return 0;
  check(StunMessage::parse(bytes).has_value());
  check(message->unknown_required().size() <= stun::kMaxUnknownAttributes);
  const bool integrity = message->verify_integrity(key);
  check(integrity == message->verify_integrity(key));
  check(!integrity || message->has_integrity());
  const bool fingerprint = message->verify_fingerprint();
  check(!fingerprint || message->has_fingerprint());
  (void)message->username();
  (void)message->xor_mapped_address();
  (void)message->error_code();

  std::array<std::byte, 256> buffer{};
  StunWriter writer(buffer, stun::kBindingError, message->transaction_id());
  writer.add_error_code(stun::kUnknownAttribute, "Unknown Attribute");
  writer.add_unknown_attributes(message->unknown_required());
  writer.add_integrity(key);
  writer.add_fingerprint();
  check(writer.ok());
  const auto answer = StunMessage::parse(writer.bytes());
  check(answer.has_value());
  check(answer->type() == stun::kBindingError);
  check(answer->error_code() == stun::kUnknownAttribute);
  check(answer->verify_integrity(key));
  check(answer->verify_fingerprint());
  check(std::memcmp(answer->transaction_id().data(), message->transaction_id().data(),
                    stun::kTransactionIdSize) == 0);
  return 0;
}
