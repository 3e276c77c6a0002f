#include "rtcgate/gateway/http_admin.hpp"
#include "rtcgate/gateway/in_memory_call_registry.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

namespace rtcgate::gateway {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// The admin server on 127.0.0.1 with an ephemeral port, run on its own io_context thread (which
// plays the signaling thread); the test talks raw HTTP/1.1 to it with blocking sockets.
class AdminServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // mkdtemp, not a name built from the seed and `this`: ctest runs these tests as parallel
    // processes, the seed is the start time in ms and ASan makes addresses repeat across runs.
    std::string pattern = (std::filesystem::temp_directory_path() / "rtcgate_http_test_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    web_root_ = pattern;
    std::ofstream(web_root_ / "index.html") << "<!doctype html><title>phone</title>";
    std::ofstream(web_root_ / "phone.css") << "body{}";
    config_ = default_config();
    config_.http.web_root = web_root_.string();
    config_.http.jssip_bundle = (web_root_ / "missing-jssip.js").string();
    metrics_.counter("rtcgate_test_total", "A test counter.").inc(7);
    router_ = std::make_unique<AdminRouter>(config_, metrics_, calls_);
    AdminHttpOptions options;
    options.listen = SocketAddress{"127.0.0.1", 0};
    options.timeout = std::chrono::milliseconds(1000);
    options.max_connections = 4;
    server_ = std::make_unique<AdminHttpServer>(io_, *router_, options);
    auto port = server_->start();
    ASSERT_TRUE(port) << port.error();
    port_ = *port;
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    std::promise<void> stopped;
    asio::post(io_, [&] {
      server_->stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    thread_.join();
    std::filesystem::remove_all(web_root_);
  }

  tcp::socket connect() {
    tcp::socket socket(client_io_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    return socket;
  }

  // Reads one response (headers + Content-Length body) from `socket`.
  static std::string read_response(tcp::socket& socket, std::string& pending) {
    boost::system::error_code ec;
    while (pending.find("\r\n\r\n") == std::string::npos) {
      char chunk[4096];
      std::size_t n = socket.read_some(asio::buffer(chunk), ec);
      if (ec) return std::exchange(pending, {});
      pending.append(chunk, n);
    }
    std::size_t header_end = pending.find("\r\n\r\n") + 4;
    std::size_t length = 0;
    if (std::size_t cl = pending.find("Content-Length: "); cl != std::string::npos && cl < header_end) {
      length = std::stoul(pending.substr(cl + 16));
    }
    while (pending.size() < header_end + length) {
      char chunk[4096];
      std::size_t n = socket.read_some(asio::buffer(chunk), ec);
      if (ec) break;
      pending.append(chunk, n);
    }
    std::string response = pending.substr(0, header_end + length);
    pending.erase(0, header_end + length);
    return response;
  }

  std::string request(const std::string& raw) {
    tcp::socket socket = connect();
    asio::write(socket, asio::buffer(raw));
    std::string pending;
    return read_response(socket, pending);
  }

  std::string get(const std::string& target) {
    return request("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }

  static std::string body_of(const std::string& response) {
    return response.substr(response.find("\r\n\r\n") + 4);
  }

  std::filesystem::path web_root_;
  Config config_;
  MetricsRegistry metrics_;
  InMemoryCallRegistry calls_{metrics_};
  std::unique_ptr<AdminRouter> router_;
  asio::io_context io_;
  asio::io_context client_io_;
  std::unique_ptr<AdminHttpServer> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

TEST_F(AdminServerTest, Healthz) {
  std::string response = get("/healthz");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << response;
  EXPECT_EQ(body_of(response), "ok\n");
}

TEST_F(AdminServerTest, Metrics) {
  std::string response = get("/metrics");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << response;
  EXPECT_NE(response.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(body_of(response).find("# TYPE rtcgate_test_total counter\nrtcgate_test_total 7\n"),
            std::string::npos);
}

TEST_F(AdminServerTest, ApiCallsEmptyThenOne) {
  std::string response = get("/api/calls");
  EXPECT_NE(response.find("Content-Type: application/json\r\n"), std::string::npos) << response;
  EXPECT_EQ(body_of(response), "[]\n");
  std::promise<void> added;
  asio::post(io_, [&] {
    CallInfo call;
    call.id = "k1";
    calls_.begin(call, CallRegistry::Clock::now());
    added.set_value();
  });
  added.get_future().wait();
  EXPECT_NE(body_of(get("/api/calls?verbose=1")).find("\"id\":\"k1\""), std::string::npos);
}

TEST_F(AdminServerTest, ApiConfigForTheDemoPage) {
  std::string body = body_of(get("/api/config.json"));
  EXPECT_EQ(body,
            "{\"domain\":\"localhost\",\"ws_scheme\":\"ws\",\"ws_port\":8080,\"default_target\":\"echo\","
            "\"user\":\"demo\",\"password\":\"demo\",\"jssip_available\":false}\n");
}

TEST_F(AdminServerTest, StaticFilesAndNotFound) {
  std::string index = get("/");
  EXPECT_TRUE(index.starts_with("HTTP/1.1 200 OK\r\n")) << index;
  EXPECT_NE(index.find("Content-Type: text/html; charset=utf-8\r\n"), std::string::npos);
  EXPECT_EQ(body_of(index), "<!doctype html><title>phone</title>");
  EXPECT_TRUE(get("/phone.css").starts_with("HTTP/1.1 200 OK\r\n"));
  for (const char* target : {"/nope", "/phone.exe", "/../index.html", "/%2e%2e/x.html", "/.hidden.js",
                             "/a/b.js", "/jssip.js", "/missing.js"}) {
    EXPECT_TRUE(get(target).starts_with("HTTP/1.1 404 Not Found\r\n")) << target;
  }
}

TEST_F(AdminServerTest, NonGetIs405) {
  std::string response = request("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 405 Method Not Allowed\r\n")) << response;
  EXPECT_NE(response.find("Allow: GET\r\n"), std::string::npos);
  EXPECT_TRUE(request("DELETE /api/calls HTTP/1.1\r\nHost: x\r\n\r\n").starts_with("HTTP/1.1 405"));
}

TEST_F(AdminServerTest, OversizedHeaderIs431AndBodyIs413) {
  std::string big(16 * 1024, 'a');
  std::string response = request("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
      << response.substr(0, 80);
  response = request("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
  EXPECT_TRUE(response.starts_with("HTTP/1.1 413 Payload Too Large\r\n")) << response.substr(0, 80);
}

TEST_F(AdminServerTest, GarbageIs400) {
  EXPECT_TRUE(request("HELLO\r\n\r\n").starts_with("HTTP/1.1 400 Bad Request\r\n"));
}

TEST_F(AdminServerTest, KeepAliveServesSeveralRequests) {
  tcp::socket socket = connect();
  std::string pending;
  for (int i = 0; i < 3; ++i) {
    asio::write(socket, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")));
    std::string response = read_response(socket, pending);
    EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK\r\n")) << i << response;
    EXPECT_EQ(response.find("Connection: close"), std::string::npos);
  }
}

TEST_F(AdminServerTest, IdleConnectionIsClosedAfterTimeout) {
  tcp::socket socket = connect();
  auto start = std::chrono::steady_clock::now();
  char byte;
  boost::system::error_code ec;
  socket.read_some(asio::buffer(&byte, 1), ec);
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST_F(AdminServerTest, ConnectionsBeyondTheLimitAreClosed) {
  std::vector<tcp::socket> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(connect());
    // Make sure the server has accepted this one before opening the next.
    asio::write(held.back(), asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")));
    std::string pending;
    ASSERT_TRUE(read_response(held.back(), pending).starts_with("HTTP/1.1 200"));
  }
  tcp::socket extra = connect();
  char byte;
  boost::system::error_code ec;
  extra.read_some(asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
}

TEST(AdminServer, BindFailureIsReported) {
  asio::io_context io;
  Config config = default_config();
  MetricsRegistry metrics;
  InMemoryCallRegistry calls(metrics);
  AdminRouter router(config, metrics, calls);
  AdminHttpServer first(io, router, AdminHttpOptions{.listen = {"127.0.0.1", 0}});
  auto port = first.start();
  ASSERT_TRUE(port);
  AdminHttpServer second(io, router, AdminHttpOptions{.listen = {"127.0.0.1", *port}});
  auto failed = second.start();
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().find("bind 127.0.0.1:"), std::string::npos) << failed.error();
}

}  // namespace
}  // namespace rtcgate::gateway
