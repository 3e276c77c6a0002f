#include "rtcgate/media/dtls/dtls_endpoint.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <string_view>

#include <openssl/bio.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "dtls/openssl_util.hpp"

namespace rtcgate::media {

namespace {
constexpr std::string_view kExporterLabel = "EXTRACTOR-dtls_srtp";  // RFC 5764 §4.2
}  // namespace

// noexcept trampolines registered with OpenSSL; they reach the endpoint through SSL/BIO app data.
struct DtlsCallbacks {
  static DtlsEndpoint* from(SSL* ssl) noexcept { return static_cast<DtlsEndpoint*>(SSL_get_app_data(ssl)); }

  // The write BIO: every write OpenSSL makes is exactly one datagram (its buffering BIO packs a
  // flight up to the MTU, then flushes), so it is handed out as is, never concatenated.
  static int write(BIO* bio, const char* data, int length) noexcept {
    auto* endpoint = static_cast<DtlsEndpoint*>(BIO_get_data(bio));
    if (endpoint == nullptr || length <= 0) return length;
    endpoint->observer_.on_dtls_send(
        std::span(reinterpret_cast<const std::byte*>(data), static_cast<std::size_t>(length)));
    return length;
  }

  static long control(BIO* bio, int command, long /*number*/, void* /*pointer*/) noexcept {
    auto* endpoint = static_cast<DtlsEndpoint*>(BIO_get_data(bio));
    switch (command) {
      case BIO_CTRL_FLUSH:
        return 1;
      case BIO_CTRL_DGRAM_QUERY_MTU:
      case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
        return endpoint != nullptr ? endpoint->options_.mtu : 1200;
      case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
        return 0;  // we hand out UDP payload sizes
      case BIO_CTRL_WPENDING:
      case BIO_CTRL_PENDING:
        return 0;
      default:
        return 0;
    }
  }

  static int create(BIO* bio) noexcept {
    BIO_set_init(bio, 1);
    return 1;
  }

  // DTLS_set_timer_cb: OpenSSL asks for the next interval (0 = a new timer).
  static unsigned int timer(SSL* ssl, unsigned int previous_us) noexcept {
    DtlsEndpoint* endpoint = from(ssl);
    const DtlsOptions options = endpoint != nullptr ? endpoint->options_ : DtlsOptions{};
    const auto next = DtlsEndpoint::next_retransmit_interval(std::chrono::microseconds(previous_us), options);
    return static_cast<unsigned int>(next.count());
  }

  // At depth 0, if the peer's SDP fingerprint is already known, reject a mismatching certificate
  // during the handshake so the peer gets a bad_certificate alert (RFC 5763 §5). Chains are never
  // validated: the certificates are self-signed.
  static int verify(int /*preverify_ok*/, X509_STORE_CTX* store) noexcept {
    if (X509_STORE_CTX_get_error_depth(store) != 0) return 1;
    auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    DtlsEndpoint* endpoint = ssl != nullptr ? from(ssl) : nullptr;
    if (endpoint == nullptr || !endpoint->remote_fingerprint_) return 1;
    X509* certificate = X509_STORE_CTX_get_current_cert(store);
    if (certificate == nullptr) return 0;
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    const Fingerprint& expected = *endpoint->remote_fingerprint_;
    const EVP_MD* md = EVP_get_digestbyname(expected.hash() == HashFunction::Sha1     ? "SHA1"
                                            : expected.hash() == HashFunction::Sha224 ? "SHA224"
                                            : expected.hash() == HashFunction::Sha256 ? "SHA256"
                                            : expected.hash() == HashFunction::Sha384 ? "SHA384"
                                                                                      : "SHA512");
    if (md == nullptr || X509_digest(certificate, md, digest.data(), &length) != 1) return 0;
    const auto want = expected.digest();
    const bool match = length == want.size() && std::memcmp(digest.data(), want.data(), length) == 0;
    if (!match) endpoint->mismatch_seen_ = true;
    return match ? 1 : 0;
  }
};

namespace {

BIO_METHOD* datagram_method() {
  static BIO_METHOD* method = nullptr;
  static std::once_flag once;
  std::call_once(once, [] {
    method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "rtcgate dtls datagram");
    BIO_meth_set_write(method, DtlsCallbacks::write);
    BIO_meth_set_ctrl(method, DtlsCallbacks::control);
    BIO_meth_set_create(method, DtlsCallbacks::create);
  });
  return method;
}

}  // namespace

std::chrono::microseconds DtlsEndpoint::next_retransmit_interval(std::chrono::microseconds previous,
                                                                 const DtlsOptions& options) noexcept {
  const std::chrono::microseconds initial =
      std::max<std::chrono::microseconds>(options.initial_timeout, kMinTimeout);
  const std::chrono::microseconds cap = std::max<std::chrono::microseconds>(options.max_timeout, initial);
  if (previous.count() == 0) return initial;
  return std::min(previous * 2, cap);
}

