// The floor under relay_throughput_bench: what this machine's kernel charges a relay thread that does
// nothing but move datagrams between per-call UDP sockets on 127.0.0.1, with no ICE, DTLS, SRTP,
// RTP parsing or session state.
//
// Same shape as relay_throughput_bench, so the two figures compare: a "DUT" thread owns 2 sockets
// per call (web side and legacy side), waits in a level-triggered epoll, reads each ready socket with
// recvmmsg and sends every datagram with one sendto from the call's other socket. A generator thread
// sends one 172-byte datagram per call each way every 1/pps s with sendmmsg (like the PBX and the
// far-end browsers); what the DUT sends towards the browsers lands on per-call sockets that a sink
// thread waits on with epoll, as the far-end engine's worker does, so the DUT pays the same loopback
// delivery and wake-ups as in the real benchmark; what it sends towards the PBX lands on the
// generator's socket, which polls every millisecond.
//
// The DUT's CPU time per relayed packet is the least any design with one socket per call leg and one
// send per packet can cost here; relay_throughput_bench's figure minus this one is what ICE, DTLS-SRTP
// and the relay logic add.
//
// --shared-web 1 prices the other design: every call's web side on one socket per thread (one port
// for all browsers, as an ICE-lite server can do), read with recvmmsg across calls and written with
// one sendmmsg per round across calls; the legacy side keeps a socket per call, which SDP demands.
//
// Usage: udp_relay_floor_bench [--sessions N] [--seconds S] [--pps P] [--shared-web 0|1]
//        (defaults 1000, 10, 50, 0)
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "support/host.hpp"

namespace {

using rtcgate::bench::load_average;
using rtcgate::bench::raise_file_limit;
using rtcgate::bench::thread_cpu_seconds;

using Clock = std::chrono::steady_clock;
constexpr std::size_t kPacket = 172;  // 12-byte RTP header + 20 ms of PCMU
constexpr std::size_t kBatch = 64;

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  return a;
}

// A non-blocking socket on 127.0.0.1 with an ephemeral port; exits on failure (a bench, not a product).
int open_socket(std::uint16_t& port, int rcvbuf) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    std::perror("socket");
    std::exit(1);
  }
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
  sockaddr_in a = loopback(0);
  socklen_t length = sizeof(a);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length) != 0) {
    std::perror("bind");
    std::exit(1);
  }
  port = ntohs(a.sin_port);
  return fd;
}

struct Options {
  std::size_t sessions = 1000;
  double seconds = 10;
  int pps = 50;
  bool shared_web = false;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--sessions") o.sessions = std::max<std::size_t>(1, std::strtoul(argv[i + 1], nullptr, 10));
    if (key == "--seconds") o.seconds = std::max(1.0, std::strtod(argv[i + 1], nullptr));
    if (key == "--pps") o.pps = std::clamp(std::atoi(argv[i + 1]), 1, 1000);
    if (key == "--shared-web") o.shared_web = std::atoi(argv[i + 1]) != 0;
  }
  return o;
}

// The relay thread's sockets: for call i, web[i] talks to the browser at far[i], legacy[i] to the PBX.
// With a shared web socket, web holds that one socket.
struct Relay {
  std::vector<int> web;
  std::vector<int> legacy;
  std::vector<sockaddr_in> far;
  sockaddr_in pbx{};
  std::atomic<std::uint64_t> relayed{0};
  std::atomic<double> cpu{0};
};

// Datagrams for the browsers, queued during one round of ready sockets and sent with sendmmsg from
// the shared web socket (the --shared-web design).
class WebBatch {
 public:
  void add(const unsigned char* data, std::size_t size, const sockaddr_in& to) {
    std::memcpy(buffers_[count_].data(), data, size);
    vectors_[count_] = {buffers_[count_].data(), size};
    messages_[count_] = {};
    messages_[count_].msg_hdr.msg_iov = &vectors_[count_];
    messages_[count_].msg_hdr.msg_iovlen = 1;
    messages_[count_].msg_hdr.msg_name = const_cast<sockaddr_in*>(&to);
    messages_[count_].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    ++count_;
  }
  [[nodiscard]] bool full() const noexcept { return count_ == kBatch; }
  std::size_t flush(int fd) {
    std::size_t sent = 0;
    while (sent < count_) {
      const int got =
          ::sendmmsg(fd, messages_.data() + sent, static_cast<unsigned>(count_ - sent), MSG_DONTWAIT);
      if (got <= 0) break;
      sent += static_cast<std::size_t>(got);
    }
    count_ = 0;
    return sent;
  }

 private:
  std::array<std::array<unsigned char, 1500>, kBatch> buffers_{};
  std::array<mmsghdr, kBatch> messages_{};
  std::array<iovec, kBatch> vectors_{};
  std::size_t count_ = 0;
};

