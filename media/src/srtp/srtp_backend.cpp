#include "rtcgate/media/srtp/srtp_backend.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <srtp2/srtp.h>

#include "rtcgate/media/srtp/srtp_session.hpp"
#include "srtp/srtp_backend_detect.hpp"

namespace rtcgate::media {

namespace {

// Written once inside srtp_library_initialise()'s call_once, read only after it returned.
SrtpCryptoBackend g_detected = SrtpCryptoBackend::Unknown;

// One module name, copied out of libsrtp2's report (its buffer is wiped after the callback).
struct ModuleName {
  std::array<char, 64> text{};
  std::size_t size = 0;
  void assign(std::string_view name) noexcept {
    size = std::min(name.size(), text.size());
    std::memcpy(text.data(), name.data(), size);
  }
  [[nodiscard]] std::string_view view() const noexcept { return {text.data(), size}; }
};

struct Modules {
  ModuleName aes_icm;
  ModuleName hmac;
};

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  return text;
}

// libsrtp2 reports "debug modules loaded:", then "  <name> " and "(on)"/"(off)" per module.
void collect_module(srtp_log_level_t /*level*/, const char* message, void* data) {
  auto& modules = *static_cast<Modules*>(data);
  const std::string_view name = trim(message);
  if (name.starts_with("aes icm")) modules.aes_icm.assign(name);
  if (name.starts_with("hmac sha-1")) modules.hmac.assign(name);
}

}  // namespace

std::string_view to_string(SrtpCryptoBackend backend) noexcept {
  switch (backend) {
    case SrtpCryptoBackend::OpenSsl:
      return "openssl";
    case SrtpCryptoBackend::Nss:
      return "nss";
    case SrtpCryptoBackend::MbedTls:
      return "mbedtls";
    case SrtpCryptoBackend::Builtin:
      return "builtin";
    case SrtpCryptoBackend::Unknown:
      return "unknown";
  }
  return "unknown";
}

SrtpCryptoBackend classify_srtp_modules(std::string_view aes_icm, std::string_view hmac) noexcept {
  // Both modules must agree: a half-swapped build is not the backend either name suggests.
  if (aes_icm == "aes icm ossl" && hmac == "hmac sha-1 openssl") return SrtpCryptoBackend::OpenSsl;
  if (aes_icm == "aes icm nss" && hmac == "hmac sha-1 nss") return SrtpCryptoBackend::Nss;
  if (aes_icm == "aes icm mbedtls" && hmac == "hmac sha-1 mbedtls") return SrtpCryptoBackend::MbedTls;
  if (aes_icm == "aes icm" && hmac == "hmac sha-1") return SrtpCryptoBackend::Builtin;
  return SrtpCryptoBackend::Unknown;
}

SrtpCryptoBackend detail::detect_srtp_crypto_backend() noexcept {
  Modules modules;
  if (srtp_install_log_handler(collect_module, &modules) != srtp_err_status_ok) return g_detected;
  (void)srtp_list_debug_modules();
  (void)srtp_install_log_handler(nullptr, nullptr);
  g_detected = classify_srtp_modules(modules.aes_icm.view(), modules.hmac.view());
  return g_detected;
}

std::string_view srtp_library_version() noexcept {
  const char* version = srtp_get_version_string();
  return version != nullptr ? std::string_view(version) : std::string_view("libsrtp2");
}

SrtpCryptoBackend srtp_crypto_backend() noexcept {
  if (srtp_library_initialise() != SrtpStatus::Ok) return SrtpCryptoBackend::Unknown;
  return g_detected;
}

}  // namespace rtcgate::media
