// SRTP/SRTCP against the RFC vectors, in two links:
//  1. A small reference implementation built here on OpenSSL primitives (AES-CM key derivation per
//     RFC 3711 §4.3.1, AES-CM + HMAC-SHA1 per §4.1.1/§4.2.1, AEAD-GCM per RFC 7714 §8-§11) is pinned
//     to the published vectors in tests/media/vectors/: RFC 3711 B.2 (keystream), B.3 (key
//     derivation) and RFC 7714 §16/§17 (GCM packets, which are stated with session keys).
//  2. rtcgate's SrtpOutbound (libsrtp2) must then produce, from a master key, exactly the packets the
//     pinned reference produces, for every profile, RTP and RTCP; and SrtpInbound must open them.
// libsrtp2 has no API for raw session keys, so link 2 is how its key derivation and framing are
// checked against the RFCs.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "rtcgate/media/packet/packet_buffer.hpp"
#include "rtcgate/media/srtp/srtp_session.hpp"

namespace rtcgate::media {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes unhex(const std::string& text) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoul(text.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::map<std::string, Bytes> load_vectors(const std::string& name) {
  std::ifstream in(std::string(RTCGATE_SOURCE_DIR) + "/tests/media/vectors/" + name);
  std::map<std::string, Bytes> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    std::erase(value, ' ');
    out[line.substr(0, colon)] = unhex(value);
  }
  return out;
}

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

Bytes slice(const Bytes& b, std::size_t from, std::size_t n) {
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(from),
               b.begin() + static_cast<std::ptrdiff_t>(from + n));
}

std::span<const std::byte> as_bytes(const Bytes& b) {
  return std::as_bytes(std::span(b));
}

// ---- Reference implementation (OpenSSL primitives) ---------------------------------------------

// AES in counter mode from a 16-octet IV; the low 16 bits are the block counter (RFC 3711 §4.1.1).
Bytes aes_cm(const Bytes& key, const Bytes& iv, const Bytes& data) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const EVP_CIPHER* cipher = key.size() == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr();
  Bytes out(data.size());
  int n = 0;
  EVP_EncryptInit_ex(ctx, cipher, nullptr, key.data(), iv.data());
  EVP_EncryptUpdate(ctx, out.data(), &n, data.data(), static_cast<int>(data.size()));
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

// RFC 3711 §4.3.1 with key_derivation_rate 0: x = (label << 48) XOR master_salt; the 96-bit GCM salt
// is zero-extended on the right to 112 bits, as libsrtp2 lays it out.
Bytes kdf(const Bytes& master_key, Bytes master_salt, std::uint8_t label, std::size_t n) {
  master_salt.resize(14, 0);
  master_salt[7] ^= label;
  Bytes iv = master_salt;
  iv.resize(16, 0);
  return aes_cm(master_key, iv, Bytes(n, 0));
}

Bytes hmac_sha1(const Bytes& key, const Bytes& data) {
  Bytes out(20);
  unsigned int n = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &n);
  return out;
}

// Returns ciphertext || tag (16 octets).
Bytes gcm_seal(const Bytes& key, const Bytes& iv, const Bytes& aad, const Bytes& plain) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, key.size() == 32 ? EVP_aes_256_gcm() : EVP_aes_128_gcm(), nullptr, nullptr,
                     nullptr);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr);
  EVP_EncryptInit_ex(ctx, nullptr, nullptr, key.data(), iv.data());
  int n = 0;
  EVP_EncryptUpdate(ctx, nullptr, &n, aad.data(), static_cast<int>(aad.size()));
  Bytes out(plain.size() + 16);
  if (!plain.empty()) EVP_EncryptUpdate(ctx, out.data(), &n, plain.data(), static_cast<int>(plain.size()));
  EVP_EncryptFinal_ex(ctx, out.data() + plain.size(), &n);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + plain.size());
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

Bytes xor_bytes(Bytes a, const Bytes& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    a[i] ^= b[i];
  return a;
}

Bytes be32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
          static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

