#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "rtcgate/media/rtp/rtp_view.hpp"
#include "rtcgate/media/rtp/rtp_writer.hpp"

namespace rtcgate::media {
namespace {

std::vector<std::byte> bytes(std::initializer_list<int> values) {
  std::vector<std::byte> out;
  for (int v : values)
    out.push_back(static_cast<std::byte>(v));
  return out;
}

// V=2, M=1, PT=111, seq 0x1234, ts 0xdeadbeef, ssrc 0x01020304, payload "abc".
const std::vector<std::byte> kSimple =
    bytes({0x80, 0xef, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 'a', 'b', 'c'});

TEST(RtpView, ParsesFixedHeader) {
  auto view = RtpView::parse(kSimple);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->version(), 2);
  EXPECT_FALSE(view->padding());
  EXPECT_FALSE(view->has_extension());
  EXPECT_EQ(view->csrc_count(), 0);
  EXPECT_TRUE(view->marker());
  EXPECT_EQ(view->payload_type(), 111);
  EXPECT_EQ(view->sequence(), 0x1234);
  EXPECT_EQ(view->timestamp(), 0xdeadbeefU);
  EXPECT_EQ(view->ssrc(), 0x01020304U);
  EXPECT_EQ(view->header_size(), 12U);
  ASSERT_EQ(view->payload().size(), 3U);
  EXPECT_EQ(view->payload()[0], std::byte{'a'});
}

TEST(RtpView, CsrcListAndPadding) {
  auto packet = bytes({0xa2, 0x00, 0,    1,    0,    0,    0,    2,    0, 0, 0, 3,  // P=1, CC=2
                       0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22,              // CSRCs
                       'x',  'y',  0,    0,    3});                                 // payload + 3 padding
  auto view = RtpView::parse(packet);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->csrc_count(), 2);
  EXPECT_EQ(view->csrc(0), 0x11111111U);
  EXPECT_EQ(view->csrc(1), 0x22222222U);
  EXPECT_EQ(view->padding_size(), 3U);
  ASSERT_EQ(view->payload().size(), 2U);
  EXPECT_EQ(view->payload()[1], std::byte{'y'});
}

TEST(RtpView, OneByteExtensionsRfc8285) {
  // 0xBEDE, length 2 words: id 1 len 1 (2 bytes), padding byte, id 3 len 2 (3 bytes).
  auto packet = bytes({0x90, 0x6f, 0,    1,    0,    0,    0,    1,    0, 0, 0, 9,  0xbe,
                       0xde, 0x00, 0x02, 0x11, 0xaa, 0xbb, 0x00, 0x32, 1, 2, 3, 'p'});
  auto view = RtpView::parse(packet);
  ASSERT_TRUE(view.has_value()) << to_string(view.error().code);
  EXPECT_EQ(view->extension_profile(), 0xBEDE);
  EXPECT_EQ(view->extension_data().size(), 8U);
  EXPECT_EQ(view->header_size(), 24U);
  auto one = view->find_extension(1);
  ASSERT_TRUE(one.has_value());
  ASSERT_EQ(one->size(), 2U);
  EXPECT_EQ((*one)[1], std::byte{0xbb});
  auto three = view->find_extension(3);
  ASSERT_TRUE(three.has_value());
  EXPECT_EQ(three->size(), 3U);
  EXPECT_FALSE(view->find_extension(2).has_value());
  std::vector<int> ids;
  EXPECT_EQ(view->for_each_extension([&](const RtpExtensionElement& e) { ids.push_back(e.id); }), 2U);
  EXPECT_EQ(ids, (std::vector<int>{1, 3}));
  EXPECT_EQ(view->payload().size(), 1U);
}

TEST(RtpView, OneByteId15StopsProcessing) {
  auto packet =
      bytes({0x90, 0x6f, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xbe, 0xde, 0x00, 0x01, 0x10, 0xaa, 0xf0, 0x55});
  auto view = RtpView::parse(packet);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->for_each_extension([](const RtpExtensionElement&) {}), 1U);
}

