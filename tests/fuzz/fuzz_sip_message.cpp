// Fuzzes parse_message with a round-trip property: whatever parses must serialize and parse back to
// the same start line, headers (name and value, in order) and body, and serializing that again must
// give the same bytes. The eagerly validated headers must then be readable through the typed
// accessors (validation and typed parsing use one grammar), and the Request-URI must survive
// to_string -> parse_uri. Input that fails must still yield a safe 400 (or none) from
// make_bad_request, whose wire form has no stray line end.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/response.hpp"
#include "rtcgate/sip/serialize.hpp"

namespace {

using namespace rtcgate::sip;

void check(bool condition) {
  if (!condition) std::abort();
}

void check_typed_access(const Message& m) {
  check(m.top_via().has_value() && m.from().has_value() && m.to().has_value());
  check(m.cseq().has_value() && m.call_id().has_value());
  check(m.vias().size() == m.count("Via"));
  check(m.routes().size() == m.count("Route"));
  check(m.record_routes().size() == m.count("Record-Route"));
  const auto contacts = m.contacts();
  check(contacts.has_value() == m.has("Contact"));
  if (contacts) check(contacts->contacts.size() + (contacts->wildcard ? 1 : 0) == m.count("Contact"));
  if (m.has("Max-Forwards")) check(m.max_forwards().has_value());
  if (m.has("Expires")) check(m.expires().has_value());
  if (m.has("RAck")) check(m.rack().has_value());
  if (m.has("Session-Expires")) check(m.session_expires().has_value());
  if (m.is_request()) {
    const auto uri = parse_uri(m.request_uri().to_string());
    check(uri.has_value() && *uri == m.request_uri() && uri->to_string() == m.request_uri().to_string());
  }
}

void check_same(const Message& a, const Message& b) {
  check(a.is_request() == b.is_request());
  if (a.is_request()) {
    check(a.method_token() == b.method_token());
  } else {
    check(a.status() == b.status() && a.reason() == b.reason());
  }
  check(a.body() == b.body());
  // Content-Length is rewritten (and added when absent), so compare the others.
  std::size_t j = 0;
  for (const Header& h : a.headers()) {
    if (h.id == HeaderId::ContentLength) continue;
    while (j < b.headers().size() && b.headers()[j].id == HeaderId::ContentLength)
      ++j;
    check(j < b.headers().size());
    check(b.headers()[j].name == h.name && b.headers()[j].value == h.value);
    ++j;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto first = parse_message(text);
  if (!first) {
    const auto answer = make_bad_request(text, first.error(), "fuzz.example.com");
    if (answer) {
      check(answer->status() >= 400 && answer->status() < 600);
      const std::string wire = serialize(*answer);
      check(wire.find("\r\n\r\n") == wire.size() - 4);
    }
    return 0;
  }
  check_typed_access(*first);
  const std::string wire = serialize(*first);
  const auto second = parse_message(wire);
  check(second.has_value());
  check_same(*first, *second);
  check(serialize(*second) == wire);
  return 0;
}
