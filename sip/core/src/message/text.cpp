#include "message/text.hpp"

namespace rtcgate::sip::detail {

std::size_t skip_quoted(std::string_view s, std::size_t pos) {
  for (std::size_t i = pos + 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;  // quoted-pair: the next byte is literal, whatever it is
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

std::size_t find_unquoted(std::string_view s, char ch, std::size_t from) {
  bool in_angle = false;
  for (std::size_t i = from; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"' && !in_angle) {
      i = skip_quoted(s, i);
      if (i == std::string_view::npos) return std::string_view::npos;
      --i;
    } else if (c == '<') {
      in_angle = true;
    } else if (c == '>') {
      in_angle = false;
    } else if (c == ch && !in_angle) {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string unquote(std::string_view content) {
  std::string out;
  out.reserve(content.size());
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\\' && i + 1 < content.size()) ++i;
    out.push_back(content[i]);
  }
  return out;
}

void append_quoted(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

namespace {

bool is_ipv4_address(std::string_view s) {
  int parts = 0;
  while (true) {
    std::size_t n = 0;
    while (n < s.size() && n < 4 && is_digit(s[n]))
      ++n;
    if (n == 0 || n > 3 || !parse_uint<unsigned>(s.substr(0, n), 255)) return false;
    ++parts;
    s.remove_prefix(n);
    if (s.empty()) return parts == 4;
    if (s.front() != '.' || parts == 4) return false;
    s.remove_prefix(1);
  }
}

}  // namespace

bool is_ipv6_address(std::string_view s) {
  if (s.size() < 2 || s.size() > 45) return false;
  const std::size_t gap = s.find("::");
  if (gap != std::string_view::npos && s.find("::", gap + 1) != std::string_view::npos) return false;
  // Count 16-bit groups on each side of "::"; an IPv4 tail counts as two and must come last.
  auto count_groups = [](std::string_view part, bool may_end_with_ipv4, int& groups) {
    if (part.empty()) return true;
    while (true) {
      const std::size_t colon = part.find(':');
      const std::string_view group = part.substr(0, colon);
      if (colon == std::string_view::npos && may_end_with_ipv4 && group.find('.') != std::string_view::npos) {
        if (!is_ipv4_address(group)) return false;
        groups += 2;
        return true;
      }
      if (group.empty() || group.size() > 4) return false;
      for (char c : group) {
        if (!is_hex(c)) return false;
      }
      ++groups;
      if (colon == std::string_view::npos) return true;
      part.remove_prefix(colon + 1);
    }
  };
  int groups = 0;
  if (gap == std::string_view::npos) return count_groups(s, true, groups) && groups == 8;
  if (!count_groups(s.substr(0, gap), false, groups) || !count_groups(s.substr(gap + 2), true, groups)) {
    return false;
  }
  return groups <= 7;
}

void append_raw_param(Params& out, const RawParam& param) {
  Param p{std::string(param.name), std::nullopt, param.quoted};
  if (param.value) p.value = param.quoted ? unquote(*param.value) : std::string(*param.value);
  out.push_back(std::move(p));
}

bool parse_header_params(std::string_view text, Params& out) {
  return scan_header_params(text, [&out](const RawParam& param) {
    append_raw_param(out, param);
    return true;
  });
}

}  // namespace rtcgate::sip::detail
