// Shared pieces of the dialog tests: messages modelled on the RFC 3665 flows (Alice calls Bob
// through two proxies that record-route), written as text and parsed.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/response.hpp"

namespace rtcgate::sip::test {

inline Message parse(std::string_view text) {
  std::string wire(text);
  // Test literals use "\n"; the wire uses CRLF.
  std::string crlf;
  for (const char c : wire) {
    if (c == '\n') crlf.push_back('\r');
    crlf.push_back(c);
  }
  auto parsed = parse_message(crlf);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? *parsed : Message{};
}

inline Uri parse_uri_or_die(std::string_view text) {
  auto parsed = parse_uri(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? *parsed : Uri{};
}

// Alice's INVITE as it reaches Bob: two Record-Routes (proxy 2 nearest Bob first).
inline Message invite_at_bob() {
  return parse(
      "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
      "Via: SIP/2.0/TCP ss2.biloxi.example.com:5060;branch=z9hG4bK721e4.1\n"
      "Via: SIP/2.0/TCP ss1.atlanta.example.com:5060;branch=z9hG4bK2d4790.1\n"
      "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9\n"
      "Max-Forwards: 68\n"
      "Record-Route: <sip:ss2.biloxi.example.com;lr>\n"
      "Record-Route: <sip:ss1.atlanta.example.com;lr>\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
      "To: Bob <sip:bob@biloxi.example.com>\n"
      "Call-ID: 3848276298220188511@atlanta.example.com\n"
      "CSeq: 1 INVITE\n"
      "Contact: <sip:alice@client.atlanta.example.com;transport=tcp>\n"
      "Content-Length: 0\n\n");
}

// Alice's INVITE as she sent it.
inline Message invite_from_alice() {
  return parse(
      "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
      "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9\n"
      "Max-Forwards: 70\n"
      "Route: <sip:ss1.atlanta.example.com;lr>\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
      "To: Bob <sip:bob@biloxi.example.com>\n"
      "Call-ID: 3848276298220188511@atlanta.example.com\n"
      "CSeq: 1 INVITE\n"
      "Contact: <sip:alice@client.atlanta.example.com;transport=tcp>\n"
      "Proxy-Authorization: Digest username=\"alice\", realm=\"atlanta.example.com\", "
      "nonce=\"wf84f1ceczx41ae6cbe5aea9c8e88d359\", opaque=\"\", uri=\"sip:bob@biloxi.example.com\", "
      "response=\"42ce3cef44b22f50c6a6071bc8\"\n"
      "Content-Length: 0\n\n");
}

// Bob's response to Alice as she receives it (Record-Route as the proxies put it).
inline Message response_at_alice(
    int status, std::string_view contact = "<sip:bob@client.biloxi.example.com;transport=tcp>") {
  std::string text =
      "SIP/2.0 " + std::to_string(status) + " " + std::string(default_reason(status)) +
      "\n"
      "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101\n"
      "Record-Route: <sip:ss2.biloxi.example.com;lr>\n"
      "Record-Route: <sip:ss1.atlanta.example.com;lr>\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
      "To: Bob <sip:bob@biloxi.example.com>;tag=314159\n"
      "Call-ID: 3848276298220188511@atlanta.example.com\n"
      "CSeq: 1 INVITE\n";
  if (!contact.empty()) text += "Contact: " + std::string(contact) + "\n";
  text += "Content-Length: 0\n\n";
  return parse(text);
}

// Bob's answer to invite_at_bob(), with his tag and Contact.
inline Message bob_answer(const Message& invite, int status) {
  Message response = make_response(invite, status, default_reason(status), "314159");
  for (const std::string_view rr : invite.all("Record-Route"))
    response.add("Record-Route", rr);
  response.add("Contact", "<sip:bob@client.biloxi.example.com;transport=tcp>");
  return response;
}

}  // namespace rtcgate::sip::test