std::uint32_t load32(const Bytes& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
         b[at + 3];
}

// RFC 7714 §8.1 (RTP) and §9.1 (RTCP) 12-octet IVs.
Bytes gcm_rtp_iv(const Bytes& salt, std::uint32_t ssrc, std::uint32_t roc, std::uint16_t seq) {
  Bytes iv = cat(cat(Bytes{0, 0}, be32(ssrc)), be32(roc));
  iv.push_back(static_cast<std::uint8_t>(seq >> 8));
  iv.push_back(static_cast<std::uint8_t>(seq));
  return xor_bytes(iv, salt);
}
Bytes gcm_rtcp_iv(const Bytes& salt, std::uint32_t ssrc, std::uint32_t index) {
  return xor_bytes(cat(cat(Bytes{0, 0}, be32(ssrc)), cat(Bytes{0, 0}, be32(index & 0x7fffffffU))), salt);
}

// RFC 3711 §4.1.1 16-octet AES-CM IV: (salt << 16) XOR (SSRC << 64) XOR (index << 16).
Bytes cm_iv(const Bytes& salt14, std::uint32_t ssrc, std::uint64_t index) {
  Bytes iv = salt14;
  iv.resize(16, 0);
  const Bytes s = be32(ssrc);
  for (int i = 0; i < 4; ++i)
    iv[4 + i] ^= s[i];
  for (int i = 0; i < 6; ++i)
    iv[8 + i] ^= static_cast<std::uint8_t>(index >> (40 - 8 * i));
  return iv;
}

struct SessionKeys {
  Bytes cipher, salt, auth;
};

SessionKeys derive(SrtpProfile profile, const Bytes& key, const Bytes& salt, bool rtcp) {
  const std::uint8_t base = rtcp ? 3 : 0;  // RFC 3711 §4.3.2 labels
  return {kdf(key, salt, base, srtp_key_length(profile)), kdf(key, salt, base + 2, srtp_salt_length(profile)),
          kdf(key, salt, base + 1, 20)};
}

bool is_gcm(SrtpProfile p) {
  return p == SrtpProfile::AeadAes128Gcm || p == SrtpProfile::AeadAes256Gcm;
}

// RTP with a 12-octet header, ROC 0.
Bytes reference_protect_rtp(SrtpProfile profile, const SessionKeys& k, const Bytes& packet) {
  const Bytes header = slice(packet, 0, 12);
  const Bytes payload = slice(packet, 12, packet.size() - 12);
  const std::uint32_t ssrc = load32(packet, 8);
  const auto seq = static_cast<std::uint16_t>((packet[2] << 8) | packet[3]);
  if (is_gcm(profile))
    return cat(header, gcm_seal(k.cipher, gcm_rtp_iv(k.salt, ssrc, 0, seq), header, payload));
  const Bytes out = cat(header, aes_cm(k.cipher, cm_iv(k.salt, ssrc, seq), payload));
  const Bytes tag = hmac_sha1(k.auth, cat(out, be32(0)));
  return cat(out, slice(tag, 0, profile == SrtpProfile::AesCm128HmacSha1_32 ? 4 : 10));
}

// Encrypted SRTCP (E flag set) with the given index.
Bytes reference_protect_rtcp(SrtpProfile profile, const SessionKeys& k, const Bytes& packet,
                             std::uint32_t index) {
  const Bytes header = slice(packet, 0, 8);
  const Bytes body = slice(packet, 8, packet.size() - 8);
  const std::uint32_t ssrc = load32(packet, 4);
  const Bytes e_index = be32(0x80000000U | index);
  if (is_gcm(profile)) {
    return cat(cat(header, gcm_seal(k.cipher, gcm_rtcp_iv(k.salt, ssrc, index), cat(header, e_index), body)),
               e_index);
  }
  const Bytes out = cat(cat(header, aes_cm(k.cipher, cm_iv(k.salt, ssrc, index), body)), e_index);
  return cat(out, slice(hmac_sha1(k.auth, out), 0, 10));  // SRTCP always uses the 80-bit tag
}

