// Relay throughput: many concurrent passthrough calls on one media worker, on 127.0.0.1.
//
// Two MediaEngines with one worker each: the device under test (DUT) holds N MediaSessions (ICE
// controlled, DTLS server, rtcp-mux legacy leg); the far-end engine holds N sessions that play the
// browsers (ICE controlling, DTLS client). Session i of each is connected to session i of the other
// through full ICE and a DTLS-SRTP handshake (AEAD_AES_128_GCM). A generator thread then plays every
// PBX: each 1/pps s it sends one 172-byte PCMU RTP packet to each DUT legacy port (legacy -> web:
// RTP in, SRTP out) and one to each far-end legacy port (which arrives at the DUT as SRTP: web ->
// legacy), batched with sendmmsg, and receives what comes out of both ends with recvmmsg.
// So each DUT call relays `pps` packets per second each way, exactly as a real call would.
//
// Reported: the DUT worker thread's CPU time per call-second (steady state, after a warm-up), the
// calls one core could carry at that cost, the far end's and the generator's CPU for comparison, and
// the loss in each direction over the measured window (received / sent at the generator, after a
// drain), with the spread of packets per call (a few dead calls and uniform thinning give the same
// totals) and the load average. The machine is shared; CPU time per thread is what counts, loss also
// reflects preemption: a worker that gets less CPU than its calls need falls behind, its sockets
// back up, and consent is declared lost after 30 s without an answer (RFC 7675; on the ICE fast path,
// which both engines use here since no TURN server is configured) or after 10 s on libnice's own
// path (0.1.21, LIMITS.md §1.3). Also reported: the DUT's GLib pumps per second (libnice's timers)
// and the fast path's STUN work (checks answered, consent checks sent and answered).
//
// Usage: relay_throughput_bench [--sessions N] [--seconds S] [--pps P] [--batch B] [--agents-per-context A]
//                               [--fast-path 0|1]
//        (defaults 1000, 10, 50, 50, WorkerConfig's, 1; B = calls set up at a time, A = libnice agents per
//        GMainContext on both engines; --fast-path 0 keeps every call on libnice's data path and consent,
//        for comparison)
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rtcgate/media/io/address.hpp"
#include "rtcgate/media/srtp/srtp_session.hpp"
#include "rtcgate/media/worker/media_engine.hpp"
#include "support/alloc_counter.hpp"
#include "support/host.hpp"

