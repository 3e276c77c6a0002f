// serialize (RFC 3261 §7; Content-Length always recomputed, §20.14).
#include "rtcgate/sip/serialize.hpp"

#include <charconv>

namespace rtcgate::sip {

namespace {

void append_number(std::string& out, std::size_t n) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

}  // namespace

void serialize_to(std::string& out, const Message& m) {
  std::size_t estimate = 64 + m.body().size();
  for (const Header& h : m.headers())
    estimate += h.name.size() + h.value.size() + 4;
  out.reserve(out.size() + estimate);
  if (m.is_request()) {
    out.append(m.method_token());
    out.push_back(' ');
    m.request_uri().append_to(out);
    out.push_back(' ');
    out.append(m.version());
  } else {
    out.append(m.version());
    out.push_back(' ');
    append_number(out, static_cast<std::size_t>(m.status()));
    out.push_back(' ');
    out.append(m.reason());
  }
  out.append("\r\n");
  bool wrote_length = false;
  for (const Header& h : m.headers()) {
    if (h.id == HeaderId::ContentLength) {
      if (wrote_length) continue;
      wrote_length = true;
      out.append(h.name);
      out.append(": ");
      append_number(out, m.body().size());
      out.append("\r\n");
      continue;
    }
    out.append(h.name);
    out.append(": ");
    out.append(h.value);
    out.append("\r\n");
  }
  if (!wrote_length) {
    out.append("Content-Length: ");
    append_number(out, m.body().size());
    out.append("\r\n");
  }
  out.append("\r\n");
  out.append(m.body());
}

std::string serialize(const Message& message) {
  std::string out;
  serialize_to(out, message);
  return out;
}

}  // namespace rtcgate::sip
