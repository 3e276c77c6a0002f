#include "rtcgate/sip/param.hpp"

#include "message/text.hpp"

namespace rtcgate::sip {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (detail::to_lower(a[i]) != detail::to_lower(b[i])) return false;
  }
  return true;
}

const Param* find_param(const Params& params, std::string_view name) {
  for (const Param& p : params) {
    if (iequals(p.name, name)) return &p;
  }
  return nullptr;
}

Param* find_param(Params& params, std::string_view name) {
  for (Param& p : params) {
    if (iequals(p.name, name)) return &p;
  }
  return nullptr;
}

std::optional<std::string_view> param_value(const Params& params, std::string_view name) {
  const Param* p = find_param(params, name);
  if (p == nullptr) return std::nullopt;
  return p->value ? std::string_view(*p->value) : std::string_view{};
}

void set_param(Params& params, std::string_view name, std::optional<std::string_view> value, bool quoted) {
  Param* p = find_param(params, name);
  if (p == nullptr) {
    params.push_back(Param{std::string(name), std::nullopt, false});
    p = &params.back();
  }
  if (value) {
    p->value = std::string(*value);
  } else {
    p->value.reset();
  }
  p->quoted = quoted && value.has_value();
}

std::size_t remove_param(Params& params, std::string_view name) {
  return std::erase_if(params, [name](const Param& p) { return iequals(p.name, name); });
}

void append_params(std::string& out, const Params& params) {
  for (const Param& p : params) {
    out.push_back(';');
    out.append(p.name);
    if (p.value) {
      out.push_back('=');
      if (p.quoted) {
        detail::append_quoted(out, *p.value);
      } else {
        out.append(*p.value);
      }
    }
  }
}

}  // namespace rtcgate::sip
