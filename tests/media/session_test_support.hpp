// Test support for media sessions and the engine: a thread-safe event inbox fed by MediaEngine's sink,
// and a plain UDP socket on 127.0.0.1 standing in for a PBX.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "rtcgate/media/io/address.hpp"
#include "rtcgate/media/session/session_types.hpp"

namespace rtcgate::media::test {

class Events {
 public:
  void push(SessionEvent event) {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    cv_.notify_all();
  }
  // Waits for an event of type T for `id` (any id when 0); earlier events of other kinds stay queued.
  template <typename T>
  std::optional<T> wait(std::chrono::milliseconds limit, SessionId id = 0) {
    std::unique_lock lock(mutex_);
    std::optional<T> found;
    cv_.wait_for(lock, limit, [&] {
      for (auto it = events_.begin(); it != events_.end(); ++it) {
        if (id != 0 && it->id != id) continue;
        if (auto* t = std::get_if<T>(&it->body)) {
          found = *t;
          events_.erase(it);
          return true;
        }
      }
      return false;
    });
    return found;
  }
  // Takes every queued event (the caller routes them).
  std::deque<SessionEvent> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(events_, {});
  }
  std::vector<IceCandidate> candidates(SessionId id = 0) {
    std::lock_guard lock(mutex_);
    std::vector<IceCandidate> out;
    for (const auto& e : events_)
      if (auto* c = std::get_if<LocalCandidate>(&e.body); c != nullptr && (id == 0 || e.id == id))
        out.push_back(c->candidate);
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<SessionEvent> events_;
};

// A non-blocking UDP socket bound to 127.0.0.1 on an ephemeral port.
class UdpSocket {
 public:
  UdpSocket() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    auto any = make_socket_address("127.0.0.1", 0);
    if (fd_ >= 0 && any && ::bind(fd_, any->get(), any->length) == 0) {
      SocketAddress local;
      local.length = sizeof(local.storage);
      ::getsockname(fd_, local.get(), &local.length);
      port_ = port_of(local);
    }
  }
  ~UdpSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] int fd() const noexcept { return fd_; }
  bool send_to(std::uint16_t port, std::span<const std::byte> bytes) const {
    auto to = make_socket_address("127.0.0.1", port);
    return ::sendto(fd_, bytes.data(), bytes.size(), 0, to->get(), to->length) ==
           static_cast<ssize_t>(bytes.size());
  }
  // One datagram, waiting up to `limit`.
  std::optional<std::vector<std::byte>> receive(std::chrono::milliseconds limit) const {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::array<std::byte, 2048> buf;
    while (std::chrono::steady_clock::now() < deadline) {
      const ssize_t got = ::recv(fd_, buf.data(), buf.size(), 0);
      if (got >= 0) return std::vector<std::byte>(buf.begin(), buf.begin() + got);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return std::nullopt;
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace rtcgate::media::test