namespace {

using namespace rtcgate::media;
using rtcgate::bench::load_average;
using rtcgate::bench::raise_file_limit;
using rtcgate::bench::thread_cpu_seconds;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kPayload = 160;  // 20 ms of PCMU
constexpr std::size_t kPacket = 12 + kPayload;
constexpr std::size_t kBatch = 64;

// What the bench needs from one engine's events.
class Inbox {
 public:
  explicit Inbox(std::size_t sessions) : state_(sessions + 1), window_in_(sessions + 1) {}
  void push(const SessionEvent& event) {
    std::lock_guard lock(mutex_);
    if (event.id == 0 || event.id >= state_.size()) return;
    State& s = state_[event.id];
    if (const auto* created = std::get_if<SessionCreated>(&event.body)) {
      s.credentials = created->local_credentials;
      s.legacy_port = created->legacy_rtp_port;
    } else if (const auto* candidate = std::get_if<LocalCandidate>(&event.body)) {
      s.candidates.push_back(candidate->candidate);
    } else if (std::holds_alternative<GatheringDone>(event.body)) {
      ++gathered_;
    } else if (std::holds_alternative<DtlsConnected>(event.body)) {
      if (connected_++ == 0) profile_ = std::get<DtlsConnected>(event.body).profile;
    } else if (const auto* dtls = std::get_if<DtlsFailed>(&event.body)) {
      note_failure("dtls: " + dtls->reason);
    } else if (const auto* failed = std::get_if<SessionFailed>(&event.body)) {
      note_failure(failed->reason);
    } else if (std::holds_alternative<ConsentLost>(event.body)) {
      note_failure("consent lost");
    } else if (const auto* ice = std::get_if<IceStateChanged>(&event.body);
               ice && ice->state == IceState::Failed) {
      note_failure("ice failed");
    } else if (const auto* stats = std::get_if<StatsSnapshot>(&event.body)) {
      if (stats_ >= state_.size() - 1) drops_ += stats->stats.web_to_legacy.drops;
      if (stats_ >= state_.size() - 1) {
        drops_ += stats->stats.legacy_to_web.drops;
        drops_ += stats->stats.web_transport.drops;
        drops_ += stats->stats.legacy_transport.drops;
      }
      const auto& st = stats->stats;
      packets_[stats_ < state_.size() - 1 ? 0 : 1] += st.web_to_legacy.packets_in + st.web_to_legacy.rtcp_in +
                                                      st.legacy_to_web.packets_in + st.legacy_to_web.rtcp_in;
      if (stats_ >= state_.size() - 1) {
        ++ice_states_[static_cast<std::size_t>(st.ice_state)];
        stun_answered_ += st.web_transport.stun.requests_answered;
        consent_sent_ += st.web_transport.stun.consent_sent;
        consent_answered_ += st.web_transport.stun.consent_answered;
      }
      // Per call: packets received in the window, each direction (end snapshot minus start snapshot).
      auto& window = window_in_[event.id];
      const std::int64_t sign = stats_ < state_.size() - 1 ? -1 : 1;
      window[0] += sign * static_cast<std::int64_t>(st.legacy_to_web.packets_in);
      window[1] += sign * static_cast<std::int64_t>(st.web_to_legacy.packets_in);
      ++stats_;
    }
    cv_.notify_all();
  }
  // Waits until `count(this) >= want` or the limit; returns the final count.
  template <typename Count>
  std::size_t wait(std::size_t want, std::chrono::seconds limit, Count count) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, limit, [&] { return count(*this) >= want; });
    return count(*this);
  }

  void note_failure(std::string reason) {
    ++failed_;
    if (first_failure_.empty()) first_failure_ = std::move(reason);
  }

  struct State {
    IceCredentials credentials;
    std::vector<IceCandidate> candidates;
    std::uint16_t legacy_port = 0;
  };
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<State> state_;
  std::size_t gathered_ = 0;
  std::size_t connected_ = 0;
  std::size_t failed_ = 0;
  SrtpProfile profile_ = SrtpProfile::AeadAes128Gcm;
  std::size_t stats_ = 0;
  std::string first_failure_;
  std::array<std::size_t, 7> ice_states_{};
  std::uint64_t stun_answered_ = 0;
  std::uint64_t consent_sent_ = 0;
  std::uint64_t consent_answered_ = 0;
  std::vector<std::array<std::int64_t, 2>> window_in_;  // per call: received in the window, each way
  std::array<std::uint64_t, 2> packets_{};  // media packets the DUT received: at window start, at end
  DropCounters drops_;
};

int open_socket(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  const int size = 8 << 20;
  // SO_*BUFFORCE passes net.core.[rw]mem_max when privileged; the plain call is the fallback.
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  if (::setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) != 0)
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  auto any = make_socket_address("127.0.0.1", 0);
  ::bind(fd, any->get(), any->length);
  SocketAddress local;
  local.length = sizeof(local.storage);
  ::getsockname(fd, local.get(), &local.length);
  port = port_of(local);
  return fd;
}

