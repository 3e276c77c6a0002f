// Which Contact of a PBX's 3xx the B2BUA follows (b2bua/redirect.hpp).
#include "rtcgate/gateway/b2bua/redirect.hpp"

#include <rtcgate/sip/parser.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rtcgate::gateway::b2bua {
namespace {

sip::Message redirect_with(const std::string& contacts) {
  const std::string text =
      "SIP/2.0 302 Moved Temporarily\r\n"
      "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\n"
      "From: <sip:1000@127.0.0.1>;tag=a\r\n"
      "To: <sip:echo@127.0.0.1>;tag=b\r\n"
      "Call-ID: redirect-test\r\n"
      "CSeq: 1 INVITE\r\n" +
      contacts + "Content-Length: 0\r\n\r\n";
  auto message = sip::parse_message(text);
  EXPECT_TRUE(message.has_value()) << text;
  return std::move(*message);
}

std::string target_of(const sip::Message& redirect, const std::vector<std::string>& tried = {}) {
  auto uri = redirect_target(redirect, tried);
  return uri ? uri->to_string() : "none";
}

TEST(Redirect, HighestQFirstThenTheOrderGiven) {
  auto redirect = redirect_with(
      "Contact: <sip:low@127.0.0.1:5080>;q=0.1, <sip:first@127.0.0.1:5081>;q=0.7\r\n"
      "Contact: <sip:second@127.0.0.1:5082>;q=0.7\r\n");
  EXPECT_EQ(target_of(redirect), "sip:first@127.0.0.1:5081");
  EXPECT_EQ(target_of(redirect, {"sip:first@127.0.0.1:5081"}), "sip:second@127.0.0.1:5082");
  EXPECT_EQ(target_of(redirect, {"sip:first@127.0.0.1:5081", "sip:second@127.0.0.1:5082"}),
            "sip:low@127.0.0.1:5080");
  EXPECT_EQ(target_of(redirect,
                      {"sip:first@127.0.0.1:5081", "sip:second@127.0.0.1:5082", "sip:low@127.0.0.1:5080"}),
            "none");
}

TEST(Redirect, NoQIsOneAndABadQIsZero) {
  EXPECT_EQ(target_of(redirect_with("Contact: <sip:a@127.0.0.1>;q=0.9, <sip:b@127.0.0.1>\r\n")),
            "sip:b@127.0.0.1");
  EXPECT_EQ(target_of(redirect_with("Contact: <sip:a@127.0.0.1>;q=7, <sip:b@127.0.0.1>;q=0.001\r\n")),
            "sip:b@127.0.0.1");
}

TEST(Redirect, OnlySipTargetsWithoutHeadersOrMethod) {
  EXPECT_EQ(target_of(redirect_with("Contact: <tel:+15550100>, <mailto:pbx@example.com>\r\n")), "none");
  EXPECT_EQ(target_of(redirect_with("Contact: <tel:+15550100>;q=1, "
                                    "<sips:x@127.0.0.1;method=INVITE;transport=tcp?Subject=hi>;q=0.5\r\n")),
            "sips:x@127.0.0.1;transport=tcp");
  EXPECT_EQ(target_of(redirect_with("")), "none");
}

}  // namespace
}  // namespace rtcgate::gateway::b2bua
