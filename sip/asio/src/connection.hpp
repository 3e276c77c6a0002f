// Connection: one connection-oriented flow (TCP, TLS, WS, WSS) as the TransportCore sees it, and
// the bounded send queue every connection uses. Internal to rtcgate_sip_asio; no Beast here.
//
// Ownership: connections are shared_ptr-owned by the TransportCore's table while open and by their
// own pending async operations; they hold only a weak_ptr to the core, so a destroyed transport
// leaves late completions harmless. Thread: the signaling io_context.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "rtcgate/sip/asio/transport_config.hpp"
#include "rtcgate/sip/transport.hpp"

namespace rtcgate::sip::asio {

// After a failed accept (EMFILE, ENOBUFS) the listener waits this long instead of spinning.
inline constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  explicit Connection(Flow flow) : flow_(std::move(flow)) {}
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Queues one complete message; the handler runs when it is written or the connection fails.
  virtual void send(std::string bytes, SendHandler handler) = 0;
  // Closes the connection; the core reports on_flow_closed(reason) if the flow had been opened.
  virtual void close(std::error_code reason) = 0;

  const Flow& flow() const { return flow_; }
  bool opened() const { return opened_; }
  void mark_opened() { opened_ = true; }

 protected:
  Flow flow_;

 private:
  bool opened_ = false;
};

// FIFO of messages waiting to be written, bounded in count and bytes (back-pressure instead of
// unbounded growth when a peer stops reading).
class SendQueue {
 public:
  struct Item {
    std::string bytes;
    SendHandler handler;
  };

  explicit SendQueue(const TransportLimits& limits)
      : max_messages_(limits.max_queued_messages), max_bytes_(limits.max_queued_bytes) {}

  // False (and nothing moved from the arguments) when the bound would be exceeded.
  bool push(std::string& bytes, SendHandler& handler) {
    if (items_.size() >= max_messages_ || bytes_ + bytes.size() > max_bytes_) {
      return false;
    }
    bytes_ += bytes.size();
    items_.push_back(Item{std::move(bytes), std::move(handler)});
    return true;
  }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::string& front() const { return items_.front().bytes; }
  Item pop() {
    Item item = std::move(items_.front());
    items_.pop_front();
    bytes_ -= item.bytes.size();
    return item;
  }
  // Completes every queued send with `ec` (used when the connection closes).
  void fail_all(std::error_code ec, const Flow& flow) {
    std::deque<Item> items = std::move(items_);
    items_.clear();
    bytes_ = 0;
    for (Item& item : items) {
      if (item.handler) item.handler(ec, flow);
    }
  }

 private:
  std::size_t max_messages_;
  std::size_t max_bytes_;
  std::deque<Item> items_;
  std::size_t bytes_ = 0;
};

}  // namespace rtcgate::sip::asio