DtlsEndpoint::DtlsEndpoint(DtlsRole role, DtlsObserver& observer, const DtlsOptions& options) noexcept
    : role_(role), observer_(observer), options_(options) {}

std::expected<std::unique_ptr<DtlsEndpoint>, DtlsError> DtlsEndpoint::create(DtlsContext& context,
                                                                             DtlsRole role,
                                                                             DtlsObserver& observer,
                                                                             const DtlsOptions& options) {
  std::unique_ptr<DtlsEndpoint> endpoint(new DtlsEndpoint(role, observer, options));
  const auto fail = [] {
    return std::unexpected(DtlsError{DtlsErrorCode::SessionSetup, detail::drain_openssl_errors()});
  };
  BIO_METHOD* method = datagram_method();
  if (method == nullptr) return fail();
  endpoint->ssl_ = SSL_new(context.native());
  if (endpoint->ssl_ == nullptr) return fail();
  BIO* rbio = BIO_new(BIO_s_mem());
  BIO* wbio = BIO_new(method);
  if (rbio == nullptr || wbio == nullptr) {
    BIO_free(rbio);
    BIO_free(wbio);
    return fail();
  }
  BIO_set_mem_eof_return(rbio, -1);  // an empty read BIO means "retry", not EOF (LIMITS.md §3)
  BIO_set_data(wbio, endpoint.get());
  SSL_set_bio(endpoint->ssl_, rbio, wbio);
  endpoint->rbio_ = rbio;
  SSL_set_app_data(endpoint->ssl_, endpoint.get());
  SSL_set_verify(endpoint->ssl_, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, DtlsCallbacks::verify);
  SSL_set_options(endpoint->ssl_, SSL_OP_NO_QUERY_MTU);
  SSL_set_mtu(endpoint->ssl_, options.mtu);
  DTLS_set_link_mtu(endpoint->ssl_, options.mtu);
  DTLS_set_timer_cb(endpoint->ssl_, DtlsCallbacks::timer);
  if (role == DtlsRole::Client) {
    SSL_set_connect_state(endpoint->ssl_);
  } else {
    SSL_set_accept_state(endpoint->ssl_);
  }
  detail::drain_openssl_errors();
  return endpoint;
}

DtlsEndpoint::~DtlsEndpoint() {
  if (ssl_ != nullptr) {
    // Detach before freeing so no late write can reach a destroyed observer path.
    BIO_set_data(SSL_get_wbio(ssl_), nullptr);
    SSL_free(ssl_);
  }
  detail::drain_openssl_errors();
}

void DtlsEndpoint::set_remote_fingerprint(const Fingerprint& fingerprint) {
  remote_fingerprint_ = fingerprint;
  if (handshake_done_ && state_ == DtlsState::Connecting) try_finish_connected();
}

void DtlsEndpoint::start(Clock::time_point now) {
  if (state_ != DtlsState::New) return;
  state_ = DtlsState::Connecting;
  advance(now);
}

void DtlsEndpoint::feed(std::span<const std::byte> datagram, Clock::time_point now) {
  if (state_ == DtlsState::Failed || state_ == DtlsState::Closed) return;
  if (datagram.empty() || datagram.size() > kMaxDatagram) return;
  if (state_ == DtlsState::New) state_ = DtlsState::Connecting;
  BIO_write(rbio_, datagram.data(), static_cast<int>(datagram.size()));
  advance(now);
  // Whatever OpenSSL did not consume (a malformed tail) must not merge with the next datagram.
  (void)BIO_reset(rbio_);
  detail::drain_openssl_errors();
}

void DtlsEndpoint::handle_timeout(Clock::time_point now) {
  if (state_ != DtlsState::Connecting || !deadline_ || now < *deadline_) return;
  if (DTLSv1_handle_timeout(ssl_) < 0) {
    fail(DtlsErrorCode::Timeout, detail::drain_openssl_errors());
    return;
  }
  update_deadline(now);
  detail::drain_openssl_errors();
}

void DtlsEndpoint::close() {
  if (state_ == DtlsState::Connected || state_ == DtlsState::Connecting) {
    if (handshake_done_) (void)SSL_shutdown(ssl_);
  }
  if (state_ != DtlsState::Failed) state_ = DtlsState::Closed;
  deadline_.reset();
  detail::drain_openssl_errors();
}

void DtlsEndpoint::advance(Clock::time_point now) {
  if (!handshake_done_) {
    const int result = SSL_do_handshake(ssl_);
    if (result == 1) {
      handshake_done_ = true;
      on_handshake_done();
    } else {
      const int error = SSL_get_error(ssl_, result);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        const unsigned long code = detail::drain_openssl_errors();
        // OpenSSL also retransmits from inside its read path and gives up there after 12 timeouts.
        const bool timed_out = ERR_GET_REASON(code) == SSL_R_READ_TIMEOUT_EXPIRED;
        fail(mismatch_seen_ ? DtlsErrorCode::FingerprintMismatch
             : timed_out    ? DtlsErrorCode::Timeout
                            : DtlsErrorCode::HandshakeFailed,
             code);
        return;
      }
    }
  }
  if (handshake_done_ && (state_ == DtlsState::Connected || state_ == DtlsState::Connecting)) read_records();
  if (state_ == DtlsState::Connecting || state_ == DtlsState::Connected) update_deadline(now);
}

