// Worker, WorkerPool, FdPoller and GlibLoop on real threads and loopback sockets.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "rtcgate/media/worker/worker_pool.hpp"

namespace rtcgate::media {
namespace {

template <typename F>
auto call_on(Worker& worker, F&& f) {
  std::packaged_task<decltype(f())()> task(std::forward<F>(f));
  auto result = task.get_future();
  worker.post([&task] { task(); });
  return result.get();
}

struct UdpPair {
  int rx = -1;
  int tx = -1;
  sockaddr_in to{};
  UdpPair() {
    rx = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    tx = ::socket(AF_INET, SOCK_DGRAM, 0);
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(rx, reinterpret_cast<sockaddr*>(&to), sizeof(to));
    socklen_t len = sizeof(to);
    ::getsockname(rx, reinterpret_cast<sockaddr*>(&to), &len);
  }
  ~UdpPair() {
    ::close(rx);
    ::close(tx);
  }
  void send(int count) {
    for (int i = 0; i < count; ++i)
      ::sendto(tx, "x", 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  }
};

// Reads at most `budget` datagrams per call, so the poller must come back without a new edge.
struct CountingHandler final : FdHandler {
  int fd = -1;
  int budget = 1;
  std::atomic<int> received{0};
  std::thread::id thread;
  bool on_readable() noexcept override {
    thread = std::this_thread::get_id();
    char buf[64];
    for (int i = 0; i < budget; ++i) {
      if (::recv(fd, buf, sizeof(buf), MSG_DONTWAIT) < 0) return true;
      ++received;
    }
    return false;
  }
};

TEST(WorkerTest, PostRunsOnTheWorkerThread) {
  Worker worker(0, {});
  worker.start();
  const auto id = call_on(worker, [&] { return std::this_thread::get_id(); });
  EXPECT_NE(id, std::this_thread::get_id());
  EXPECT_TRUE(call_on(worker, [&] { return worker.on_worker_thread(); }));
  EXPECT_FALSE(worker.on_worker_thread());
  worker.stop();
}

TEST(WorkerTest, PollerDeliversEveryDatagramEvenWhenAHandlerStopsEarly) {
  Worker worker(0, {});
  worker.start();
  UdpPair pair;
  CountingHandler handler;
  handler.fd = pair.rx;
  handler.budget = 2;  // 100 datagrams need 50 rounds: each relies on the level-triggered re-poll
  const auto token = call_on(worker, [&] { return worker.poller().add(pair.rx, handler); });
  ASSERT_TRUE(token.has_value());
  pair.send(100);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (handler.received < 100 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(handler.received, 100);
  EXPECT_EQ(handler.thread, call_on(worker, [] { return std::this_thread::get_id(); }));
  // After removal nothing more is delivered.
  call_on(worker, [&] {
    worker.poller().remove(*token);
    return 0;
  });
  pair.send(3);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(handler.received, 100);
  EXPECT_EQ(call_on(worker, [&] { return worker.poller().size(); }), 0u);
  worker.stop();
}

TEST(WorkerTest, GlibTimersFireOnTheWorker) {
  Worker worker(0, {});
  worker.start();
  std::promise<std::thread::id> fired;
  const auto start = std::chrono::steady_clock::now();
  call_on(worker, [&] {
    GlibLoop& loop = worker.glib().acquire();
    GSource* source = g_timeout_source_new(30);
    g_source_set_callback(
        source,
        [](gpointer data) -> gboolean {
          static_cast<std::promise<std::thread::id>*>(data)->set_value(std::this_thread::get_id());
          return G_SOURCE_REMOVE;
        },
        &fired, nullptr);
    g_source_attach(source, loop.context());
    g_source_unref(source);
    loop.request_pump();  // a source added from our own thread wakes nobody: ask for a pump
    return 0;
  });
  auto future = fired.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(2)), std::future_status::ready);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(29));
  EXPECT_NE(future.get(), std::this_thread::get_id());
  worker.stop();
}

TEST(WorkerTest, GlibLoopSetShardsAgents) {
  boost::asio::io_context io;
  GlibLoopSet set(io, 2);
  GlibLoop& a = set.acquire();
  GlibLoop& b = set.acquire();
  GlibLoop& c = set.acquire();
  EXPECT_EQ(&a, &b);  // a context fills up to its limit before another is made
  EXPECT_NE(&c, &a);
  EXPECT_EQ(set.contexts(), 2u);
  set.release(a);
  set.release(b);
  set.release(c);
  set.stop();
}

TEST(WorkerPoolTest, PinsByHashStablyAndByLoad) {
  WorkerPool pool(3);
  EXPECT_EQ(pool.size(), 3u);
  Worker& first = pool.pick_by_hash("a84b4c76e66710@pc33.example.com");
  EXPECT_EQ(&first, &pool.pick_by_hash("a84b4c76e66710@pc33.example.com"));
  std::set<Worker*> used;
  for (int i = 0; i < 64; ++i)
    used.insert(&pool.pick_by_hash("call-" + std::to_string(i)));
  EXPECT_EQ(used.size(), 3u);
  pool.at(0).add_load(2);
  pool.at(1).add_load(1);
  EXPECT_EQ(&pool.pick_least_loaded(), &pool.at(2));
  pool.at(2).add_load(5);
  EXPECT_EQ(&pool.pick_least_loaded(), &pool.at(1));
}

TEST(WorkerPoolTest, DefaultsToHardwareConcurrency) {
  WorkerPool pool;
  EXPECT_EQ(pool.size(), std::max(1u, std::thread::hardware_concurrency()));
  pool.start();
  pool.stop();
}

}  // namespace
}  // namespace rtcgate::media
