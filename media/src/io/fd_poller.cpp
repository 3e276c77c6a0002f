#include "rtcgate/media/io/fd_poller.hpp"

#include <cerrno>

#include <unistd.h>
#include <boost/asio/post.hpp>

namespace rtcgate::media {
namespace {

int make_epoll() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  return fd;
}

constexpr FdPoller::Token make_token(std::uint32_t index, std::uint32_t generation) noexcept {
  return (static_cast<std::uint64_t>(generation) << 32) | index;
}

}  // namespace

FdPoller::FdPoller(boost::asio::io_context& io) : io_(io), epoll_(io, make_epoll()) {
  arm();
}

FdPoller::~FdPoller() {
  closing_ = true;
  boost::system::error_code ignored;
  epoll_.cancel(ignored);
  epoll_.close(ignored);
}

std::expected<FdPoller::Token, std::error_code> FdPoller::add(int fd, FdHandler& handler) {
  std::uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[index];
  slot.handler = &handler;
  slot.fd = fd;
  epoll_event ev{};
  ev.events = EPOLLIN;  // level-triggered on purpose (see the header)
  ev.data.u64 = make_token(index, slot.generation);
  if (::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_ADD, fd, &ev) != 0) {
    const int err = errno;
    slot.handler = nullptr;
    slot.fd = -1;
    free_.push_back(index);
    return std::unexpected(std::error_code(err, std::generic_category()));
  }
  // Data may already be queued (e.g. a STUN check that arrived during gathering): look once.
  if (!scheduled_) {
    scheduled_ = true;
    boost::asio::post(io_, [this] {
      scheduled_ = false;
      run_ready();
    });
  }
  return make_token(index, slot.generation);
}

void FdPoller::remove(Token token) noexcept {
  const auto index = static_cast<std::uint32_t>(token & 0xffffffffu);
  const auto generation = static_cast<std::uint32_t>(token >> 32);
  if (index >= slots_.size()) return;
  Slot& slot = slots_[index];
  if (slot.handler == nullptr || slot.generation != generation) return;
  sends_.flush();  // may hold datagrams for this socket, counted in its owner's counters
  ::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_DEL, slot.fd, nullptr);
  slot.handler = nullptr;
  slot.fd = -1;
  ++slot.generation;
  free_.push_back(index);
}

void FdPoller::arm() {
  if (waiting_) return;
  waiting_ = true;
  epoll_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code ec) {
    waiting_ = false;
    if (ec || closing_) return;
    ++wakeups_;
    run_ready();
  });
}

// One round: ask which sockets are ready and let each read. If every handler drained its socket and
// the batch was not full, nothing is ready any more and the next edge on the epoll descriptor will wake
// us; otherwise come back after other queued work instead of waiting for an edge that may not come.
void FdPoller::run_ready() {
  if (closing_) return;
  const int n = ::epoll_wait(epoll_.native_handle(), events_.data(), static_cast<int>(events_.size()), 0);
  bool all_drained = n < static_cast<int>(events_.size());
  sends_.open();
  for (int i = 0; i < n; ++i) {
    const Token token = events_[i].data.u64;
    const auto index = static_cast<std::uint32_t>(token & 0xffffffffu);
    if (index >= slots_.size()) continue;
    const Slot& slot = slots_[index];
    if (slot.handler == nullptr || slot.generation != static_cast<std::uint32_t>(token >> 32)) continue;
    ++dispatches_;
    if (!slot.handler->on_readable()) all_drained = false;
  }
  sends_.close();
  if (all_drained) {
    arm();
  } else if (!scheduled_) {
    scheduled_ = true;
    boost::asio::post(io_, [this] {
      scheduled_ = false;
      run_ready();
    });
  }
}

}  // namespace rtcgate::media