void DtlsEndpoint::on_handshake_done() {
  X509* peer = SSL_get0_peer_certificate(ssl_);
  if (peer == nullptr) {
    fail(DtlsErrorCode::NoPeerCertificate, detail::drain_openssl_errors());
    return;
  }
  const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl_);
  const auto profile = selected != nullptr
                           ? srtp_profile_from_dtls_id(static_cast<std::uint16_t>(selected->id))
                           : std::nullopt;
  if (!profile) {
    fail(DtlsErrorCode::NoSrtpProfile, detail::drain_openssl_errors());
    return;
  }
  profile_ = profile;
  // Keys are released only once the fingerprint is known and matches; until then stay Connecting.
  try_finish_connected();
}

bool DtlsEndpoint::peer_matches_fingerprint() const {
  X509* peer = SSL_get0_peer_certificate(ssl_);
  if (peer == nullptr || !remote_fingerprint_) return false;
  const int length = i2d_X509(peer, nullptr);
  if (length <= 0) return false;
  std::vector<std::byte> der(static_cast<std::size_t>(length));
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_X509(peer, &out) != length) return false;
  const auto actual = Fingerprint::of_der(der, remote_fingerprint_->hash());
  return actual && *actual == *remote_fingerprint_;
}

void DtlsEndpoint::try_finish_connected() {
  if (!remote_fingerprint_ || !profile_) return;
  if (!peer_matches_fingerprint()) {
    fail(DtlsErrorCode::FingerprintMismatch, detail::drain_openssl_errors());
    return;
  }
  // RFC 5764 §4.2: client_write_key | server_write_key | client_write_salt | server_write_salt.
  const std::size_t key = srtp_key_length(*profile_);
  const std::size_t salt = srtp_salt_length(*profile_);
  std::array<unsigned char, 2 * SrtpMasterKey::kMaxLength> material{};
  if (SSL_export_keying_material(ssl_, material.data(), 2 * (key + salt), kExporterLabel.data(),
                                 kExporterLabel.size(), nullptr, 0, 0) != 1) {
    fail(DtlsErrorCode::KeyExport, detail::drain_openssl_errors());
    return;
  }
  const auto bytes = std::as_bytes(std::span(material));
  auto client = SrtpMasterKey::from(*profile_, bytes.subspan(0, key), bytes.subspan(2 * key, salt));
  auto server = SrtpMasterKey::from(*profile_, bytes.subspan(key, key), bytes.subspan(2 * key + salt, salt));
  OPENSSL_cleanse(material.data(), material.size());
  if (!client || !server) {
    fail(DtlsErrorCode::KeyExport, 0);
    return;
  }
  SrtpKeys keys = role_ == DtlsRole::Client ? SrtpKeys{*client, *server} : SrtpKeys{*server, *client};
  state_ = DtlsState::Connected;
  deadline_.reset();
  observer_.on_dtls_connected(keys);
}

void DtlsEndpoint::read_records() {
  // Application data is not used by DTLS-SRTP; reading drives alerts, close_notify and the
  // retransmission of our last flight when the peer repeats its own.
  std::array<unsigned char, 2048> sink{};
  for (int rounds = 0; rounds < 64; ++rounds) {
    const int result = SSL_read(ssl_, sink.data(), static_cast<int>(sink.size()));
    if (result > 0) continue;
    const int error = SSL_get_error(ssl_, result);
    if (error == SSL_ERROR_ZERO_RETURN) {
      state_ = DtlsState::Closed;
      deadline_.reset();
      observer_.on_dtls_closed();
      return;
    }
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
    fail(DtlsErrorCode::HandshakeFailed, detail::drain_openssl_errors());
    return;
  }
}

void DtlsEndpoint::fail(DtlsErrorCode code, unsigned long openssl_error) {
  if (state_ == DtlsState::Failed || state_ == DtlsState::Closed) return;
  state_ = DtlsState::Failed;
  deadline_.reset();
  observer_.on_dtls_failed(DtlsError{code, openssl_error});
}

void DtlsEndpoint::update_deadline(Clock::time_point now) noexcept {
  timeval left{};
  if (handshake_done_ && state_ == DtlsState::Connected) {
    deadline_.reset();
    return;
  }
  if (DTLSv1_get_timeout(ssl_, &left) == 1) {
    deadline_ = now + std::chrono::seconds(left.tv_sec) + std::chrono::microseconds(left.tv_usec);
  } else {
    deadline_.reset();
  }
}

}  // namespace rtcgate::media