void run_relay(Relay& relay, const std::atomic<bool>& stop) {
  const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
  const std::size_t n = relay.legacy.size();
  const bool shared = relay.web.size() == 1 && n > 1;
  const auto watch = [epoll](int fd, std::uint64_t key) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = key;
    ::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev);
  };
  for (std::size_t i = 0; i < n; ++i) {
    watch(relay.legacy[i], (i << 1) | 1);
    if (!shared) watch(relay.web[i], i << 1);
  }
  if (shared) watch(relay.web[0], 0);
  std::array<epoll_event, 256> events{};
  std::array<std::array<unsigned char, 1500>, kBatch> buffers{};
  std::array<mmsghdr, kBatch> messages{};
  std::array<iovec, kBatch> vectors{};
  WebBatch to_browsers;
  std::uint64_t relayed = 0;
  std::size_t next_call =
      0;  // shared web socket: which call a datagram belongs to (a lookup by source in a product)
  while (!stop.load(std::memory_order_relaxed)) {
    const int ready = ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 100);
    for (int e = 0; e < ready; ++e) {
      const std::size_t i = events[e].data.u64 >> 1;
      const bool from_web = (events[e].data.u64 & 1) == 0;
      // Per-call sockets hold a packet or two; the shared one holds a round's worth of every call.
      const std::size_t batch = from_web && shared ? kBatch : 16;
      for (std::size_t k = 0; k < batch; ++k) {
        vectors[k] = {buffers[k].data(), buffers[k].size()};
        messages[k] = {};
        messages[k].msg_hdr.msg_iov = &vectors[k];
        messages[k].msg_hdr.msg_iovlen = 1;
      }
      const int got = ::recvmmsg(from_web ? relay.web[i] : relay.legacy[i], messages.data(),
                                 static_cast<unsigned>(batch), MSG_DONTWAIT, nullptr);
      for (int k = 0; k < got; ++k) {
        if (from_web) {
          const std::size_t call = shared ? next_call++ % n : i;
          if (::sendto(relay.legacy[call], buffers[k].data(), messages[k].msg_len, MSG_DONTWAIT,
                       reinterpret_cast<const sockaddr*>(&relay.pbx), sizeof(relay.pbx)) > 0)
            ++relayed;
        } else if (shared) {
          to_browsers.add(buffers[k].data(), messages[k].msg_len, relay.far[i]);
          if (to_browsers.full()) relayed += to_browsers.flush(relay.web[0]);
        } else if (::sendto(relay.web[i], buffers[k].data(), messages[k].msg_len, MSG_DONTWAIT,
                            reinterpret_cast<const sockaddr*>(&relay.far[i]), sizeof(relay.far[i])) > 0) {
          ++relayed;
        }
      }
    }
    if (shared) relayed += to_browsers.flush(relay.web[0]);
    relay.relayed.store(relayed, std::memory_order_relaxed);
    relay.cpu.store(thread_cpu_seconds(), std::memory_order_relaxed);
  }
  ::close(epoll);
}

// The far-end browsers: per-call sockets the sink waits on, so each datagram may wake it.
void run_sink(const std::vector<int>& sockets, std::atomic<std::uint64_t>& received,
              const std::atomic<bool>& stop) {
  const int epoll = ::epoll_create1(EPOLL_CLOEXEC);
  for (std::size_t i = 0; i < sockets.size(); ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    ::epoll_ctl(epoll, EPOLL_CTL_ADD, sockets[i], &ev);
  }
  std::array<epoll_event, 256> events{};
  std::array<unsigned char, 1500> buffer{};
  std::uint64_t count = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    const int ready = ::epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 100);
    for (int e = 0; e < ready; ++e) {
      while (::recv(sockets[events[e].data.u64], buffer.data(), buffer.size(), MSG_DONTWAIT) > 0)
        ++count;
    }
    received.store(count, std::memory_order_relaxed);
  }
  ::close(epoll);
}

// Sends one datagram to each destination (a round), batched with sendmmsg; returns the number sent.
std::size_t send_round(int fd, std::vector<sockaddr_in>& to, std::array<unsigned char, kPacket>& packet) {
  std::size_t sent = 0;
  for (std::size_t at = 0; at < to.size(); at += kBatch) {
    const std::size_t n = std::min(kBatch, to.size() - at);
    std::array<mmsghdr, kBatch> messages{};
    std::array<iovec, kBatch> vectors{};
    for (std::size_t k = 0; k < n; ++k) {
      vectors[k] = {packet.data(), packet.size()};
      messages[k].msg_hdr.msg_iov = &vectors[k];
      messages[k].msg_hdr.msg_iovlen = 1;
      messages[k].msg_hdr.msg_name = &to[at + k];
      messages[k].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    }
    const int got = ::sendmmsg(fd, messages.data(), static_cast<unsigned>(n), 0);
    if (got > 0) sent += static_cast<std::size_t>(got);
  }
  return sent;
}

