#include "rtcgate/media/io/send_batch.hpp"

#include <cerrno>
#include <cstring>

namespace rtcgate::media {
namespace {

Drop drop_for(int error) noexcept {
  return error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS ? Drop::WouldBlock : Drop::NoRoute;
}

void count_sent(const SendAccounting& account, std::size_t size) noexcept {
  ++*account.packets;
  *account.bytes += size;
}

}  // namespace

bool send_datagram(int fd, std::span<const std::byte> datagram, const SocketAddress& to) noexcept {
  iovec vector{const_cast<std::byte*>(datagram.data()), datagram.size()};  // sendmsg does not write
  msghdr message{};
  message.msg_name = const_cast<sockaddr*>(to.get());
  message.msg_namelen = to.length;
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  return ::sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL) == static_cast<ssize_t>(datagram.size());
}

bool SendBatch::send(int fd, std::span<const std::byte> datagram, const SocketAddress& to,
                     SendAccounting account) noexcept {
  if (depth_ == 0 || datagram.size() > kMaxDatagram) {
    flush();  // what was queued goes first
    if (!send_datagram(fd, datagram, to)) {
      account.drops->bump(drop_for(errno));
      return false;
    }
    count_sent(account, datagram.size());
    return true;
  }
  if (count_ == kSlots) flush();
  Slot& slot = slots_[count_++];
  slot.fd = fd;
  slot.account = account;
  std::memcpy(&slot.to.storage, &to.storage, to.length);
  slot.to.length = to.length;
  slot.size = datagram.size();
  std::memcpy(slot.bytes.data(), datagram.data(), datagram.size());
  return true;
}

void SendBatch::flush() noexcept {
  std::size_t first = 0;
  while (first < count_) {
    std::size_t end = first + 1;
    while (end < count_ && slots_[end].fd == slots_[first].fd)
      ++end;
    flush_run(first, end);
    first = end;
  }
  count_ = 0;
}

// One socket's datagrams, in order. sendmmsg stops at the first failure and reports how many went;
// that one is counted as dropped and the rest are tried again.
void SendBatch::flush_run(std::size_t first, std::size_t end) noexcept {
  for (std::size_t k = first; k < end; ++k) {
    Slot& slot = slots_[k];
    vectors_[k] = {slot.bytes.data(), slot.size};
    messages_[k] = {};
    messages_[k].msg_hdr.msg_name = &slot.to.storage;
    messages_[k].msg_hdr.msg_namelen = slot.to.length;
    messages_[k].msg_hdr.msg_iov = &vectors_[k];
    messages_[k].msg_hdr.msg_iovlen = 1;
  }
  const int fd = slots_[first].fd;
  std::size_t at = first;
  while (at < end) {
    const int sent =
        ::sendmmsg(fd, messages_.data() + at, static_cast<unsigned>(end - at), MSG_DONTWAIT | MSG_NOSIGNAL);
    ++flush_calls_;
    if (sent <= 0) {
      slots_[at].account.drops->bump(drop_for(sent < 0 ? errno : EAGAIN));
      ++at;
      continue;
    }
    for (std::size_t k = at; k < at + static_cast<std::size_t>(sent); ++k)
      count_sent(slots_[k].account, slots_[k].size);
    at += static_cast<std::size_t>(sent);
    flushed_ += static_cast<std::size_t>(sent);
  }
}

}  // namespace rtcgate::media