// ---- Link 1: the reference reproduces the RFCs ------------------------------------------------

TEST(SrtpVectors, Rfc3711B3KeyDerivation) {
  auto v = load_vectors("rfc3711_appendix_b.txt");
  ASSERT_FALSE(v["b3.master_key"].empty());
  EXPECT_EQ(kdf(v["b3.master_key"], v["b3.master_salt"], 0, 16), v["b3.cipher_key"]);
  EXPECT_EQ(kdf(v["b3.master_key"], v["b3.master_salt"], 2, 14), v["b3.cipher_salt"]);
  EXPECT_EQ(kdf(v["b3.master_key"], v["b3.master_salt"], 1, 20), v["b3.auth_key"]);
}

TEST(SrtpVectors, Rfc3711B2AesCmKeystream) {
  auto v = load_vectors("rfc3711_appendix_b.txt");
  const Bytes iv = cm_iv(v["b2.session_salt"], 0, 0);
  const Bytes stream = aes_cm(v["b2.session_key"], iv, Bytes(16 * 0x10000, 0));
  for (const char* block : {"0000", "0001", "0002", "FEFF", "FF00", "FF01"}) {
    const std::size_t at = 16 * std::stoul(block, nullptr, 16);
    EXPECT_EQ(slice(stream, at, 16), v[std::string("b2.keystream.") + block]) << block;
  }
}

TEST(SrtpVectors, Rfc7714GcmPackets) {
  auto v = load_vectors("rfc7714_gcm.txt");
  const Bytes& rtp = v["rtp.plain"];
  ASSERT_EQ(rtp.size(), 50U);
  EXPECT_EQ(gcm_rtp_iv(v["salt"], 0x5501a0b2, 0, 0xf17b), v["rtp.iv"]);
  EXPECT_EQ(gcm_rtcp_iv(v["salt"], 0x4d617273, 0x5d4), v["rtcp.iv"]);
  const SessionKeys k128{v["key_128"], v["salt"], {}};
  const SessionKeys k256{v["key_256"], v["salt"], {}};
  EXPECT_EQ(reference_protect_rtp(SrtpProfile::AeadAes128Gcm, k128, rtp), v["rtp.protected_128"]);
  EXPECT_EQ(reference_protect_rtp(SrtpProfile::AeadAes256Gcm, k256, rtp), v["rtp.protected_256"]);
  const std::uint32_t index = load32(v["rtcp.index"], 0);
  EXPECT_EQ(reference_protect_rtcp(SrtpProfile::AeadAes128Gcm, k128, v["rtcp.plain"], index),
            v["rtcp.protected_128"]);
  EXPECT_EQ(reference_protect_rtcp(SrtpProfile::AeadAes256Gcm, k256, v["rtcp.plain"], index),
            v["rtcp.protected_256"]);
  // Authentication only (E = 0): the packet and the index word are all associated data.
  const Bytes aad = cat(v["rtcp.plain"], v["rtcp.index"]);
  const Bytes tag = gcm_seal(v["key_128"], gcm_rtcp_iv(v["salt"], 0x4d617273, index), aad, {});
  EXPECT_EQ(cat(cat(v["rtcp.plain"], tag), v["rtcp.index"]), v["rtcp.tagged_128"]);
}

// ---- Link 2: libsrtp2 behind SrtpOutbound/SrtpInbound equals the reference ----------------------

class LibsrtpAgainstReference : public ::testing::TestWithParam<SrtpProfile> {};

Bytes master_key_for(SrtpProfile profile, std::map<std::string, Bytes>& b) {
  Bytes key = b["b3.master_key"];
  if (srtp_key_length(profile) == 32) key = cat(key, b["b3.cipher_key"]);  // any 32 octets will do
  return key;
}

Bytes master_salt_for(SrtpProfile profile, std::map<std::string, Bytes>& b) {
  return slice(b["b3.master_salt"], 0, srtp_salt_length(profile));
}