std::size_t drain(int fd) {
  std::array<std::array<unsigned char, 1500>, kBatch> buffers{};
  std::array<mmsghdr, kBatch> messages{};
  std::array<iovec, kBatch> vectors{};
  for (std::size_t k = 0; k < kBatch; ++k) {
    vectors[k] = {buffers[k].data(), buffers[k].size()};
    messages[k].msg_hdr.msg_iov = &vectors[k];
    messages[k].msg_hdr.msg_iovlen = 1;
  }
  std::size_t total = 0;
  for (;;) {
    const int got = ::recvmmsg(fd, messages.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (got <= 0) return total;
    total += static_cast<std::size_t>(got);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  const rlim_t files = raise_file_limit();
  if (files < 3 * options.sessions + 64) {
    std::fprintf(stderr, "need %zu file descriptors, have %llu\n", 3 * options.sessions + 64,
                 static_cast<unsigned long long>(files));
    return 1;
  }

  const std::size_t n = options.sessions;
  Relay relay;
  std::vector<int> far;
  std::vector<sockaddr_in> to_dut;  // the generator's destinations: every legacy and web socket
  std::uint16_t shared_port = 0;
  if (options.shared_web) relay.web.push_back(open_socket(shared_port, 8 << 20));
  for (std::size_t i = 0; i < n; ++i) {
    std::uint16_t port = 0;
    relay.legacy.push_back(open_socket(port, 256 << 10));  // as the DUT's legacy legs
    to_dut.push_back(loopback(port));
    if (!options.shared_web) relay.web.push_back(open_socket(port, 256 << 10));
    to_dut.push_back(loopback(options.shared_web ? shared_port : port));
    far.push_back(open_socket(port, 256 << 10));
    relay.far.push_back(loopback(port));
  }
  std::uint16_t pbx_port = 0;
  const int pbx = open_socket(pbx_port, 8 << 20);
  relay.pbx = loopback(pbx_port);

  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> sunk{0};
  std::thread relay_thread([&] { run_relay(relay, stop); });
  std::thread sink_thread([&] { run_sink(far, sunk, stop); });

  std::array<unsigned char, kPacket> packet{};
  packet.fill(0x7f);
  packet[0] = 0x80;
  const auto period = std::chrono::microseconds(1'000'000 / options.pps);
  const auto start = Clock::now();
  const auto window_start = start + std::chrono::seconds(2);  // warm-up
  const auto window_end = window_start + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(options.seconds));
  auto next = start;
  bool in_window = false;
  double cpu0 = 0;
  std::uint64_t relayed0 = 0;
  std::size_t sent = 0;
  std::size_t returned = 0;
  const double load0 = load_average();
  while (Clock::now() < window_end) {
    const auto now = Clock::now();
    if (!in_window && now >= window_start) {
      in_window = true;
      cpu0 = relay.cpu.load();
      relayed0 = relay.relayed.load();
    }
    if (now >= next) {
      const std::size_t out = send_round(pbx, to_dut, packet);
      if (in_window) sent += out;
      next += period;
    }
    returned += drain(pbx);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const double cpu = relay.cpu.load() - cpu0;
  const std::uint64_t relayed = relay.relayed.load() - relayed0;
  stop = true;
  relay_thread.join();
  sink_thread.join();

  const double per_packet_us = relayed == 0 ? 0 : cpu * 1e6 / static_cast<double>(relayed);
  std::printf(
      "udp relay floor (%s): %zu calls x %d pps each way, %.1f s measured; load average %.2f -> %.2f on %u "
      "CPUs\n",
      options.shared_web ? "one shared web socket" : "a socket per call leg", n, options.pps, options.seconds,
      load0, load_average(), std::thread::hardware_concurrency());
  std::printf(
      "relay thread: %.3f CPU s = %.1f%% of a core for %llu packets (%zu offered): %.2f us CPU per relayed "
      "packet\n",
      cpu, 100.0 * cpu / options.seconds, static_cast<unsigned long long>(relayed), sent, per_packet_us);
  if (per_packet_us > 0)
    std::printf("=> at most %.0f calls per core at %d pps each way for this socket design on this machine\n",
                1e6 / (per_packet_us * 2.0 * options.pps), options.pps);
  std::printf("(sink received %llu, generator got back %zu over the whole run)\n",
              static_cast<unsigned long long>(sunk.load()), returned);
  for (int fd : relay.web)
    ::close(fd);
  for (int fd : relay.legacy)
    ::close(fd);
  for (int fd : far)
    ::close(fd);
  ::close(pbx);
  return 0;
}
