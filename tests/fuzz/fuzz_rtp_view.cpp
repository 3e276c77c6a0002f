// Property fuzzing of RtpView/RtpWriter (RFC 3550 §5.1, RFC 8285): parsing never crashes; an accepted
// packet's parts add up; rewriting the header with its own values is the identity; rewriting with
// other values keeps the structure and reads back what was written.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "rtcgate/media/rtp/rtp_view.hpp"
#include "rtcgate/media/rtp/rtp_writer.hpp"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rtcgate::media;
  std::vector<std::byte> bytes(size);
  if (size > 0) std::memcpy(bytes.data(), data, size);
  auto view = RtpView::parse(bytes);
  if (!view) return 0;
  check(view->header_size() + view->payload().size() + view->padding_size() == size);
  std::size_t walked = 0;
  view->for_each_extension([&](const RtpExtensionElement& element) {
    ++walked;
    check(element.data.data() >= view->extension_data().data());
    check(element.data.data() + element.data.size() <=
          view->extension_data().data() + view->extension_data().size());
    check(view->find_extension(element.id).has_value());
  });
  (void)walked;

  std::vector<std::byte> copy = bytes;
  auto writer = RtpWriter::wrap(copy);
  check(writer.has_value());
  writer->set_marker(view->marker());
  writer->set_payload_type(view->payload_type());
  writer->set_sequence(view->sequence());
  writer->set_timestamp(view->timestamp());
  writer->set_ssrc(view->ssrc());
  check(copy == bytes);

  writer->set_marker(!view->marker());
  writer->set_payload_type(static_cast<std::uint8_t>(view->payload_type() ^ 0x55U));
  writer->set_sequence(static_cast<std::uint16_t>(view->sequence() + 1));
  writer->set_timestamp(view->timestamp() + 160);
  writer->set_ssrc(~view->ssrc());
  auto again = RtpView::parse(copy);
  check(again.has_value());
  check(again->header_size() == view->header_size());
  check(again->payload().size() == view->payload().size());
  check(again->marker() != view->marker());
  check(again->sequence() == static_cast<std::uint16_t>(view->sequence() + 1));
  check(again->ssrc() == ~view->ssrc());
  return 0;
}
