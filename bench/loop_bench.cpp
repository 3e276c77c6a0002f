// Loop design spike: one worker thread owning an io_context and a GMainContext, with N libnice agents
// whose sockets are polled by FdPoller (level-triggered epoll under Asio) and read with
// nice_agent_recv_messages_nonblocking; the GMainContext is pumped only for timers (GlibLoop).
//
// Two workers: S holds N controlling agents and sends, R holds N controlled agents and receives. After
// every pair is READY (trickle + consent freshness on, 127.0.0.1), S sends a paced total rate spread
// round-robin over its agents. Reported: R's thread CPU per received datagram (idle timer cost
// subtracted), S's CPU per sent datagram, loss, and R's idle CPU per agent-second.
//
// Usage: loop_bench [agents...] [--rate PPS] [--seconds S]   (default: 1 100 1000, 20000 pps, 5 s)
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nice/agent.h>
#include <pthread.h>
#include <time.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "rtcgate/media/ice/glib_loop.hpp"
#include "rtcgate/media/io/fd_poller.hpp"

namespace {

using rtcgate::media::FdHandler;
using rtcgate::media::FdPoller;
using rtcgate::media::GlibLoop;
using rtcgate::media::GlibLoopSet;

double thread_cpu_seconds(pthread_t thread) {
  clockid_t clock;
  pthread_getcpuclockid(thread, &clock);
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::size_t kShard = 64;
bool kConsent = true;

struct Side {
  boost::asio::io_context io{1};
  FdPoller poller{io};
  GlibLoopSet glibs{io, kShard};
  GlibLoop& shard_for_new_agent() { return glibs.acquire(); }
  std::uint64_t pumps() const { return glibs.pumps(); }
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{io.get_executor()};
  std::thread thread;

  void start() {
    thread = std::thread([this] {
      io.run();
      glibs.stop();
    });
  }
  template <typename F>
  auto call(F&& f) {
    std::packaged_task<decltype(f())()> task(std::forward<F>(f));
    auto fut = task.get_future();
    boost::asio::post(io, [&task] { task(); });
    return fut.get();
  }
};

struct Agent final : FdHandler {
  Side* side = nullptr;
  GlibLoop* glib = nullptr;
  NiceAgent* agent = nullptr;
  guint stream = 0;
  std::vector<FdPoller::Token> tokens;
  std::uint64_t received = 0;
  std::atomic<bool> ready{false};
  std::atomic<int>* ready_count = nullptr;

  bool on_readable() noexcept override {
    static thread_local std::array<std::array<char, 1500>, 8> storage;
    std::array<GInputVector, 8> vectors{};
    std::array<NiceInputMessage, 8> messages{};
    for (std::size_t i = 0; i < messages.size(); ++i) {
      vectors[i] = {storage[i].data(), storage[i].size()};
      messages[i] = {&vectors[i], 1, nullptr, 0};
    }
    for (int round = 0; round < 4; ++round) {
      GError* error = nullptr;
      const gint n = nice_agent_recv_messages_nonblocking(agent, stream, 1, messages.data(), messages.size(),
                                                          nullptr, &error);
      if (n <= 0) {
        if (error != nullptr) g_error_free(error);
        if (round == 0) glib->request_pump();  // only STUN was there: timers may have moved
        return true;
      }
      received += static_cast<std::uint64_t>(n);
      if (static_cast<std::size_t>(n) < messages.size()) return true;
    }
    return false;
  }
};

void on_state(NiceAgent*, guint, guint, guint state, gpointer data) {
  auto* a = static_cast<Agent*>(data);
  if (state == NICE_COMPONENT_STATE_READY && !a->ready.exchange(true)) a->ready_count->fetch_add(1);
}

struct Local {
  std::string ufrag, pwd;
  std::vector<NiceCandidate*> candidates;
};

Local create_agent(Side& side, Agent& a, bool controlling, std::atomic<int>& ready_count) {
  a.side = &side;
  a.glib = &side.shard_for_new_agent();
  a.ready_count = &ready_count;
  a.agent =
      nice_agent_new_full(a.glib->context(), NICE_COMPATIBILITY_RFC5245,
                          static_cast<NiceAgentOption>(NICE_AGENT_OPTION_ICE_TRICKLE |
                                                       (kConsent ? NICE_AGENT_OPTION_CONSENT_FRESHNESS : 0)));
  g_object_set(a.agent, "upnp", FALSE, "ice-tcp", FALSE, "controlling-mode", controlling, nullptr);
  NiceAddress addr;
  nice_address_init(&addr);
  nice_address_set_from_string(&addr, "127.0.0.1");
  nice_agent_add_local_address(a.agent, &addr);
  a.stream = nice_agent_add_stream(a.agent, 1);
  g_signal_connect(a.agent, "component-state-changed", G_CALLBACK(on_state), &a);
  nice_agent_gather_candidates(a.agent, a.stream);
  GPtrArray* sockets = nice_agent_get_sockets(a.agent, a.stream, 1);
  for (guint i = 0; i < sockets->len; ++i) {
    auto token = side.poller.add(g_socket_get_fd(G_SOCKET(g_ptr_array_index(sockets, i))), a);
    if (token) a.tokens.push_back(*token);
  }
  g_ptr_array_unref(sockets);
  Local local;
  gchar* ufrag = nullptr;
  gchar* pwd = nullptr;
  nice_agent_get_local_credentials(a.agent, a.stream, &ufrag, &pwd);
  local.ufrag = ufrag;
  local.pwd = pwd;
  g_free(ufrag);
  g_free(pwd);
  GSList* cands = nice_agent_get_local_candidates(a.agent, a.stream, 1);
  for (GSList* l = cands; l != nullptr; l = l->next)
    local.candidates.push_back(static_cast<NiceCandidate*>(l->data));
  g_slist_free(cands);
  a.glib->request_pump();
  return local;
}

void set_remote(Side&, Agent& a, const Local& remote) {
  nice_agent_set_remote_credentials(a.agent, a.stream, remote.ufrag.c_str(), remote.pwd.c_str());
  GSList* list = nullptr;
  for (NiceCandidate* c : remote.candidates)
    list = g_slist_append(list, c);
  nice_agent_set_remote_candidates(a.agent, a.stream, 1, list);
  g_slist_free(list);
  nice_agent_peer_candidate_gathering_done(a.agent, a.stream);
  a.glib->request_pump();
}

void destroy_agent(Side& side, Agent& a) {
  for (auto t : a.tokens)
    side.poller.remove(t);
  g_object_unref(a.agent);
}

void run(int n, int rate, double seconds) {
  Side r;
  Side s;
  r.start();
  s.start();
  std::atomic<int> ready_r{0};
  std::atomic<int> ready_s{0};
  std::vector<std::unique_ptr<Agent>> ra(n);
  std::vector<std::unique_ptr<Agent>> sa(n);
  for (int i = 0; i < n; ++i) {
    ra[i] = std::make_unique<Agent>();
    sa[i] = std::make_unique<Agent>();
  }
  const auto t_setup = std::chrono::steady_clock::now();
  auto lr = r.call([&] {
    std::vector<Local> v;
    for (auto& a : ra)
      v.push_back(create_agent(r, *a, false, ready_r));
    return v;
  });
  auto ls = s.call([&] {
    std::vector<Local> v;
    for (auto& a : sa)
      v.push_back(create_agent(s, *a, true, ready_s));
    return v;
  });
  r.call([&] {
    for (int i = 0; i < n; ++i)
      set_remote(r, *ra[i], ls[i]);
    return 0;
  });
  s.call([&] {
    for (int i = 0; i < n; ++i)
      set_remote(s, *sa[i], lr[i]);
    return 0;
  });
  while ((ready_r < n || ready_s < n) &&
         std::chrono::steady_clock::now() - t_setup < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const double setup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_setup).count();
  for (auto* l : {&lr, &ls})
    for (auto& loc : *l)
      for (auto* c : loc.candidates)
        nice_candidate_free(c);
  if (ready_r < n || ready_s < n) {
    std::printf("agents=%d: only %d/%d ready after 60 s\n", n, ready_r.load(), ready_s.load());
    std::exit(1);
  }
  // Idle cost: timers, keepalives and consent only.
  const double idle_s = 2.0;
  double r0 = thread_cpu_seconds(r.thread.native_handle());
  std::this_thread::sleep_for(std::chrono::duration<double>(idle_s));
  const double idle_cpu = thread_cpu_seconds(r.thread.native_handle()) - r0;
  const std::uint64_t pumps0 = r.pumps();

  // Paced traffic: every millisecond S sends rate/1000 datagrams of 200 B round-robin.
  std::atomic<std::uint64_t> sent{0};
  std::atomic<bool> sending{true};
  boost::asio::steady_timer tick(s.io);
  std::array<char, 200> payload{};
  payload[0] = static_cast<char>(0x80);
  int next = 0;
  const int per_tick = std::max(1, rate / 1000);
  std::function<void()> send_tick = [&] {
    if (!sending) return;
    for (int k = 0; k < per_tick; ++k) {
      Agent& a = *sa[next];
      next = (next + 1) % n;
      GOutputVector vec{payload.data(), payload.size()};
      NiceOutputMessage msg{&vec, 1};
      if (nice_agent_send_messages_nonblocking(a.agent, a.stream, 1, &msg, 1, nullptr, nullptr) == 1) ++sent;
    }
    tick.expires_at(tick.expiry() + std::chrono::milliseconds(1));
    tick.async_wait([&](boost::system::error_code ec) {
      if (!ec) send_tick();
    });
  };
  r0 = thread_cpu_seconds(r.thread.native_handle());
  const double s0 = thread_cpu_seconds(s.thread.native_handle());
  const std::uint64_t wake0 = r.poller.wakeups();
  const std::uint64_t disp0 = r.poller.dispatches();
  boost::asio::post(s.io, [&] {
    tick.expires_after(std::chrono::milliseconds(1));
    send_tick();
  });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  s.call([&] {
    sending = false;
    tick.cancel();
    return 0;
  });
  const double s_cpu = thread_cpu_seconds(s.thread.native_handle()) - s0;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const double r_cpu = thread_cpu_seconds(r.thread.native_handle()) - r0;
  const std::uint64_t received = r.call([&] {
    std::uint64_t total = 0;
    for (auto& a : ra)
      total += a->received;
    return total;
  });
  const double traffic_s = seconds + 0.2;
  const double r_net = r_cpu - idle_cpu / idle_s * traffic_s;
  std::printf(
      "agents=%-5d setup=%.2fs idle=%.1f us/agent-s  rx=%.2f us/datagram (raw %.2f)  tx=%.2f us/datagram  "
      "sent=%llu recv=%llu loss=%.3f%%  wakeups/dgram=%.2f handler-calls/dgram=%.2f glib-pumps/s=%.0f\n",
      n, setup_s, idle_cpu / idle_s / n * 1e6, r_net / static_cast<double>(received) * 1e6,
      r_cpu / static_cast<double>(received) * 1e6, s_cpu / static_cast<double>(sent.load()) * 1e6,
      static_cast<unsigned long long>(sent.load()), static_cast<unsigned long long>(received),
      100.0 * (1.0 - static_cast<double>(received) / static_cast<double>(sent.load())),
      static_cast<double>(r.poller.wakeups() - wake0) / static_cast<double>(received),
      static_cast<double>(r.poller.dispatches() - disp0) / static_cast<double>(received),
      static_cast<double>(r.pumps() - pumps0) / traffic_s);
  std::fflush(stdout);
  r.call([&] {
    for (auto& a : ra)
      destroy_agent(r, *a);
    return 0;
  });
  s.call([&] {
    for (auto& a : sa)
      destroy_agent(s, *a);
    return 0;
  });
  for (Side* side : {&r, &s}) {
    side->guard.reset();
    boost::asio::post(side->io, [side] { side->io.stop(); });
    side->thread.join();
  }
}

}  // namespace

int main(int argc, char** argv) {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  std::vector<int> counts;
  int rate = 20000;
  double seconds = 5.0;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rate") == 0 && i + 1 < argc) {
      rate = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--no-consent") == 0) {
      kConsent = false;
    } else if (std::strcmp(argv[i], "--shard") == 0 && i + 1 < argc) {
      kShard = static_cast<std::size_t>(std::atoi(argv[++i]));
    } else if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else {
      counts.push_back(std::atoi(argv[i]));
    }
  }
  if (counts.empty()) counts = {1, 100, 1000};
  for (int n : counts)
    run(n, rate, seconds);
  return 0;
}
