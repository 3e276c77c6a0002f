#include "transaction/matching.hpp"

#include <cctype>
#include <string>

namespace rtcgate::sip::matching {

namespace {

constexpr char kSeparator = '\x1f';

void append_lower(std::string& out, std::string_view text) {
  for (const char c : text)
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
}

}  // namespace

std::string client_key(std::string_view branch, std::string_view cseq_method) {
  std::string key;
  key.reserve(branch.size() + cseq_method.size() + 1);
  key.append(branch).push_back(kSeparator);
  key.append(cseq_method);
  return key;
}

std::optional<std::string> server_key(const Message& request, std::string_view method_token) {
  const auto via = request.top_via();
  if (!via) return std::nullopt;
  std::string key(via->branch());
  key.push_back(kSeparator);
  append_lower(key, via->host);
  key.push_back(':');
  if (via->port) key.append(std::to_string(*via->port));
  key.push_back(kSeparator);
  key.append(method_token);
  return key;
}

std::optional<std::string> legacy_key(const Message& request) {
  const auto via = request.first(HeaderId::Via);
  const auto call_id = request.call_id();
  const auto cseq = request.cseq();
  const auto from = request.from();
  if (!via || !call_id || !cseq || !from) return std::nullopt;
  std::string key = request.request_uri().to_string();
  key.push_back(kSeparator);
  key.append(from->tag());
  key.push_back(kSeparator);
  key.append(*call_id);
  key.push_back(kSeparator);
  key.append(std::to_string(cseq->number));
  key.push_back(kSeparator);
  key.append(*via);
  return key;
}

std::string to_tag(const Message& message) {
  const auto to = message.to();
  return to ? std::string(to->tag()) : std::string{};
}

}  // namespace rtcgate::sip::matching
