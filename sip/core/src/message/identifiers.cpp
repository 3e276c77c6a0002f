// Random identifiers (RFC 3261 §8.1.1.4, §8.1.1.7, §19.3).
#include "rtcgate/sip/identifiers.hpp"

#include <cstdint>
#include <random>

#include "rtcgate/sip/header_via.hpp"

namespace rtcgate::sip {

namespace {

std::mt19937_64& engine() {
  thread_local std::mt19937_64 e = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  return e;
}

void append_hex(std::string& out, std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4)
    out.push_back(kDigits[(v >> shift) & 0xf]);
}

}  // namespace

std::string make_branch() {
  std::string out(kBranchMagicCookie);
  append_hex(out, engine()());
  append_hex(out, engine()());
  return out;
}

std::string make_tag() {
  std::string out;
  append_hex(out, engine()());
  return out;
}

std::string make_call_id(std::string_view host) {
  std::string out;
  append_hex(out, engine()());
  append_hex(out, engine()());
  if (!host.empty()) {
    out.push_back('@');
    out.append(host);
  }
  return out;
}

}  // namespace rtcgate::sip