Bytes run_protect(SrtpOutbound& out, const Bytes& plain, bool rtcp) {
  PacketBuffer buffer;
  EXPECT_TRUE(buffer.assign(as_bytes(plain)));
  const SrtpStatus status = rtcp ? out.protect_rtcp(buffer) : out.protect_rtp(buffer);
  EXPECT_EQ(status, SrtpStatus::Ok) << to_string(status);
  const auto* p = reinterpret_cast<const std::uint8_t*>(buffer.data().data());
  return Bytes(p, p + buffer.size());
}

TEST_P(LibsrtpAgainstReference, RtpMatchesByteForByte) {
  const SrtpProfile profile = GetParam();
  auto b = load_vectors("rfc3711_appendix_b.txt");
  auto g = load_vectors("rfc7714_gcm.txt");
  const Bytes key = master_key_for(profile, b);
  const Bytes salt = master_salt_for(profile, b);
  auto master = SrtpMasterKey::from(profile, as_bytes(key), as_bytes(salt));
  ASSERT_TRUE(master.has_value());
  auto out = SrtpOutbound::create(*master);
  ASSERT_TRUE(out.has_value());
  const Bytes protected_packet = run_protect(*out, g["rtp.plain"], false);
  EXPECT_EQ(protected_packet,
            reference_protect_rtp(profile, derive(profile, key, salt, false), g["rtp.plain"]));

  auto in = SrtpInbound::create(*master);
  ASSERT_TRUE(in.has_value());
  PacketBuffer buffer;
  ASSERT_TRUE(buffer.assign(as_bytes(protected_packet)));
  ASSERT_EQ(in->unprotect_rtp(buffer), SrtpStatus::Ok);
  const auto* p = reinterpret_cast<const std::uint8_t*>(buffer.data().data());
  EXPECT_EQ(Bytes(p, p + buffer.size()), g["rtp.plain"]);
}

TEST_P(LibsrtpAgainstReference, RtcpMatchesByteForByte) {
  const SrtpProfile profile = GetParam();
  auto b = load_vectors("rfc3711_appendix_b.txt");
  auto g = load_vectors("rfc7714_gcm.txt");
  const Bytes key = master_key_for(profile, b);
  const Bytes salt = master_salt_for(profile, b);
  auto master = SrtpMasterKey::from(profile, as_bytes(key), as_bytes(salt));
  ASSERT_TRUE(master.has_value());
  auto out = SrtpOutbound::create(*master);
  ASSERT_TRUE(out.has_value());
  const Bytes& plain = g["rtcp.plain"];
  const Bytes protected_packet = run_protect(*out, plain, true);
  // The E|index word: last for GCM, before the 80-bit tag for AES-CM (RFC 3711 §3.4).
  const std::size_t at = protected_packet.size() - (is_gcm(profile) ? 4 : 14);
  const std::uint32_t e_index = load32(protected_packet, at);
  EXPECT_NE(e_index & 0x80000000U, 0U) << "E flag: SRTCP payload encrypted";
  EXPECT_EQ(protected_packet,
            reference_protect_rtcp(profile, derive(profile, key, salt, true), plain, e_index & 0x7fffffffU));

  auto in = SrtpInbound::create(*master);
  ASSERT_TRUE(in.has_value());
  PacketBuffer buffer;
  ASSERT_TRUE(buffer.assign(as_bytes(protected_packet)));
  ASSERT_EQ(in->unprotect_rtcp(buffer), SrtpStatus::Ok);
  const auto* p = reinterpret_cast<const std::uint8_t*>(buffer.data().data());
  EXPECT_EQ(Bytes(p, p + buffer.size()), plain);
}

INSTANTIATE_TEST_SUITE_P(AllProfiles, LibsrtpAgainstReference,
                         ::testing::Values(SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm,
                                           SrtpProfile::AesCm128HmacSha1_80,
                                           SrtpProfile::AesCm128HmacSha1_32),
                         [](const auto& param_info) { return std::string(to_string(param_info.param)); });

}  // namespace
}  // namespace rtcgate::media
