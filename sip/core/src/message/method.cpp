#include "rtcgate/sip/method.hpp"

#include <array>
#include <utility>

#include "message/text.hpp"

namespace rtcgate::sip {

namespace {

constexpr std::array<std::pair<Method, std::string_view>, 14> kMethods{{
    {Method::Invite, "INVITE"},
    {Method::Ack, "ACK"},
    {Method::Bye, "BYE"},
    {Method::Cancel, "CANCEL"},
    {Method::Options, "OPTIONS"},
    {Method::Register, "REGISTER"},
    {Method::Prack, "PRACK"},
    {Method::Subscribe, "SUBSCRIBE"},
    {Method::Notify, "NOTIFY"},
    {Method::Publish, "PUBLISH"},
    {Method::Info, "INFO"},
    {Method::Refer, "REFER"},
    {Method::Message, "MESSAGE"},
    {Method::Update, "UPDATE"},
}};

}  // namespace

Method method_from_token(std::string_view token) {
  for (const auto& [method, name] : kMethods) {
    if (name == token) return method;
  }
  return Method::Extension;
}

std::string_view to_string(Method method) {
  for (const auto& [m, name] : kMethods) {
    if (m == method) return name;
  }
  return {};
}

bool is_token(std::string_view text) {
  return !text.empty() && detail::all_of_class(text, detail::kToken);
}

}  // namespace rtcgate::sip