// The PBX side of every call: sends paced RTP to a list of ports and counts what comes back.
class Generator {
 public:
  Generator(int fd, std::vector<std::uint16_t> ports) : fd_(fd), ports_(std::move(ports)) {
    for (std::size_t i = 0; i < ports_.size(); ++i) {
      destinations_.push_back(*make_socket_address("127.0.0.1", ports_[i]));
      auto& p = packets_.emplace_back();
      p.fill(0x7f);
      p[0] = 0x80;  // V=2, PT 0 (PCMU)
      p[1] = 0;
      const auto ssrc = static_cast<std::uint32_t>(0x10000 + i);
      for (int b = 0; b < 4; ++b)
        p[8 + b] = static_cast<unsigned char>(ssrc >> (24 - 8 * b));
    }
  }
  // One packet to every port (sequence and timestamp advance per round).
  void send_round() {
    for (std::size_t at = 0; at < ports_.size(); at += kBatch) {
      const std::size_t n = std::min(kBatch, ports_.size() - at);
      std::array<mmsghdr, kBatch> msgs{};
      std::array<iovec, kBatch> iov{};
      for (std::size_t k = 0; k < n; ++k) {
        auto& p = packets_[at + k];
        p[2] = static_cast<unsigned char>(seq_ >> 8);
        p[3] = static_cast<unsigned char>(seq_);
        const std::uint32_t ts = 160u * seq_;
        for (int b = 0; b < 4; ++b)
          p[4 + b] = static_cast<unsigned char>(ts >> (24 - 8 * b));
        iov[k] = {p.data(), p.size()};
        msgs[k].msg_hdr.msg_iov = &iov[k];
        msgs[k].msg_hdr.msg_iovlen = 1;
        msgs[k].msg_hdr.msg_name = destinations_[at + k].get();
        msgs[k].msg_hdr.msg_namelen = destinations_[at + k].length;
      }
      std::size_t done = 0;
      while (done < n) {
        const int sent = ::sendmmsg(fd_, msgs.data() + done, static_cast<unsigned>(n - done), 0);
        if (sent <= 0) {
          ++errors_;  // this datagram is lost (full buffer, or an error); go on with the rest
          ++done;
          continue;
        }
        done += static_cast<std::size_t>(sent);
        sent_ += static_cast<std::size_t>(sent);
      }
    }
    ++seq_;
  }
  void receive_all() {
    std::array<mmsghdr, kBatch> msgs{};
    std::array<iovec, kBatch> iov{};
    for (std::size_t k = 0; k < kBatch; ++k) {
      iov[k] = {buffers_[k].data(), buffers_[k].size()};
      msgs[k].msg_hdr.msg_iov = &iov[k];
      msgs[k].msg_hdr.msg_iovlen = 1;
    }
    for (;;) {
      const int got = ::recvmmsg(fd_, msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
      if (got <= 0) return;
      received_ += static_cast<std::size_t>(got);
    }
  }
  [[nodiscard]] std::size_t sent() const noexcept { return sent_; }
  [[nodiscard]] std::size_t received() const noexcept { return received_; }

 private:
  int fd_;
  std::vector<std::uint16_t> ports_;
  std::vector<SocketAddress> destinations_;
  std::vector<std::array<unsigned char, kPacket>> packets_;
  std::array<std::array<unsigned char, 2048>, kBatch> buffers_{};
  std::uint16_t seq_ = 1;
  std::size_t sent_ = 0;
  std::size_t received_ = 0;
  std::size_t errors_ = 0;

 public:
  [[nodiscard]] std::size_t errors() const noexcept { return errors_; }
};

struct Options {
  std::size_t sessions = 1000;
  double seconds = 10;
  int pps = 50;
  std::size_t batch = 50;
  std::size_t agents_per_context = 0;  // 0: WorkerConfig's default
  bool fast_path = true;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--sessions") o.sessions = std::strtoul(argv[i + 1], nullptr, 10);
    if (key == "--seconds") o.seconds = std::strtod(argv[i + 1], nullptr);
    if (key == "--pps") o.pps = std::atoi(argv[i + 1]);
    if (key == "--batch") o.batch = std::max<std::size_t>(1, std::strtoul(argv[i + 1], nullptr, 10));
    if (key == "--agents-per-context") o.agents_per_context = std::strtoul(argv[i + 1], nullptr, 10);
    if (key == "--fast-path") o.fast_path = std::atoi(argv[i + 1]) != 0;
  }
  return o;
}

