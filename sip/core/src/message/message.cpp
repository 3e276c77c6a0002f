// Message: header list manipulation and typed accessors.
#include "rtcgate/sip/message.hpp"

#include <algorithm>

#include "message/text.hpp"

namespace rtcgate::sip {

namespace {

// Resolves a name once so that the loops below compare ids, not strings, for known headers.
struct NameMatcher {
  std::string_view name;
  HeaderId id;
  explicit NameMatcher(std::string_view n) : name(n), id(header_id(n)) {}
  bool operator()(const Header& h) const {
    return id != HeaderId::Other ? h.id == id : iequals(h.name, name);
  }
};

template <typename T, typename Parse>
std::vector<T> parse_all(const std::vector<Header>& headers, HeaderId id, Parse parse) {
  std::vector<T> out;
  for (const Header& h : headers) {
    if (h.id != id) continue;
    if (auto v = parse(h.value)) out.push_back(std::move(*v));
  }
  return out;
}

}  // namespace

Message Message::request(Method method, Uri request_uri) {
  return request(to_string(method), std::move(request_uri));
}

Message Message::request(std::string_view method_token, Uri request_uri) {
  Message m;
  m.is_request_ = true;
  m.method_ = method_from_token(method_token);
  m.method_token_.assign(method_token);
  m.request_uri_ = std::move(request_uri);
  return m;
}

Message Message::response(int status, std::string_view reason) {
  Message m;
  m.is_request_ = false;
  m.status_ = status;
  m.reason_.assign(reason);
  return m;
}

void Message::set_status(int status, std::string_view reason) {
  is_request_ = false;
  status_ = status;
  reason_.assign(reason);
}

void Message::set_request_line(Method method, std::string method_token, Uri request_uri) {
  is_request_ = true;
  method_ = method;
  method_token_ = std::move(method_token);
  request_uri_ = std::move(request_uri);
}

std::optional<std::string_view> Message::first(std::string_view name) const {
  const NameMatcher match(name);
  for (const Header& h : headers_) {
    if (match(h)) return std::string_view(h.value);
  }
  return std::nullopt;
}

std::optional<std::string_view> Message::first(HeaderId id) const {
  for (const Header& h : headers_) {
    if (h.id == id) return std::string_view(h.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> Message::all(std::string_view name) const {
  const NameMatcher match(name);
  std::vector<std::string_view> out;
  for (const Header& h : headers_) {
    if (match(h)) out.emplace_back(h.value);
  }
  return out;
}

std::vector<std::string_view> Message::all(HeaderId id) const {
  std::vector<std::string_view> out;
  for (const Header& h : headers_) {
    if (h.id == id) out.emplace_back(h.value);
  }
  return out;
}

std::size_t Message::count(std::string_view name) const {
  return static_cast<std::size_t>(std::count_if(headers_.begin(), headers_.end(), NameMatcher(name)));
}

void Message::add(std::string_view name, std::string_view value) {
  headers_.push_back(Header{std::string(name), header_id(name), std::string(value)});
}

void Message::add_front(std::string_view name, std::string_view value) {
  const auto it = std::find_if(headers_.begin(), headers_.end(), NameMatcher(name));
  headers_.insert(it, Header{std::string(name), header_id(name), std::string(value)});
}

std::size_t Message::remove(std::string_view name) {
  return std::erase_if(headers_, NameMatcher(name));
}

bool Message::remove_first(std::string_view name) {
  const auto it = std::find_if(headers_.begin(), headers_.end(), NameMatcher(name));
  if (it == headers_.end()) return false;
  headers_.erase(it);
  return true;
}

void Message::replace(std::string_view name, std::string_view value) {
  const NameMatcher match(name);
  const auto it = std::find_if(headers_.begin(), headers_.end(), match);
  if (it == headers_.end()) {
    add(name, value);
    return;
  }
  it->value.assign(value);
  headers_.erase(std::remove_if(std::next(it), headers_.end(), match), headers_.end());
}

std::vector<Via> Message::vias() const {
  return parse_all<Via>(headers_, HeaderId::Via, parse_via);
}

std::optional<Via> Message::top_via() const {
  const auto v = first(HeaderId::Via);
  if (!v) return std::nullopt;
  auto via = parse_via(*v);
  if (!via) return std::nullopt;
  return std::move(*via);
}

std::optional<NameAddr> Message::from() const {
  const auto v = first(HeaderId::From);
  if (!v) return std::nullopt;
  auto na = parse_name_addr(*v);
  if (!na) return std::nullopt;
  return std::move(*na);
}

std::optional<NameAddr> Message::to() const {
  const auto v = first(HeaderId::To);
  if (!v) return std::nullopt;
  auto na = parse_name_addr(*v);
  if (!na) return std::nullopt;
  return std::move(*na);
}

std::optional<std::string_view> Message::call_id() const {
  return first(HeaderId::CallId);
}

std::optional<CSeq> Message::cseq() const {
  const auto v = first(HeaderId::CSeq);
  if (!v) return std::nullopt;
  auto c = parse_cseq(*v);
  if (!c) return std::nullopt;
  return std::move(*c);
}

std::optional<std::uint32_t> Message::max_forwards() const {
  const auto v = first(HeaderId::MaxForwards);
  if (!v) return std::nullopt;
  return detail::parse_uint<std::uint32_t>(detail::trim(*v), 255);
}

std::optional<ContactList> Message::contacts() const {
  ContactList out;
  bool any = false;
  for (const Header& h : headers_) {
    if (h.id != HeaderId::Contact) continue;
    any = true;
    if (h.value == "*") {
      out.wildcard = true;
    } else if (auto na = parse_name_addr(h.value)) {
      out.contacts.push_back(std::move(*na));
    }
  }
  if (!any) return std::nullopt;
  return out;
}

std::vector<NameAddr> Message::routes() const {
  return parse_all<NameAddr>(headers_, HeaderId::Route, parse_name_addr);
}

std::vector<NameAddr> Message::record_routes() const {
  return parse_all<NameAddr>(headers_, HeaderId::RecordRoute, parse_name_addr);
}

std::optional<std::string_view> Message::content_type() const {
  return first(HeaderId::ContentType);
}

std::optional<std::size_t> Message::content_length() const {
  const auto v = first(HeaderId::ContentLength);
  if (!v) return std::nullopt;
  return detail::parse_uint<std::size_t>(detail::trim(*v), 0xffffffffULL);
}

std::optional<std::uint32_t> Message::expires() const {
  const auto v = first(HeaderId::Expires);
  if (!v) return std::nullopt;
  return detail::parse_uint<std::uint32_t>(detail::trim(*v), 0xffffffffULL);
}

void Message::set_from(const NameAddr& from) {
  replace("From", from.to_string());
}
void Message::set_to(const NameAddr& to) {
  replace("To", to.to_string());
}
void Message::set_max_forwards(std::uint32_t hops) {
  replace("Max-Forwards", std::to_string(hops));
}

void Message::set_body(std::string body, std::string_view content_type) {
  body_ = std::move(body);
  if (content_type.empty()) {
    remove("Content-Type");
  } else {
    replace("Content-Type", content_type);
  }
}

}  // namespace rtcgate::sip