TEST(RtpView, TwoByteExtensionsRfc8285) {
  // 0x1000, length 2 words: id 7 len 0, id 200 len 3, padding.
  auto packet =
      bytes({0x90, 0x6f, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0x10, 0x00, 0x00, 0x02, 7, 0, 200, 3, 9, 8, 7, 0});
  auto view = RtpView::parse(packet);
  ASSERT_TRUE(view.has_value()) << to_string(view.error().code);
  auto seven = view->find_extension(7);
  ASSERT_TRUE(seven.has_value());
  EXPECT_TRUE(seven->empty());
  auto big = view->find_extension(200);
  ASSERT_TRUE(big.has_value());
  EXPECT_EQ(big->size(), 3U);
  EXPECT_EQ(view->payload().size(), 0U);
}

TEST(RtpView, OpaqueExtensionProfileIsNotWalked) {
  auto packet =
      bytes({0x90, 0x00, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0x12, 0x34, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff});
  auto view = RtpView::parse(packet);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->extension_profile(), 0x1234);
  EXPECT_EQ(view->for_each_extension([](const RtpExtensionElement&) {}), 0U);
}

struct Bad {
  std::vector<std::byte> packet;
  RtpErrorCode code;
};

TEST(RtpView, RejectsMalformed) {
  const std::vector<Bad> cases = {
      {bytes({0x80, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0}), RtpErrorCode::TooShort},
      {bytes({0x40, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9}), RtpErrorCode::BadVersion},
      {bytes({0x81, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 1, 2, 3}), RtpErrorCode::CsrcOverflow},
      {bytes({0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xbe, 0xde}), RtpErrorCode::ExtensionOverflow},
      {bytes({0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xbe, 0xde, 0, 2, 0, 0, 0, 0}),
       RtpErrorCode::ExtensionOverflow},
      // One-byte element claims 4 bytes inside a 4-byte block after its id byte.
      {bytes({0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xbe, 0xde, 0, 1, 0x13, 1, 2, 3}),
       RtpErrorCode::ExtensionElement},
      // Two-byte element header cut by the block end.
      {bytes({0x90, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0x10, 0x00, 0, 1, 0, 0, 0, 5}),
       RtpErrorCode::ExtensionElement},
      {bytes({0xa0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 'a', 0}), RtpErrorCode::BadPadding},
      {bytes({0xa0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 'a', 3}), RtpErrorCode::BadPadding},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto view = RtpView::parse(cases[i].packet);
    ASSERT_FALSE(view.has_value()) << "case " << i;
    EXPECT_EQ(view.error().code, cases[i].code) << "case " << i << ": " << to_string(view.error().code);
  }
}

TEST(RtpWriter, RewritesHeaderInPlace) {
  auto packet = kSimple;
  auto writer = RtpWriter::wrap(packet);
  ASSERT_TRUE(writer.has_value());
  writer->set_payload_type(0);
  writer->set_marker(false);
  writer->set_sequence(0xfffe);
  writer->set_timestamp(160);
  writer->set_ssrc(0xcafebabe);
  auto view = RtpView::parse(packet);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->payload_type(), 0);
  EXPECT_FALSE(view->marker());
  EXPECT_EQ(view->sequence(), 0xfffe);
  EXPECT_EQ(view->timestamp(), 160U);
  EXPECT_EQ(view->ssrc(), 0xcafebabeU);
  EXPECT_EQ(view->payload()[2], std::byte{'c'});
  writer->set_marker(true);
  writer->set_payload_type(0xff);  // only 7 bits land
  EXPECT_TRUE(writer->marker());
  EXPECT_EQ(writer->payload_type(), 127);
  EXPECT_EQ(packet[0], std::byte{0x80}) << "first byte untouched";
}

TEST(RtpWriter, RejectsShortOrWrongVersion) {
  std::vector<std::byte> tiny(11, std::byte{0x80});
  EXPECT_FALSE(RtpWriter::wrap(tiny).has_value());
  std::vector<std::byte> v1(12, std::byte{0x40});
  EXPECT_EQ(RtpWriter::wrap(v1).error().code, RtpErrorCode::BadVersion);
}

}  // namespace
}  // namespace rtcgate::media