MediaSessionConfig session_config(IceRole role, DtlsRole dtls, bool fast_path) {
  MediaSessionConfig c;
  c.ice.role = role;
  c.ice.fast_path = fast_path;
  c.ice.bind_addresses = {"127.0.0.1"};
  c.dtls_role = dtls;
  c.legacy.rtcp_mux = true;
  c.legacy.receive_buffer_bytes = 256 << 10;
  c.web_to_legacy.payloads = {{0, 0}};
  c.legacy_to_web.payloads = {{0, 0}};
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  (void)raise_file_limit();
  if (srtp_library_initialise() != SrtpStatus::Ok) return 1;
  auto certificate = Certificate::generate();
  if (!certificate) return 1;

  const std::size_t n = options.sessions;
  Inbox dut_inbox(n);
  Inbox far_inbox(n);
  MediaEngineConfig dut_config;
  dut_config.workers = 1;
  dut_config.worker.pool_packets = 16384;
  if (options.agents_per_context != 0) dut_config.worker.agents_per_context = options.agents_per_context;
  // Legacy ports below the kernel's ephemeral range, where libnice binds the ICE sockets.
  dut_config.port_min = 10000;
  dut_config.port_max = static_cast<std::uint16_t>(10000 + 2 * n + 100);
  MediaEngineConfig far_config = dut_config;
  far_config.port_min = static_cast<std::uint16_t>(dut_config.port_max + 1);
  far_config.port_max = static_cast<std::uint16_t>(far_config.port_min + 2 * n + 100);
  auto dut = MediaEngine::create(dut_config, *certificate, [&](SessionEvent e) { dut_inbox.push(e); });
  auto far = MediaEngine::create(far_config, *certificate, [&](SessionEvent e) { far_inbox.push(e); });
  if (!dut || !far) return 1;

  std::uint16_t dut_pbx_port = 0;
  std::uint16_t far_pbx_port = 0;
  const int dut_pbx = open_socket(dut_pbx_port);  // plays the PBX behind every DUT call
  const int far_pbx = open_socket(far_pbx_port);  // feeds the far-end "browsers"

  // Calls arrive in batches (as they would: not thousands in the same millisecond); each batch gathers,
  // exchanges ICE parameters and completes DTLS before the next one starts.
  const auto setup_start = Clock::now();
  const auto gathered = [](Inbox& box) { return box.gathered_; };
  const auto connected = [](Inbox& box) { return box.connected_; };
  std::vector<std::uint16_t> dut_ports;
  std::vector<std::uint16_t> far_ports;
  for (std::size_t first = 1; first <= n; first += options.batch) {
    const std::size_t last = std::min(n, first + options.batch - 1);
    for (std::size_t i = first; i <= last; ++i) {
      auto d = session_config(IceRole::Controlled, DtlsRole::Server, options.fast_path);
      d.legacy_remote = LegacyRemote{"127.0.0.1", dut_pbx_port, 0};
      d.remote_fingerprint = certificate->fingerprint();
      (*dut)->create_session(i, "dut-" + std::to_string(i), d);
      auto f = session_config(IceRole::Controlling, DtlsRole::Client, options.fast_path);
      f.legacy_remote = LegacyRemote{"127.0.0.1", far_pbx_port, 0};
      f.remote_fingerprint = certificate->fingerprint();
      (*far)->create_session(i, "far-" + std::to_string(i), f);
    }
    if (dut_inbox.wait(last, 60s, gathered) < last || far_inbox.wait(last, 60s, gathered) < last) {
      std::fprintf(stderr, "gathering incomplete: dut %zu far %zu of %zu\n", dut_inbox.gathered_,
                   far_inbox.gathered_, last);
      return 1;
    }
    std::scoped_lock lock(dut_inbox.mutex_, far_inbox.mutex_);
    for (std::size_t i = first; i <= last; ++i) {
      const auto& d = dut_inbox.state_[i];
      const auto& f = far_inbox.state_[i];
      (*dut)->set_remote_ice(i, f.credentials, f.candidates, true);
      (*far)->set_remote_ice(i, d.credentials, d.candidates, true);
      dut_ports.push_back(d.legacy_port);
      far_ports.push_back(f.legacy_port);
    }
  }
  dut_inbox.wait(n, 20s, connected);
  far_inbox.wait(n, 10s, connected);
  const double setup_s = std::chrono::duration<double>(Clock::now() - setup_start).count();
  std::printf("setup: %zu calls, %zu DTLS-connected (DUT), %zu failure events (first: %s), %.1f s\n", n,
              dut_inbox.connected_, dut_inbox.failed_, dut_inbox.first_failure_.c_str(), setup_s);

  // Traffic: warm-up, then the measured window, then a drain.
  Generator to_dut(dut_pbx, dut_ports);  // legacy -> web through the DUT
  Generator to_far(far_pbx, far_ports);  // web -> legacy through the DUT
  Worker& dut_worker = (*dut)->workers().at(0);
  // The worker thread's allocation counters (read from here with relaxed loads).
  std::promise<rtcgate::bench::ThreadAllocCounters> counter;
  dut_worker.post([&counter] { counter.set_value(rtcgate::bench::this_thread_alloc_counters()); });
  const rtcgate::bench::ThreadAllocCounters dut_allocations = counter.get_future().get();
  // The DUT's batched sends: sendmmsg calls and the datagrams they carried (whole run).
  const auto dut_batches = [&dut_worker] {
    std::promise<std::pair<std::uint64_t, std::uint64_t>> sends;
    dut_worker.post([&sends, &dut_worker] {
      const SendBatch& batch = dut_worker.poller().sends();
      sends.set_value({batch.flush_calls(), batch.flushed()});
    });
    return sends.get_future().get();
  };
  const auto dut_pumps = [&dut_worker] {
    std::promise<std::uint64_t> pumps;
    dut_worker.post([&pumps, &dut_worker] { pumps.set_value(dut_worker.glib().pumps()); });
    return pumps.get_future().get();
  };
  std::uint64_t dut_pumps0 = 0;
  rtcgate::bench::AllocCounts dut_alloc0;
  Worker& far_worker = (*far)->workers().at(0);
  const auto period = std::chrono::microseconds(1000000 / options.pps);
  const auto warmup = 2s;
  const auto window =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
  auto next = Clock::now();
  const auto start = next;
  bool measuring = false;
  double dut_cpu0 = 0, far_cpu0 = 0, gen_cpu0 = 0, load0 = 0;
  std::size_t sent_l2w0 = 0, sent_w2l0 = 0, recv_l2w0 = 0, recv_w2l0 = 0;
  Clock::time_point measure_start;
  while (Clock::now() < start + warmup + window) {
    if (!measuring && Clock::now() >= start + warmup) {
      measuring = true;
      measure_start = Clock::now();
      dut_cpu0 = dut_worker.cpu_seconds();
      dut_alloc0 = dut_allocations.read();
      dut_pumps0 = dut_pumps();
      far_cpu0 = far_worker.cpu_seconds();
      gen_cpu0 = thread_cpu_seconds();
      load0 = load_average();
      sent_l2w0 = to_dut.sent();
      sent_w2l0 = to_far.sent();
      recv_l2w0 = to_far.received();
      recv_w2l0 = to_dut.received();
      for (std::size_t i = 1; i <= n; ++i)
        (*dut)->request_stats(i);
    }
    if (Clock::now() >= next) {
      to_dut.send_round();
      to_far.send_round();
      next += period;
    }
    to_dut.receive_all();
    to_far.receive_all();
    std::this_thread::sleep_for(1ms);
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - measure_start).count();
  const double dut_cpu = dut_worker.cpu_seconds() - dut_cpu0;
  const rtcgate::bench::AllocCounts dut_allocated = dut_allocations.read() - dut_alloc0;
  const std::uint64_t dut_allocs = dut_allocated.mallocs;
  const std::uint64_t dut_cxx = dut_allocated.news;
  const std::uint64_t dut_glib_pumps = dut_pumps() - dut_pumps0;
  for (std::size_t i = 1; i <= n; ++i)
    (*dut)->request_stats(i);
  const double far_cpu = far_worker.cpu_seconds() - far_cpu0;
  const double gen_cpu = thread_cpu_seconds() - gen_cpu0;
  const std::size_t sent_l2w = to_dut.sent() - sent_l2w0;
  const std::size_t sent_w2l = to_far.sent() - sent_w2l0;
  const auto drain = Clock::now() + 500ms;
  while (Clock::now() < drain) {
    to_dut.receive_all();
    to_far.receive_all();
    std::this_thread::sleep_for(1ms);
  }
  const std::size_t recv_l2w = to_far.received() - recv_l2w0;
  const std::size_t recv_w2l = to_dut.received() - recv_w2l0;

  dut_inbox.wait(2 * n, 20s, [](Inbox& box) { return box.stats_; });
  const auto relayed = static_cast<double>(dut_inbox.packets_[1] - dut_inbox.packets_[0]);
  const double us_per_packet = dut_cpu * 1e6 / relayed;

  const double call_seconds = static_cast<double>(n) * elapsed;
  const double us_per_call_second = dut_cpu / call_seconds * 1e6;
  const auto loss = [](std::size_t sent, std::size_t got) {
    return sent == 0 ? 0.0
                     : 100.0 * (1.0 - static_cast<double>(std::min(sent, got)) / static_cast<double>(sent));
  };
  std::printf("traffic: %zu calls x %d pps each way, %.2f s measured; load average %.2f -> %.2f on %u CPUs\n",
              n, options.pps, elapsed, load0, load_average(), std::thread::hardware_concurrency());
  std::printf("DUT worker: %.3f CPU s = %.1f%% of a core; %.1f us CPU per call-second offered\n", dut_cpu,
              100.0 * dut_cpu / elapsed, us_per_call_second);
  std::printf("DUT relayed %.0f packets in the window (%.0f offered): %.2f us CPU per relayed packet\n",
              relayed, static_cast<double>(sent_l2w + sent_w2l), us_per_packet);
  std::printf(
      "DUT heap allocations in the window: operator new %llu (%.3f per relayed packet); all, C libraries "
      "included: %llu (%.3f per relayed packet)\n",
      static_cast<unsigned long long>(dut_cxx), static_cast<double>(dut_cxx) / relayed,
      static_cast<unsigned long long>(dut_allocs), static_cast<double>(dut_allocs) / relayed);
  std::printf("SRTP profile: %s\n", std::string(to_string(dut_inbox.profile_)).c_str());
  std::printf(
      "DUT GLib pumps (libnice timers): %.0f per second; ICE fast path STUN (whole run, all calls): "
      "%llu checks answered, %llu consent checks sent, %llu answered\n",
      static_cast<double>(dut_glib_pumps) / elapsed,
      static_cast<unsigned long long>(dut_inbox.stun_answered_),
      static_cast<unsigned long long>(dut_inbox.consent_sent_),
      static_cast<unsigned long long>(dut_inbox.consent_answered_));
  const auto [batch_calls, batched] = dut_batches();
  std::printf("DUT batched sends (whole run): %llu datagrams in %llu sendmmsg calls (%.2f per call)\n",
              static_cast<unsigned long long>(batched), static_cast<unsigned long long>(batch_calls),
              batch_calls == 0 ? 0.0 : static_cast<double>(batched) / static_cast<double>(batch_calls));
  std::printf("=> %.0f passthrough calls per core at %d pps each way (target >= 2000)\n",
              1e6 / (us_per_packet * 2.0 * options.pps), options.pps);
  std::printf("far-end worker: %.1f%% of a core; generator: %.1f%% of a core\n", 100.0 * far_cpu / elapsed,
              100.0 * gen_cpu / elapsed);
  std::printf(
      "loss legacy->web: %.3f%% (%zu sent, %zu received); web->legacy: %.3f%% (%zu sent, %zu received)\n",
      loss(sent_l2w, recv_l2w), sent_l2w, recv_l2w, loss(sent_w2l, recv_w2l), sent_w2l, recv_w2l);
  std::printf("DUT ICE states at the end:");
  for (std::size_t k = 0; k < dut_inbox.ice_states_.size(); ++k)
    if (dut_inbox.ice_states_[k] != 0)
      std::printf(" %s=%zu", std::string(to_string(static_cast<IceState>(k))).c_str(),
                  dut_inbox.ice_states_[k]);
  std::printf("\n");
  std::printf("generator send errors: %zu to the DUT, %zu to the far end\n", to_dut.errors(),
              to_far.errors());
  // Spread of what each call's DUT session received in the window, per direction: a few dead calls and
  // uniform thinning look the same in the totals above.
  for (std::size_t d = 0; d < 2; ++d) {
    std::vector<std::int64_t> per_call;
    for (std::size_t i = 1; i <= n; ++i)
      per_call.push_back(dut_inbox.window_in_[i][d]);
    std::sort(per_call.begin(), per_call.end());
    const auto expected = static_cast<std::int64_t>(elapsed * options.pps);
    const auto starved =
        std::count_if(per_call.begin(), per_call.end(), [&](std::int64_t v) { return v < expected / 2; });
    std::printf(
        "DUT %s packets received per call in the window: min %lld, median %lld, max %lld (paced: %lld); "
        "%td calls below half\n",
        d == 0 ? "legacy->web" : "web->legacy", static_cast<long long>(per_call.front()),
        static_cast<long long>(per_call[per_call.size() / 2]), static_cast<long long>(per_call.back()),
        static_cast<long long>(expected), starved);
  }
  std::printf("DUT drops by reason (whole run, all calls):");
  for (std::size_t r = 0; r < kDropReasonCount; ++r) {
    const auto reason = static_cast<Drop>(r);
    if (dut_inbox.drops_[reason] != 0)
      std::printf(" %s=%llu", std::string(to_string(reason)).c_str(),
                  static_cast<unsigned long long>(dut_inbox.drops_[reason]));
  }
  std::printf("\n");
  dut->reset();
  far->reset();
  ::close(dut_pbx);
  ::close(far_pbx);
  return 0;
}
